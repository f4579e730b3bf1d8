package dev.jobflow.dispatcher.process;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/** Dispatcher processes started from the built jar against one test database, and SQL helpers. */
final class Fleet implements AutoCloseable {
    private final TestDatabase db;
    private final Map<String, String> settings;
    private final List<ServiceProcess> started = new ArrayList<>();

    Fleet(TestDatabase db, Map<String, String> settings) {
        this.db = db;
        this.settings = settings;
    }

    ServiceProcess start(String replicaId) throws Exception {
        return launch(replicaId).awaitReady(Duration.ofSeconds(90));
    }

    /** Starts one dispatcher process per replica id side by side; returns them (a list to change) once all are ready. */
    List<ServiceProcess> startAll(List<String> replicaIds) throws Exception {
        List<ServiceProcess> processes = new ArrayList<>();
        for (String replicaId : replicaIds) {
            processes.add(launch(replicaId));
        }
        for (ServiceProcess process : processes) {
            process.awaitReady(Duration.ofSeconds(90));
        }
        return processes;
    }

    /** Starts a dispatcher process without waiting for it to be ready. */
    ServiceProcess launch(String replicaId) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("JOBFLOW_DB_URL", db.jdbcUrl());
        env.put("JOBFLOW_DB_USER", db.user());
        env.put("JOBFLOW_DB_PASSWORD", db.password());
        env.put("JOBFLOW_MIGRATE_AT_START", "false");
        env.put("JOBFLOW_DISPATCHER_REPLICA_ID", replicaId);
        // Short-lived test JVMs on a small shared machine: cheaper JIT and GC start faster.
        env.putIfAbsent("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        ServiceProcess process = ServiceProcess.start("dispatcher-" + replicaId, ServiceProcess.module("dispatcher"),
                "JOBFLOW_DISPATCHER_PORT", env);
        started.add(process);
        return process;
    }

    /** One readiness probe, no waiting. */
    /** Inserts {@code count} jobs in one statement (the job rows are the queue) and wakes the dispatchers. */
    void insertJobs(int count, String type, String paramsJson, int maxAttempts) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement insert = c.prepareStatement("insert into jobs (name, owner, type, params, max_attempts)"
                        + " select 'job ' || n, 'fleet', ?, ?::jsonb, ? from generate_series(1, ?) n")) {
            insert.setString(1, type);
            insert.setString(2, paramsJson);
            insert.setInt(3, maxAttempts);
            insert.setInt(4, count);
            insert.executeUpdate();
            try (Statement notify = c.createStatement()) {
                notify.execute("select pg_notify('jobflow_jobs_ready', '')");
            }
        }
    }

    long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    List<Long> queryLongs(String sql, Object... args) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Long> values = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
            return values;
        }
    }

    /** Polls until no job is QUEUED or RUNNING; returns false on timeout. */
    boolean awaitAllTerminal(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (queryLong("select count(*) from jobs where status in ('QUEUED', 'RUNNING')") == 0) {
                return true;
            }
            Thread.sleep(100); // polling interval
        }
        return false;
    }

    /**
     * Highest number of jobs RUNNING at once, replayed from the jobs' events in the progress log (one
     * row per status change since V023, the rows the room {@code jobs} shows; in offset order: a claim's message is written
     * after the lock and count
     * that admitted it, so this order is the order the cap saw).
     */
    long maxRunningFromLog() throws SQLException {
        return queryLong("""
                with events as (
                    select id, (payload ->> 'job_id')::bigint as job_id, payload ->> 'status' as status
                      from progress_log where job_owner is not null),
                deltas as (
                    select id, (status = 'RUNNING')::int
                             - coalesce((lag(status) over (partition by job_id order by id) = 'RUNNING')::int, 0) as d
                      from events)
                select coalesce(max(running), 0) from (select sum(d) over (order by id) as running from deltas) r
                """);
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess process : started) {
            process.close();
        }
    }
}
