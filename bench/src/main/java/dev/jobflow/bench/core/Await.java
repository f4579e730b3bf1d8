package dev.jobflow.bench.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongPredicate;

/**
 * Polls the database for a condition with a deadline (never a bare sleep for synchronisation), on one
 * connection for the whole wait: the harness's polling must not cost the database it measures a
 * backend start per poll.
 */
public final class Await {
    /** Until no job is queued or running: reads at most one index entry, however long the backlog. */
    public static final String JOBS_LEFT = "select count(*) from (select 1 from jobs where status in ('QUEUED',"
            + " 'RUNNING') limit 1) t";

    private Await() {
    }

    /**
     * Waits until {@code sql} (a count) reaches {@code target}; meanwhile tracks the highest value
     * of {@code watchSql} (e.g. RUNNING jobs), returned. Returns -1 in the first slot if it timed out.
     */
    public static long[] count(BenchStack stack, String sql, long target, String watchSql, Duration timeout)
            throws SQLException, InterruptedException {
        return until(stack, sql, value -> value >= target, watchSql, timeout);
    }

    /** Like {@link #count} until the count of {@code sql} is 0 (e.g. {@link #JOBS_LEFT}). */
    public static long[] none(BenchStack stack, String sql, String watchSql, Duration timeout)
            throws SQLException, InterruptedException {
        return until(stack, sql, value -> value == 0, watchSql, timeout);
    }

    private static long[] until(BenchStack stack, String sql, LongPredicate done, String watchSql, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long highest = 0;
        try (Connection c = stack.connect(); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                long value = count(s, sql);
                if (watchSql != null) {
                    highest = Math.max(highest, count(s, watchSql));
                }
                if (done.test(value)) {
                    return new long[] { value, highest };
                }
                Thread.sleep(50);
            }
        }
        return new long[] { -1, highest };
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
