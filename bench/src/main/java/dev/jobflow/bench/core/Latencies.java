package dev.jobflow.bench.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency samples in microseconds, safe to record from many threads; summarised as count,
 * p50/p90/p99/max in milliseconds. Keeps every sample (bounded by the scenario's request count).
 */
public final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    public synchronized void recordMicros(long micros) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = micros;
    }

    public void recordNanos(long nanos) {
        recordMicros(nanos / 1000);
    }

    public synchronized int count() {
        return size;
    }

    /** The q-quantile (0..1) in milliseconds, nearest-rank; NaN when empty. */
    public synchronized double percentileMillis(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))] / 1000.0;
    }

    /** {@code p50_ms, p90_ms, p99_ms, max_ms} with the given prefix (e.g. "latency_"). */
    public Map<String, Object> summary(String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(prefix + "p50_ms", Report.round(percentileMillis(0.50)));
        out.put(prefix + "p90_ms", Report.round(percentileMillis(0.90)));
        out.put(prefix + "p99_ms", Report.round(percentileMillis(0.99)));
        out.put(prefix + "max_ms", Report.round(percentileMillis(1.0)));
        return out;
    }
}
