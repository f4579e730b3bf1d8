package dev.jobflow.dispatcher.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import dev.jobflow.testing.Await;
import dev.jobflow.testing.ServiceProcess;

/**
 * A real Kafka broker (KRaft: broker and controller in one node, no ZooKeeper) run as a process of
 * its own from the Kafka jars on the test classpath ({@code org.apache.kafka:kafka_2.13}), with its
 * data in a fresh directory. Its port is chosen before it starts, so a client can be pointed at it
 * while nothing listens there yet.
 */
final class KafkaBroker implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    KafkaBroker() throws IOException {
        this.port = ServiceProcess.freePort();
        this.dir = Files.createTempDirectory("jobflow-kafka-");
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Formats its storage, starts it and waits until it answers (within two minutes). */
    KafkaBroker start() throws IOException, InterruptedException {
        int controller = ServiceProcess.freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                ""));
        Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()).redirectOutput(dir.resolve("format.log").toFile()).redirectErrorStream(true)
                .start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the Kafka storage failed: "
                    + Files.readString(dir.resolve("format.log")));
        }
        process = java("kafka.Kafka", config.toString()).redirectOutput(dir.resolve("kafka.log").toFile())
                .redirectErrorStream(true).start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000))) {
            Await.until("the Kafka broker answers (log: " + dir.resolve("kafka.log") + ")", Duration.ofMinutes(2),
                    () -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the Kafka broker exited: " + dir.resolve("kafka.log"));
                        }
                        try {
                            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                        } catch (Exception notYet) {
                            return false;
                        }
                    });
        }
        return this;
    }

    private static ProcessBuilder java(String main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
