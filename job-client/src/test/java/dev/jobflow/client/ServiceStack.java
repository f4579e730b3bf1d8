package dev.jobflow.client;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * job-api, dispatcher and progress-hub started from their built artifacts ({@code target/quarkus-app}) as
 * separate processes on a fresh PostgreSQL database, each on a free port: what the client talks to in production.
 */
final class ServiceStack implements AutoCloseable {
    // A deadline, not a pause: three JVMs starting at once on a loaded 2-core machine can take a while.
    private static final Duration READY = Duration.ofSeconds(180);

    private final TestDatabase db;
    private final Map<String, String> env;
    private ServiceProcess api;
    private ServiceProcess dispatcher;
    private ServiceProcess hub;

    private ServiceStack(TestDatabase db, Map<String, String> env) {
        this.db = db;
        this.env = env;
    }

    /** Starts job-api first (it migrates the database), then the hub and the dispatcher, and waits for all three. */
    static ServiceStack start(String purpose) throws IOException, InterruptedException {
        TestDatabase db = TestDatabase.create(purpose);
        Map<String, String> env = new HashMap<>();
        env.put("JOBFLOW_DB_URL", db.jdbcUrl());
        env.put("JOBFLOW_DB_USER", db.user());
        if (!db.password().isEmpty()) {
            env.put("JOBFLOW_DB_PASSWORD", db.password());
        }
        env.put("JOBFLOW_DISPATCHER_SLOTS", "4");
        // hub tokens that expire within a test: a subscription must refresh its token in place
        env.put("JOBFLOW_API_TOKENS_TTL", "4s");
        int hubPort = ServiceProcess.freePort();
        env.put("JOBFLOW_HUB_URL", "http://127.0.0.1:" + hubPort);
        ServiceStack stack = new ServiceStack(db, env);
        try {
            stack.api = ServiceProcess.start("job-api", ServiceProcess.module("job-api"), "JOBFLOW_API_PORT", env);
            stack.hub = ServiceProcess.start("progress-hub", ServiceProcess.module("progress-hub"),
                    "JOBFLOW_HUB_PORT", hubPort, env);
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

    /** SIGKILLs the hub: its subscribers lose their connections at once. */
    void killHub() throws InterruptedException {
        hub.kill();
    }

    /** Starts a hub again on the port of the previous one (where the clients reconnect) and waits until ready. */
    void restartHub() throws IOException, InterruptedException {
        if (hub.isAlive()) {
            hub.kill();
        }
        hub = ServiceProcess.start("progress-hub", ServiceProcess.module("progress-hub"), "JOBFLOW_HUB_PORT",
                hub.port(), env);
        hub.awaitReady(READY);
    }

    String apiUrl() {
        return api.baseUrl();
    }

    String hubUrl() {
        return hub.baseUrl();
    }

    TestDatabase db() {
        return db;
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
