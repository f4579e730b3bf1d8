package dev.jobflow.bench.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Timings read back from the jobs table after a run (the database clock, one source for all). */
public final class JobTimes {

    private JobTimes() {
    }

    /** Seconds from the first claim to the last completion of all jobs. */
    public static double drainSeconds(BenchStack stack) throws SQLException {
        try (Connection c = stack.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "select extract(epoch from max(finished_at) - min(started_at)) from jobs where status = 'COMPLETED'")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** created_at (insert transaction) → started_at (claim) of every started job after {@code afterId}. */
    public static void pickupLatencies(BenchStack stack, Latencies into, long afterId) throws SQLException {
        try (Connection c = stack.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "select (extract(epoch from started_at - created_at) * 1000000)::bigint from jobs"
                                + " where started_at is not null and id > " + afterId)) {
            while (rs.next()) {
                into.recordMicros(rs.getLong(1));
            }
        }
    }
}
