package dev.jobflow.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole system as a user runs it: a fresh PostgreSQL database and job-api, dispatcher and
 * progress-hub started from their built jars ({@code target/<service>-runner.jar}) as separate processes,
 * each on a free port. The end-to-end tests and the Java client's tests use it.
 * <p>
 * {@link #start} gives a test class a stack of its own; {@link #shared} gives every test class of
 * the JVM that asks for the same name one stack, started on first use and stopped when the JVM ends
 * (classes sharing one keep their data apart: their own owners, queues, names and keys).
 */
public final class ServiceStack implements AutoCloseable {
    // A deadline, not a pause: three JVMs starting at once on a loaded 2-core machine can take minutes.
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Map<String, ServiceStack> SHARED = new HashMap<>();

    private final TestDatabase db;
    private final Map<String, String> settings;
    private final Map<String, String> env;
    private ServiceProcess api;
    private ServiceProcess dispatcher;
    private ServiceProcess hub;

    private ServiceStack(TestDatabase db, Map<String, String> settings, Map<String, String> env) {
        this.db = db;
        this.settings = settings;
        this.env = env;
    }

    /**
     * A stack of the caller's own, with {@code settings} as extra environment of the three services.
     * Starts job-api first (it migrates the database), then the hub and the dispatcher, and waits for
     * all three. With {@code JOBFLOW_TOKEN_SIGNING_KEY} (job-api signs hub tokens with a key pair) the
     * hub verifies them with job-api's JWKS ({@code JOBFLOW_TOKEN_JWKS_URL}), as the chart sets it up.
     */
    public static ServiceStack start(String purpose, Map<String, String> settings)
            throws IOException, InterruptedException {
        TestDatabase db = TestDatabase.create(purpose);
        Map<String, String> env = new HashMap<>(settings);
        env.put("JOBFLOW_DB_URL", db.jdbcUrl());
        env.put("JOBFLOW_DB_USER", db.user());
        if (!db.password().isEmpty()) {
            env.put("JOBFLOW_DB_PASSWORD", db.password());
        }
        // The ports are chosen first: job-api tells the page where the hub is, and a job-api that signs
        // hub tokens with a key pair publishes its public keys to the hub.
        int hubPort = ServiceProcess.freePort();
        int apiPort = ServiceProcess.freePort();
        env.putIfAbsent("JOBFLOW_HUB_URL", "http://127.0.0.1:" + hubPort);
        if (settings.containsKey("JOBFLOW_TOKEN_SIGNING_KEY")) {
            env.put("JOBFLOW_TOKEN_JWKS_URL", "http://127.0.0.1:" + apiPort + "/api/v1/tokens/jwks");
        }
        ServiceStack stack = new ServiceStack(db, Map.copyOf(settings), env);
        try {
            stack.api = ServiceProcess.start("job-api", ServiceProcess.module("job-api"), "JOBFLOW_API_PORT", apiPort,
                    env);
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

    /**
     * The stack named {@code name} of this JVM: started with {@code settings} by the first caller,
     * the same one for every later caller (who must ask with the same settings), stopped when the JVM
     * ends. Its users must not {@link #close()} it.
     */
    public static synchronized ServiceStack shared(String name, Map<String, String> settings)
            throws IOException, InterruptedException {
        ServiceStack stack = SHARED.get(name);
        if (stack == null) {
            stack = start(name, settings);
            SHARED.put(name, stack);
            ServiceStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop shared stack " + name));
        } else if (!stack.settings.equals(Map.copyOf(settings))) {
            throw new IllegalStateException("the shared stack " + name + " runs with " + stack.settings
                    + ", not " + settings + ": give a stack with other settings another name");
        }
        return stack;
    }

    /** Kills the hub (SIGKILL): its clients lose their connections at once; see {@link #restartHub()}. */
    public ServiceProcess killHub() throws InterruptedException {
        hub.kill();
        return hub;
    }

    /** Starts a hub again on the port of the previous one (where clients reconnect) and waits until it is ready. */
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

    public String apiUrl() {
        return api.baseUrl();
    }

    public String hubUrl() {
        return hub.baseUrl();
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
