package dev.jobflow.core.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * Commits concurrent requests together. A request goes out at once while fewer than
 * {@code maxInFlight} flushes are running; otherwise it waits, and everything that waited goes out
 * in the next flush: one round trip and one commit for all of them. Without concurrency nothing
 * waits (no timer, no added latency); under load the flushes grow with the load.
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
    private final int maxBatch;
    private final ArrayDeque<Waiting<T, R>> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param flush writes a batch in one commit and answers each request, in order (a list of the
     *        same size); its failure fails the batch
     */
    public GroupCommit(int maxInFlight, int maxBatch, Function<List<T>, Uni<List<R>>> flush) {
        if (maxInFlight < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("maxInFlight and maxBatch must be at least 1");
        }
        this.flush = flush;
        this.maxInFlight = maxInFlight;
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
        inFlight++;
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
        apply(requests).subscribe().with(answers -> {
            for (int i = 0; i < batch.size(); i++) {
                R answer = answers.get(i);
                UniEmitter<? super R> emitter = batch.get(i).emitter();
                callersOwn(() -> emitter.complete(answer));
            }
            finished();
        }, failure -> {
            if (batch.size() == 1) {
                callersOwn(() -> batch.get(0).emitter().fail(failure));
            } else {
                batch.forEach(request -> callersOwn(() -> sendAlone(request)));
            }
            finished();
        });
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
        apply(List.of(request.request())).subscribe().with(answers -> request.emitter().complete(answers.get(0)),
                request.emitter()::fail);
    }

    /** The flush of {@code requests}; a flush that throws instead of failing its Uni fails it. */
    private Uni<List<R>> apply(List<T> requests) {
        try {
            return flush.apply(requests);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
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
