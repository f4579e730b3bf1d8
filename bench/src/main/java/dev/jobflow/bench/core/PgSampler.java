package dev.jobflow.bench.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples {@code pg_stat_activity} of the bench database every few milliseconds while a scenario
 * measures: which wait events (or CPU) and which statements the active backends are in. A cheap
 * profile of the database side without pg_stat_statements.
 */
public final class PgSampler implements AutoCloseable {
    private static final String SAMPLE = """
            select coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait,
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as query
              from pg_stat_activity
             where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
            """;

    private final Connection connection;
    private final Thread thread;
    private final Map<String, Integer> waits = new HashMap<>();
    private final Map<String, Integer> queries = new HashMap<>();
    private volatile boolean running = true;
    private int samples;

    private PgSampler(Connection connection, long intervalMillis) {
        this.connection = connection;
        this.thread = Thread.ofPlatform().daemon().name("pg-sampler").start(() -> loop(intervalMillis));
    }

    public static PgSampler start(Connection connection, long intervalMillis) {
        return new PgSampler(connection, intervalMillis);
    }

    private void loop(long intervalMillis) {
        try (PreparedStatement ps = connection.prepareStatement(SAMPLE)) {
            while (running) {
                try (ResultSet rs = ps.executeQuery()) {
                    synchronized (this) {
                        samples++;
                        while (rs.next()) {
                            waits.merge(rs.getString(1), 1, Integer::sum);
                            queries.merge(rs.getString(2), 1, Integer::sum);
                        }
                    }
                }
                Thread.sleep(intervalMillis);
            }
        } catch (SQLException | InterruptedException e) {
            // stop sampling; the summary says how many samples were taken
        }
    }

    /** Average active backends per wait event, and per statement, top 6 of each. */
    public synchronized Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("samples", samples);
        out.put("avg_active_by_wait", top(waits, 6));
        out.put("avg_active_by_statement", top(queries, 6));
        return out;
    }

    private Map<String, Object> top(Map<String, Integer> counts, int n) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer> comparingByValue().reversed());
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : sorted.subList(0, Math.min(n, sorted.size()))) {
            out.put(e.getKey(), Report.round(samples == 0 ? 0 : e.getValue() / (double) samples));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
