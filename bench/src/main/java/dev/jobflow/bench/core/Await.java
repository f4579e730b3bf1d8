package dev.jobflow.bench.core;

import java.sql.SQLException;
import java.time.Duration;

/** Polls the database for a condition with a deadline (never a bare sleep for synchronisation). */
public final class Await {

    private Await() {
    }

    /**
     * Waits until {@code sql} (a count) reaches {@code target}; meanwhile tracks the highest value
     * of {@code watchSql} (e.g. RUNNING jobs), returned. Returns -1 in the first slot if it timed out.
     */
    public static long[] count(BenchStack stack, String sql, long target, String watchSql, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long highest = 0;
        long value = 0;
        while (System.nanoTime() < deadline) {
            value = stack.count(sql);
            if (watchSql != null) {
                highest = Math.max(highest, stack.count(watchSql));
            }
            if (value >= target) {
                return new long[] { value, highest };
            }
            Thread.sleep(50);
        }
        return new long[] { -1, highest };
    }
}
