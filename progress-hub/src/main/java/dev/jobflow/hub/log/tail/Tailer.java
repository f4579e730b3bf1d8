package dev.jobflow.hub.log.tail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.TailBatch;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.StoreUnavailable;
import dev.jobflow.hub.config.HubConfig;
import dev.jobflow.hub.log.RoomBus;

/**
 * Follows the progress log and advances the {@link RoomBus} strictly in offset order, without
 * skipping an offset whose transaction may still commit (docs/progress-hub.md, "Holes").
 * <p>
 * A hole below a visible offset belongs to a writer that was in progress in the snapshot of the
 * read that saw it (publishers take their transaction id before their offset). The tailer keeps
 * that snapshot as a barrier and waits until none of its writers still holds a write lock on the
 * log; then every hole up to the barrier is final: what committed is read, the rest is skipped.
 * Polling adapts: at once while rows flow, {@code poll-min} while a hole is open, doubling to
 * {@code poll-max} while idle; a local send wakes it at once, and where the backend can tell
 * (PostgreSQL) so does every commit of any writer: then the poll is only the safety net for commits
 * unheard while the listening connection reconnects.
 */
@ApplicationScoped
public class Tailer {
    private static final Logger LOG = Logger.getLogger(Tailer.class);

    private final ProgressLog log;
    private final RoomBus bus;
    private final Vertx vertx;
    private final HubConfig.Tail config;
    private final Counter delivered;
    private final Counter holesSkipped;
    private final DeliveryTracing tracing;

    private Barrier barrier;
    private long settledUpTo;
    private long idleDelayMs;
    private long timerId = -1;
    private boolean polling;
    private boolean wakeRequested;
    private volatile boolean stopped;
    /** The backend's commit notifications ({@link ProgressLog#subscribeCommits}); null where it has none. */
    private AutoCloseable commits;
    private Instant lastFailureLog = Instant.EPOCH;
    /** System.nanoTime() of the last read that reached the end of the log. */
    private volatile long caughtUpAt = System.nanoTime();

    /** Holes up to {@code upTo} are final once no writer of {@code snapshot} is alive. */
    private record Barrier(String snapshot, long upTo, Instant since) {
    }

    Tailer(ProgressLog log, RoomBus bus, Vertx vertx, HubConfig config, MeterRegistry registry,
            DeliveryTracing tracing) {
        this.log = log;
        this.tracing = tracing;
        this.bus = bus;
        this.vertx = vertx;
        this.config = config.tail();
        this.delivered = registry.counter("jobflow.hub.tail.entries");
        this.holesSkipped = registry.counter("jobflow.hub.tail.holes.skipped");
        Gauge.builder("jobflow.hub.tail.cursor", bus, RoomBus::cursor).register(registry);
        Gauge.builder("jobflow.hub.tail.hole.wait.seconds", this, Tailer::holeWaitSeconds).register(registry);
        Gauge.builder("jobflow.hub.tail.lag.seconds", this, Tailer::lagSeconds)
                .description("Seconds since the tailer last read the progress log to its end (grows while it "
                        + "cannot read or falls behind; the alert rule JobflowHubTailerLagging)")
                .register(registry);
    }

    double lagSeconds() {
        return (System.nanoTime() - caughtUpAt) / 1e9;
    }

    void onStart(@Observes StartupEvent event) {
        // head first, snapshot after: a hole below the head was taken by a writer alive in that snapshot
        log.headOffset().flatMap(head -> log.snapshot().flatMap(snapshot -> log.epoch().map(epoch -> {
            barrier = new Barrier(snapshot, head, Instant.now());
            LOG.infof("tailing the progress log from offset %d (epoch %s)", head, epoch);
            return epoch;
        }))).subscribe().with(epoch -> awaitStart(epoch), failure -> {
            if (StoreUnavailable.causedBy(failure)) {
                logFailure(failure); // a database restarting as the hub starts: a line every few seconds, not a trace per try
            } else {
                LOG.error("cannot start tailing the progress log", failure);
            }
            schedule(config.pollMax().toMillis(), () -> onStart(event));
        });
    }

    private void awaitStart(String epoch) {
        log.writersAlive(barrier.snapshot()).subscribe().with(alive -> {
            if (alive) {
                schedule(config.pollMin().toMillis(), () -> awaitStart(epoch));
            } else {
                bus.start(barrier.upTo(), epoch);
                settledUpTo = barrier.upTo();
                barrier = null;
                listen();
                poll();
            }
        }, failure -> {
            logFailure(failure);
            schedule(config.pollMax().toMillis(), () -> awaitStart(epoch));
        });
    }

    /** Every commit the backend tells of wakes the tailer; a failed subscription is tried again. */
    private void listen() {
        log.subscribeCommits(this::wake).subscribe().with(subscription -> {
            synchronized (this) {
                if (!stopped) {
                    commits = subscription.orElse(null);
                    return;
                }
            }
            subscription.ifPresent(Tailer::close);
        }, failure -> {
            logFailure(failure);
            vertx.setTimer(config.pollMax().toMillis(), id -> {
                if (!stopped) {
                    listen();
                }
            });
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        AutoCloseable subscription;
        synchronized (this) {
            stopped = true;
            subscription = commits;
            commits = null;
        }
        if (subscription != null) {
            close(subscription);
        }
    }

    private static void close(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debugf("closing the commit notifications failed: %s", e.getMessage());
        }
    }

    /** Read now instead of waiting for the next poll (a message was just published or committed). */
    public void wake() {
        vertx.runOnContext(this::wakeNow);
    }

    private synchronized void wakeNow() {
        if (!bus.started() || stopped) {
            return;
        }
        if (polling) {
            wakeRequested = true;
        } else {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
                timerId = -1;
            }
            poll();
        }
    }

    private synchronized void poll() {
        if (stopped || polling) {
            return;
        }
        polling = true;
        wakeRequested = false;
        Barrier current = barrier;
        Uni<Boolean> resolved = current == null ? Uni.createFrom().item(false)
                : log.writersAlive(current.snapshot()).map(alive -> !alive);
        resolved.flatMap(done -> {
            if (done) {
                // every hole up to the barrier is final; the read below (taken after) shows what committed
                settledUpTo = Math.max(settledUpTo, current.upTo());
                barrier = null;
            }
            return log.readTail(bus.cursor(), config.batch());
        }).subscribe().with(this::process, this::failed);
    }

    private synchronized void failed(Throwable failure) {
        logFailure(failure);
        polling = false;
        schedule(config.pollMax().toMillis(), this::poll);
    }

    private synchronized void process(TailBatch batch) {
        try {
            deliver(batch);
        } catch (RuntimeException e) {
            // an unexpected failure must not end the tailing: read again from the cursor
            LOG.error("delivering from the progress log failed; reading again from the cursor", e);
            polling = false;
            schedule(config.pollMin().toMillis(), this::poll);
        }
    }

    private void deliver(TailBatch batch) {
        List<LogEntry> entries = batch.entries();
        if (entries.size() < config.batch()) {
            caughtUpAt = System.nanoTime(); // the read reached the log's end
        }
        // the entries up to the first hole that may still fill (a writer's transaction still open)
        int count = 0;
        long cursor = bus.cursor();
        for (LogEntry entry : entries) {
            if (entry.offset() != cursor + 1 && entry.offset() > settledUpTo) {
                break;
            }
            if (entry.offset() != cursor + 1) {
                holesSkipped.increment(entry.offset() - cursor - 1);
            }
            cursor = entry.offset();
            count++;
        }
        List<LogEntry> deliverable = entries.subList(0, count);
        int[] subscriptions = bus.advance(deliverable);
        for (int i = 0; i < count; i++) {
            tracing.delivered(deliverable.get(i), subscriptions[i]);
        }
        delivered.increment(count);
        boolean holeOpen = count < entries.size();
        if (holeOpen && barrier == null) {
            barrier = new Barrier(batch.snapshot(), entries.get(entries.size() - 1).offset(), Instant.now());
        } else if (!holeOpen && entries.size() < config.batch() && settledUpTo > bus.cursor()) {
            holesSkipped.increment(settledUpTo - bus.cursor());
            bus.skipTo(settledUpTo);
        }
        if (barrier != null && Duration.between(barrier.since(), Instant.now()).compareTo(config.holeWarnAfter()) > 0) {
            LOG.warnf("offset %d has waited %ss for its writer's transaction to end (a long transaction that "
                    + "publishes without progress_send holds every later message back)", bus.cursor() + 1,
                    Duration.between(barrier.since(), Instant.now()).toSeconds());
            barrier = new Barrier(barrier.snapshot(), barrier.upTo(), Instant.now());
        }
        polling = false;
        long delay;
        if (count > 0 || wakeRequested) {
            idleDelayMs = 0;
            delay = 0;
        } else if (barrier != null) {
            delay = config.pollMin().toMillis();
        } else {
            idleDelayMs = Math.min(Math.max(idleDelayMs * 2, config.pollMin().toMillis()), config.pollMax().toMillis());
            delay = idleDelayMs;
        }
        if (delay == 0) {
            vertx.runOnContext(this::poll);
        } else {
            schedule(delay, this::poll);
        }
    }

    private synchronized void schedule(long delayMs, Runnable action) {
        if (stopped) {
            return;
        }
        timerId = vertx.setTimer(Math.max(1, delayMs), id -> {
            synchronized (this) {
                timerId = -1;
            }
            action.run();
        });
    }

    private double holeWaitSeconds() {
        Barrier current = barrier;
        return current == null ? 0 : Duration.between(current.since(), Instant.now()).toMillis() / 1000.0;
    }

    private void logFailure(Throwable failure) {
        if (Duration.between(lastFailureLog, Instant.now()).toSeconds() >= 10) {
            lastFailureLog = Instant.now();
            LOG.warnf("reading the progress log failed (retrying): %s", failure.getMessage());
        }
    }
}
