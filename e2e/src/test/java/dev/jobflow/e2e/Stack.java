package dev.jobflow.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * The whole system as a user runs it: a fresh PostgreSQL database and the three services started
 * from their built artifacts as separate processes, each on a free port.
 */
public final class Stack implements AutoCloseable {
    // A deadline, not a pause: three JVMs starting at once on a loaded 2-core machine can take minutes.
    private static final Duration READY = Duration.ofSeconds(180);

    private final TestDatabase db;
    private final Map<String, String> env;
    private ServiceProcess api;
    private ServiceProcess dispatcher;
    private ServiceProcess hub;

    private Stack(TestDatabase db, Map<String, String> env) {
        this.db = db;
        this.env = env;
    }

    /** Starts job-api first (it migrates the database), then the dispatcher and the hub. */
    public static Stack start(String purpose, Map<String, String> settings) throws IOException, InterruptedException {
        TestDatabase db = TestDatabase.create(purpose);
        Map<String, String> env = new HashMap<>(settings);
        env.put("JOBFLOW_DB_URL", db.jdbcUrl());
        env.put("JOBFLOW_DB_USER", db.user());
        if (!db.password().isEmpty()) {
            env.put("JOBFLOW_DB_PASSWORD", db.password());
        }
        // The hub's port is chosen first: job-api tells the page where the hub is.
        int hubPort = ServiceProcess.freePort();
        env.putIfAbsent("JOBFLOW_HUB_URL", "http://127.0.0.1:" + hubPort);
        Stack stack = new Stack(db, env);
        try {
            stack.api = ServiceProcess.start("job-api", ServiceProcess.module("job-api"), "JOBFLOW_API_PORT", env);
            stack.hub = ServiceProcess.start("progress-hub", ServiceProcess.module("progress-hub"), "JOBFLOW_HUB_PORT",
                    hubPort, env);
            stack.dispatcher = ServiceProcess.start("dispatcher", ServiceProcess.module("dispatcher"),
                    "JOBFLOW_DISPATCHER_PORT", env);
            stack.api.awaitReady(READY);
            stack.hub.awaitReady(READY);
            stack.dispatcher.awaitReady(READY);
            return stack;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Kills the hub (SIGKILL): its clients lose their connections; see {@link #restartHub()}. */
    public ServiceProcess killHub() throws InterruptedException {
        hub.kill();
        return hub;
    }

    /** Starts a hub again on the port of the previous one and waits until it is ready. */
    public ServiceProcess restartHub() throws IOException, InterruptedException {
        if (hub.isAlive()) {
            hub.kill();
        }
        hub = ServiceProcess.start("progress-hub", ServiceProcess.module("progress-hub"), "JOBFLOW_HUB_PORT",
                hub.port(), env);
        return hub.awaitReady(READY);
    }

    public ServiceProcess api() {
        return api;
    }

    public ServiceProcess dispatcher() {
        return dispatcher;
    }

    public ServiceProcess hub() {
        return hub;
    }

    public TestDatabase db() {
        return db;
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess process : new ServiceProcess[] { dispatcher, hub, api }) {
            if (process != null) {
                process.close();
            }
        }
        db.close();
    }
}
