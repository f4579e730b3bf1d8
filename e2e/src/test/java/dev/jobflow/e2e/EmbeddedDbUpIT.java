package dev.jobflow.e2e;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import dev.jobflow.testing.ServiceProcess;

/**
 * Issue 18's embedded default, as a user runs it: README's first command ({@code bin/jobflow up}) with
 * {@code JOBFLOW_EMBEDDED_DB=true} (so it is shown on a machine that has a server) starts a real PostgreSQL from
 * the embedded-db module on a free port and the three services on it; a demo job reaches COMPLETED with live
 * progress over the hub; stopping bin/jobflow (SIGTERM) stops the embedded database with it.
 */
class EmbeddedDbUpIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static Process up;
    private static Path output;
    private static Path dataDir;
    private static int apiPort;
    private static int hubPort;

    @BeforeAll
    static void start() throws Exception {
        apiPort = ServiceProcess.freePort();
        hubPort = ServiceProcess.freePort();
        int dispatcherPort = ServiceProcess.freePort();
        output = Files.createTempFile("jobflow-up", ".log");
        dataDir = ROOT.resolve("e2e/target/embedded-pg");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/jobflow").toString(), "up").directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("JOBFLOW_DB_URL");
        pb.environment().put("JOBFLOW_EMBEDDED_DB", "true");
        pb.environment().put("JOBFLOW_EMBEDDED_DB_DIR", dataDir.toString());
        pb.environment().put("JOBFLOW_API_PORT", Integer.toString(apiPort));
        pb.environment().put("JOBFLOW_HUB_PORT", Integer.toString(hubPort));
        pb.environment().put("JOBFLOW_DISPATCHER_PORT", Integer.toString(dispatcherPort));
        up = pb.start();
        until("bin/jobflow up ready", Duration.ofMinutes(3), () -> {
            String text = read(output);
            assertThat(up.isAlive()).as("bin/jobflow up exited: " + text).isTrue();
            return text.contains("Ctrl-C stops everything");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null && up.isAlive()) {
            up.destroy();
            up.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void upStartsAnEmbeddedPostgresAndADemoJobCompletesLiveThenStopStopsIt() throws Exception {
        String log = Files.readString(output);
        assertThat(log).contains("JOBFLOW_EMBEDDED_DB=true: started an embedded PostgreSQL at jdbc:postgresql://127.0.0.1:");
        String url = Files.readString(dataDir.resolve("url")).strip();
        int dbPort = Integer.parseInt(url.replaceAll("^jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/jobflow$", "$1"));
        assertThat(dbPort).isNotEqualTo(5432);

        String api = "http://127.0.0.1:" + apiPort;
        String token = post(api + "/api/v1/tokens", "{}").getString("token");
        JobFlowIT.Frames frames = new JobFlowIT.Frames();
        WebSocket socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + hubPort + "/ws?token=" + token), frames)
                .get(10, TimeUnit.SECONDS);
        socket.sendText(new JsonObject().put("type", "subscribe").put("room", "user:local").encode(), true)
                .get(10, TimeUnit.SECONDS);
        frames.await(f -> "subscribed".equals(f.getString("type")), Duration.ofSeconds(10));

        long id = post(api + "/api/v1/jobs", """
                {"name": "embedded", "type": "demo", "params": {"duration": 2, "step": 0.5}}""").getLong("id");
        frames.await(f -> JobFlowIT.isJob(f, id) && "COMPLETED".equals(JobFlowIT.data(f).getString("status")),
                Duration.ofSeconds(60));
        List<JsonObject> progress = frames.all().stream().filter(f -> JobFlowIT.isJob(f, id)).map(JobFlowIT::data)
                .toList();
        assertThat(progress.stream().filter(d -> "RUNNING".equals(d.getString("status"))).count())
                .as("live progress steps while running").isGreaterThanOrEqualTo(3);
        assertThat(progress).extracting(d -> d.getInteger("pct")).isSorted().contains(100);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

        assertThat(answers(dbPort)).as("embedded PostgreSQL answers while up runs").isTrue();
        up.destroy();
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("bin/jobflow stops on SIGTERM").isTrue();
        assertThat(answers(dbPort)).as("embedded PostgreSQL stopped with bin/jobflow").isFalse();
        assertThat(Files.readString(output)).contains("embedded PostgreSQL stopped");
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonObject post(String url, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isBetween(200, 201);
        return new JsonObject(response.body());
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
