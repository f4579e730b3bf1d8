package dev.jobflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One service started as a real process from its built jar ({@code target/<module>-runner.jar}), for
 * end-to-end, crash and scaling tests. Output goes to a log file under {@code target/process-logs}.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Every port {@link #freePort()} returned in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the module's built jar ({@link #jar(Path)}) with the given environment; the
     * HTTP port goes in {@code portVariable}. Does not wait: call {@link #awaitReady(Duration)}.
     */
    public static ServiceProcess start(String name, Path moduleDir, String portVariable, Map<String, String> env)
            throws IOException {
        return start(name, moduleDir, portVariable, freePort(), env);
    }

    /**
     * Like {@link #start(String, Path, String, Map)} on a given port: for a service whose URL others
     * must know before it starts, or to restart one where its clients expect it.
     */
    public static ServiceProcess start(String name, Path moduleDir, String portVariable, int port,
            Map<String, String> env) throws IOException {
        return start(name, moduleDir, portVariable, port, env, List.of());
    }

    /**
     * Like {@link #start(String, Path, String, int, Map)} with extra JVM options before {@code -jar} (the
     * bench's class-data archives: {@code -XX:SharedArchiveFile=...}, {@code -XX:AOTCache=...}).
     */
    public static ServiceProcess start(String name, Path moduleDir, String portVariable, int port,
            Map<String, String> env, List<String> jvmOptions) throws IOException {
        Path jar = jar(moduleDir);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the module first (mvn package)");
        }
        Path logs = Path.of("target/process-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + "-" + port + ".log");
        List<String> command = new ArrayList<>();
        // as users start it (bin/jobflow, the images): 'java -jar <module>-runner.jar', whose manifest opens
        // java.base/java.lang (Quarkus 3.26 on JDK 25), so no --add-opens here
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put(portVariable, String.valueOf(port));
        builder.environment().putAll(environment);
        return new ServiceProcess(name, port, log, builder.start());
    }

    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log);
            }
            if (isReady()) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; log: " + log);
    }

    /** Whether its readiness check answers 200 now (false while it is not listening). */
    public boolean isReady() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notListening) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Whether its log (output and errors) so far contains {@code text}. */
    public boolean logContains(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the process to exit by itself (a start that must fail); its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running after " + timeout + "; log: " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM, then waits for the process to exit by itself. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IllegalStateException(name + " did not exit within " + timeout + " of SIGTERM; log: " + log);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The built jar of a service module, {@code target/<module>-runner.jar}, as an absolute path. */
    public static Path jar(Path moduleDir) {
        Path module = moduleDir.toAbsolutePath().normalize();
        return module.resolve("target/" + module.getFileName() + "-runner.jar");
    }

    /** The directory of a sibling module, seen from the module whose tests run. */
    public static Path module(String name) {
        Path here = Path.of("").toAbsolutePath();
        Path sibling = here.resolveSibling(name);
        return Files.isDirectory(sibling) ? sibling : here.resolve(name);
    }

    /**
     * A port free now that this JVM has not handed out before. A service binds its port seconds after
     * the choice, and until then the kernel may give the same port to the next caller: a stack's
     * dispatcher once got job-api's, bound it first, and answered job-api's readiness check and
     * requests (while job-api exited on the taken port).
     */
    public static int freePort() throws IOException {
        while (true) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
    }

    @Override
    public String toString() {
        return name + "@" + port + " (pid " + process.pid() + ", log " + log + ")";
    }

}
