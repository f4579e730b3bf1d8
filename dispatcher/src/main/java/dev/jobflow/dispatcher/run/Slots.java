package dev.jobflow.dispatcher.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.store.JobQueue;
import dev.jobflow.dispatcher.config.DispatcherConfig;
import dev.jobflow.dispatcher.cycle.CycleMetrics;
import dev.jobflow.dispatcher.cycle.QueueTurns;
import dev.jobflow.dispatcher.cycle.WakeSignal;
import dev.jobflow.dispatcher.handler.HandlerRegistry;

/**
 * The replica's bounded slots: each claimed job runs on a virtual thread of its own; a freed slot
 * wakes the cycle. Drain waits for the running jobs, then hands back what is left.
 */
@ApplicationScoped
public class Slots {
    private static final Logger LOG = Logger.getLogger(Slots.class);

    private final Set<JobRun> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().name("jobflow-heartbeat-", 0).daemon().factory());
    private final DispatcherConfig config;
    private final JobQueue store;
    private final HandlerRegistry handlers;
    private final WakeSignal wake;
    private final CycleMetrics metrics;
    private final RunSettings settings;
    private final QueueTurns queues;
    private final RunTracing tracing;
    /** Running jobs per queue, for the local per-queue limits. */
    private final Map<String, AtomicInteger> perQueue = new ConcurrentHashMap<>();
    private volatile boolean draining;
    /** Held here: a gauge keeps only a weak reference to what it reads. */
    private final AtomicInteger capacity;
    /** Wake-ups this replica sent for capped slots it freed (metric; tests read it as their signal). */
    private final Counter cappedSlotWakes;

    Slots(DispatcherConfig config, JobQueue store, HandlerRegistry handlers, WakeSignal wake, CycleMetrics metrics,
            MeterRegistry registry, QueueTurns queues, RunTracing tracing) {
        this.queues = queues;
        this.tracing = tracing;
        this.config = config;
        this.store = store;
        this.handlers = handlers;
        this.wake = wake;
        this.metrics = metrics;
        this.settings = RunSettings.of(config);
        this.capacity = new AtomicInteger(config.slots());
        registry.gaugeCollectionSize("jobflow.dispatcher.slots.busy", List.of(), running);
        registry.gauge("jobflow.dispatcher.slots.capacity", capacity, AtomicInteger::get);
        this.cappedSlotWakes = registry.counter("jobflow.dispatcher.capped.slot.wakes");
    }

    public int capacity() {
        return config.slots();
    }

    public int busy() {
        return running.size();
    }

    /** How many times this replica told the others that a capped slot it freed is theirs to take. */
    long cappedSlotWakes() {
        return (long) cappedSlotWakes.count();
    }

    public int free() {
        return Math.max(0, config.slots() - running.size());
    }

    /**
     * Free slots for one queue: the replica's free slots, within the queue's local limit
     * ({@code jobflow.dispatcher.queue-slots.<queue>}) if it has one.
     */
    public int free(String queue) {
        Integer limit = config.queueSlots().get(queue);
        if (limit == null) {
            return free();
        }
        int busy = perQueue.computeIfAbsent(queue, q -> new AtomicInteger()).get();
        return Math.max(0, Math.min(free(), limit - busy));
    }

    /**
     * Starts a claimed job in a slot (the claim never asks for more than {@link #free(String)});
     * {@code claimStarted}: when its claim began ({@link RunTracing#claimStarted()}, null with tracing off).
     */
    public void start(ClaimedJob claimed, Instant claimStarted) {
        String queue = claimed.job().queue();
        RunSettings own = queues.settings(queue).map(QueueSettings::backoffSeconds)
                .map(seconds -> settings.withBackoff(Duration.ofSeconds(seconds))).orElse(settings);
        metrics.pickedUp(claimed.job());
        JobRun run = new JobRun(claimed, handlers.resolve(claimed.job().type()), store, own, this::ended, tracing,
                tracing.claimed(claimed, claimStarted));
        perQueue.computeIfAbsent(queue, q -> new AtomicInteger()).incrementAndGet();
        running.add(run);
        Thread.ofVirtual().name("job-" + claimed.job().id()).start(() -> run.run(heartbeats));
    }

    private void ended(JobRun run, Outcome outcome) {
        metrics.ended(outcome, run.job().queue());
        if (draining && config.globalCap().isPresent() && outcome != Outcome.LOST) {
            // A running replica claims again at once for the capped slot it freed; a draining one will
            // not, so it tells the replicas the cap may be holding back. (Telling them after every job
            // cost ~20 % of the throughput with 3 replicas: docs/benchmarks.md, section 2.)
            store.wakeDispatchers();
            cappedSlotWakes.increment();
        }
        perQueue.get(run.job().queue()).decrementAndGet();
        running.remove(run); // last: whoever sees the slot free sees everything above done
        if (mayBeQueuedAgain(outcome)) {
            wake.signal(); // its retry (or its due time) is work this cycle has not seen
        }
        wake.slotFreed();
    }

    /** A job that ended this way may be queued again (a retry, a hand-back, a reaped lease). */
    private static boolean mayBeQueuedAgain(Outcome outcome) {
        return switch (outcome) {
            case COMPLETED, REJECTED, CANCELLED -> false;
            case FAILED, TIMED_OUT, RELEASED, LOST -> true;
        };
    }

    /**
     * Lets running jobs finish within {@code grace}, then hands back the rest for immediate retry.
     *
     * @return how many jobs were handed back
     */
    public int drain(Duration grace) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            WakeSignal.Seen seen = wake.seen();
            wake.await(seen, true, Duration.ofMillis(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000))));
        }
        int handedBack = 0;
        for (JobRun run : List.copyOf(running)) {
            if (run.handBack()) {
                handedBack++;
                LOG.infof("drain: handed back job %d", run.job().id());
            }
        }
        return handedBack;
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
    }
}
