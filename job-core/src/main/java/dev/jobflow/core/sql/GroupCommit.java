package dev.jobflow.core.sql;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Commits concurrent requests together. A request goes out at once when no flush is running;
 * otherwise it waits, and everything that waited goes out in the next flush: one round trip and one
 * commit for all of them. Without concurrency nothing waits (no added latency); under load the flushes
 * grow with the load.
 *
 * A flush that runs longer than {@code stalledAfter} (waiting on a row lock, say) does not hold up
 * the others: another flush may then start beside it, up to {@code maxInFlight}. With
 * {@code stalledAfter} zero, up to {@code maxInFlight} flushes run side by side at once.
 *
 * Each request still gets its own answer, and only once its flush has committed. A flush that
 * fails as a whole is retried one request at a time, so one request that can never succeed fails
 * alone and never takes the others with it.
 *
 * @param <T> a request
 * @param <R> its answer
 */
public final class GroupCommit<T, R> {
    private final Function<List<T>, Uni<List<R>>> flush;
    private final int maxInFlight;
    private final long stalledAfterNanos;
    private final int maxBatch;
    private final ArrayDeque<Waiting<T, R>> waiting = new ArrayDeque<>();
    private int inFlight;
    /** When the latest flush started ({@link System#nanoTime()}). */
    private long lastStarted;
    /** A look at the waiting requests is scheduled for when the running flushes count as stalled. */
    private boolean lookScheduled;

    /**
     * @param flush writes a batch in one commit and answers each request, in order (a list of the
     *        same size); its failure fails the batch
     */
    public GroupCommit(int maxInFlight, Duration stalledAfter, int maxBatch, Function<List<T>, Uni<List<R>>> flush) {
        if (maxInFlight < 1 || maxBatch < 1 || stalledAfter.isNegative()) {
            throw new IllegalArgumentException("maxInFlight and maxBatch must be at least 1, stalledAfter not negative");
        }
        this.flush = flush;
        this.maxInFlight = maxInFlight;
        this.stalledAfterNanos = stalledAfter.toNanos();
        this.maxBatch = maxBatch;
    }

    /** The answer to {@code request}, once the flush that carried it has committed. */
    public Uni<R> submit(T request) {
        return Uni.createFrom().emitter(emitter -> {
            List<Waiting<T, R>> batch;
            synchronized (waiting) {
                waiting.add(new Waiting<>(request, emitter));
                batch = nextBatch();
            }
            send(batch);
        });
    }

    /** The requests of the next flush, if a flush may start now (holding the lock). */
    private List<Waiting<T, R>> nextBatch() {
        if (inFlight >= maxInFlight || waiting.isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        if (inFlight > 0 && now - lastStarted < stalledAfterNanos) {
            scheduleLook(lastStarted + stalledAfterNanos - now);
            return null;
        }
        inFlight++;
        lastStarted = now;
        List<Waiting<T, R>> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
        while (!waiting.isEmpty() && batch.size() < maxBatch) {
            batch.add(waiting.poll());
        }
        return batch;
    }

    private void send(List<Waiting<T, R>> batch) {
        if (batch == null) {
            return;
        }
        List<T> requests = batch.stream().map(Waiting::request).toList();
        // the next flush goes out first: the database commits it while this one's callers go on
        apply(requests).subscribe().with(answers -> {
            finished();
            answer(batch, answers);
        }, failure -> {
            finished();
            if (batch.size() == 1) {
                callersOwn(() -> batch.get(0).emitter().fail(failure));
            } else {
                batch.forEach(this::sendAlone);
            }
        });
    }

    /** Each request its answer; a request the flush left unanswered (a bug) fails instead of waiting forever. */
    private void answer(List<Waiting<T, R>> batch, List<R> answers) {
        for (int i = 0; i < batch.size(); i++) {
            UniEmitter<? super R> emitter = batch.get(i).emitter();
            if (i < answers.size()) {
                R answer = answers.get(i);
                callersOwn(() -> emitter.complete(answer));
            } else {
                IllegalStateException wrong = new IllegalStateException(
                        "the flush answered " + answers.size() + " of " + batch.size() + " requests");
                callersOwn(() -> emitter.fail(wrong));
            }
        }
    }

    /**
     * Runs what answering a caller runs (its continuation, on this thread): what it throws is the
     * caller's own and is dropped (logged by Mutiny) so that the batch's other callers get their
     * answers and the flush's place is given back (one kept place, with one flush at a time, would stop
     * every later write of the process).
     */
    private static void callersOwn(Runnable answering) {
        try {
            answering.run();
        } catch (RuntimeException e) {
            Infrastructure.handleDroppedException(e);
        }
    }

    /** A request of a failed batch, on its own (not counted against {@code maxInFlight}). */
    private void sendAlone(Waiting<T, R> request) {
        apply(List.of(request.request())).subscribe().with(answers -> answer(List.of(request), answers),
                failure -> callersOwn(() -> request.emitter().fail(failure)));
    }

    /** The flush of {@code requests}; a flush that throws instead of failing its Uni fails it. */
    private Uni<List<R>> apply(List<T> requests) {
        try {
            return flush.apply(requests);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * Looks at the waiting requests again once the running flushes count as stalled: with nothing
     * else coming, they would otherwise wait for the stalled flush (holding the lock).
     */
    private void scheduleLook(long inNanos) {
        if (lookScheduled) {
            return;
        }
        lookScheduled = true;
        Infrastructure.getDefaultWorkerPool().schedule(() -> {
            List<Waiting<T, R>> batch;
            synchronized (waiting) {
                lookScheduled = false;
                batch = nextBatch();
            }
            send(batch);
        }, inNanos, TimeUnit.NANOSECONDS);
    }

    private void finished() {
        List<Waiting<T, R>> batch;
        synchronized (waiting) {
            inFlight--;
            batch = nextBatch();
        }
        send(batch);
    }

    private record Waiting<T, R>(T request, UniEmitter<? super R> emitter) {
    }
}
