package dev.jobflow.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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

/**
 * A fresh migrated database and whichever built services a scenario starts on it, each a real
 * process on a free loopback port (the launcher of the end-to-end tests). Everything stops on
 * {@link #close()} and the database is dropped.
 */
public final class BenchStack implements AutoCloseable {
    public static final Duration READY = Duration.ofSeconds(90);
    /** The variable that sets each service's HTTP port. */
    public static final Map<String, String> PORT_VARIABLES = Map.of("job-api", "JOBFLOW_API_PORT", "dispatcher",
            "JOBFLOW_DISPATCHER_PORT", "progress-hub", "JOBFLOW_HUB_PORT");

    /**
     * JVM options for every service a scenario starts, from {@code BENCH_SERVICE_JVM_OPTIONS} (space-separated):
     * compares JVM settings without touching the bench's own JVM, which {@code JAVA_TOOL_OPTIONS} would.
     */
    public static final List<String> SERVICE_JVM_OPTIONS = List.of(
            System.getenv().getOrDefault("BENCH_SERVICE_JVM_OPTIONS", "").trim().split("\\s+")).stream()
            .filter(option -> !option.isEmpty()).toList();

    private final TestDatabase db;
    private final Map<String, String> env = new HashMap<>();
    private final List<ServiceProcess> processes = new ArrayList<>();

    private BenchStack(TestDatabase db) {
        this.db = db;
        env.put("JOBFLOW_DB_URL", db.jdbcUrl());
        env.put("JOBFLOW_DB_USER", db.user());
        if (!db.password().isEmpty()) {
            env.put("JOBFLOW_DB_PASSWORD", db.password());
        }
    }

    public static BenchStack create(String purpose) {
        return new BenchStack(TestDatabase.create("bench_" + purpose));
    }

    /**
     * Whether a service module is built and has code: its jar exists and it has sources. Scenarios
     * that need a service not built yet are skipped, not failed.
     */
    public static boolean built(String module) {
        Path dir = ServiceProcess.module(module);
        return Files.exists(ServiceProcess.jar(dir))
                && Files.isDirectory(dir.resolve("src/main/java"));
    }

    /** Starts a service without waiting; {@code settings} are extra environment variables. */
    public ServiceProcess launch(String module, Map<String, String> settings) throws IOException {
        return launch(module, settings, List.of());
    }

    /** Like {@link #launch(String, Map)} with extra JVM options before {@code -jar}. */
    public ServiceProcess launch(String module, Map<String, String> settings, List<String> jvmOptions)
            throws IOException {
        if (!built(module)) {
            throw new IllegalStateException(module + " is not built (or has no code yet): run bin/bench without "
                    + "BENCH_NO_BUILD, or ./mvnw -B package -DskipTests");
        }
        Map<String, String> all = new HashMap<>(env);
        if (module.equals("job-api")) {
            // scenarios build a backlog before any dispatcher has started (and registered its job types)
            all.put("JOBFLOW_API_SUBMIT_UNKNOWN_TYPES", "true");
        }
        all.putAll(settings);
        List<String> options = new ArrayList<>(SERVICE_JVM_OPTIONS);
        options.addAll(jvmOptions);
        ServiceProcess process = ServiceProcess.start(module, ServiceProcess.module(module), PORT_VARIABLES.get(module),
                ServiceProcess.freePort(), all, options);
        processes.add(process);
        return process;
    }

    /** Starts a service and waits until it is ready. */
    public ServiceProcess start(String module, Map<String, String> settings) throws IOException, InterruptedException {
        return launch(module, settings).awaitReady(READY);
    }

    public TestDatabase db() {
        return db;
    }

    public Connection connect() throws SQLException {
        return db.connect();
    }

    /** Sets (or replaces) an environment variable for services started from now on. */
    public BenchStack env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The server processes working for this database: its backends plus the WAL writer. */
    public List<Long> postgresPids() {
        List<Long> pids = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "select pid from pg_stat_activity where (datname = current_database() and pid <> pg_backend_pid())"
                                + " or backend_type in ('walwriter', 'checkpointer', 'background writer')")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            // no pids: the CPU column stays 0 and the breakdown shows it
        }
        return pids;
    }

    public long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Stops one service process (SIGKILL) and forgets it. */
    public void stop(ServiceProcess process) throws InterruptedException {
        process.close();
        processes.remove(process);
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess process : processes.reversed()) {
            process.close();
        }
        processes.clear();
        db.close();
    }
}
