package dev.jobflow.bench.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code clients} threads that each repeat a call until {@code total} calls were made or the time
 * limit passed (whichever first), recording each call's latency. The calls are blocking: one
 * thread is one client with one request in flight (closed loop).
 */
public final class ClosedLoop {

    /** One call; returns whether it succeeded. {@code n} counts calls from 0. */
    public interface Call {
        boolean call(int n) throws Exception;
    }

    public record Outcome(int ok, int errors, double seconds, String firstError) {
        public double perSecond() {
            return seconds == 0 ? 0 : ok / seconds;
        }
    }

    private ClosedLoop() {
    }

    public static Outcome run(int clients, int total, Duration maxTime, Latencies latencies, Call call)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long deadline = start + maxTime.toNanos();
        AtomicLong end = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().name("client-" + i).start(() -> {
                int n;
                while ((n = next.getAndIncrement()) < total && System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    try {
                        if (call.call(n)) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    long t1 = System.nanoTime();
                    if (latencies != null) {
                        latencies.recordNanos(t1 - t0);
                    }
                    end.accumulateAndGet(t1, Math::max);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (Math.max(end.get(), start) - start) / 1e9;
        return new Outcome(ok.get(), errors.get(), seconds, firstError.get());
    }
}
