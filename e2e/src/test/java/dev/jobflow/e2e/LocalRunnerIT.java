package dev.jobflow.e2e;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * README's first command, {@code bin/jobflow up}, on its failure paths: a port that is taken, a
 * service that dies at start, a stop from outside. Each ends with a clear message and leaves no
 * service process behind (found by the {@code -Djobflow.runner=<pid>} mark the runner gives
 * each), and local mode listens on loopback only.
 */
class LocalRunnerIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create("runner");
    }

    @AfterAll
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aTakenPortIsNamedAndNothingStarts() throws Exception {
        Map<String, String> env = env(db.jdbcUrl());
        try (ServerSocket taken = new ServerSocket(Integer.parseInt(env.get("JOBFLOW_HUB_PORT")), 5,
                InetAddress.getLoopbackAddress())) {
            Runner runner = Runner.start(env);
            assertThat(runner.process.waitFor(30, TimeUnit.SECONDS)).as("the runner ends at once").isTrue();
            assertThat(runner.process.exitValue()).isNotZero();
            assertThat(runner.output()).contains("port " + taken.getLocalPort() + " for progress-hub is already taken");
            assertThat(runner.services()).isEmpty();
        }
    }

    @Test
    void aServiceThatDiesAtStartIsNamedAndTheOthersAreStopped() throws Exception {
        String missing = db.jdbcUrl().substring(0, db.jdbcUrl().lastIndexOf('/') + 1) + "jf_no_such_database";
        Runner runner = Runner.start(env(missing));
        assertThat(runner.process.waitFor(120, TimeUnit.SECONDS)).as("the runner ends").isTrue();
        assertThat(runner.process.exitValue()).isNotZero();
        assertThat(runner.output()).contains("job-api exited during start-up");
        assertThat(runner.services()).isEmpty();
    }

    @Test
    void aRunnerStoppedFromOutsideStopsEveryServiceAndListensOnLoopbackOnly() throws Exception {
        Runner runner = Runner.start(env(db.jdbcUrl()));
        runner.awaitOutput("Ctrl-C stops everything", Duration.ofSeconds(180));
        assertThat(runner.services()).hasSize(3);
        assertThat(Files.readString(ROOT.resolve("target/local-logs/job-api.log")))
                .contains("Listening on: http://127.0.0.1:");

        Process down = new ProcessBuilder(ROOT.resolve("bin/jobflow").toString(), "down").directory(ROOT.toFile())
                .redirectErrorStream(true).start();
        assertThat(down.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.output()).contains("stopping");
        assertThat(runner.services()).isEmpty();
    }

    private static Map<String, String> env(String dbUrl) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("JOBFLOW_DB_URL", dbUrl);
        env.put("JOBFLOW_DB_USER", db.user());
        env.put("JOBFLOW_DB_PASSWORD", db.password());
        env.put("JOBFLOW_API_PORT", String.valueOf(ServiceProcess.freePort()));
        env.put("JOBFLOW_DISPATCHER_PORT", String.valueOf(ServiceProcess.freePort()));
        env.put("JOBFLOW_HUB_PORT", String.valueOf(ServiceProcess.freePort()));
        return env;
    }

    /** bin/jobflow up as a user runs it, its output collected. */
    private record Runner(Process process, Path log) {
        static Runner start(Map<String, String> env) throws IOException {
            Path log = Files.createTempFile("jobflow-runner", ".log");
            ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/jobflow").toString(), "up")
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new Runner(builder.start(), log);
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void awaitOutput(String text, Duration timeout) throws Exception {
            until("'" + text + "' in the runner's output", timeout, () -> {
                String output = output();
                assertThat(process.isAlive()).as("runner still running; output:%n%s", output).isTrue();
                return output.contains(text);
            });
        }

        /** The service processes this runner started that are still alive. */
        List<ProcessHandle> services() {
            String mark = "-Djobflow.runner=" + process.pid() + " ";
            return ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(mark)).orElse(false)).toList();
        }
    }
}
