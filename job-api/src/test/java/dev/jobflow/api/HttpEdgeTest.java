package dev.jobflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.LogLines;
import dev.jobflow.testing.PostgresTestResource;
import dev.jobflow.testing.RawHttp;
import dev.jobflow.testing.RawHttp.Answer;

/**
 * The refusals answered before (or around) JAX-RS, over raw sockets: each is problem+json with type,
 * title, status and detail, never a 500, and writes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class HttpEdgeTest {
    private static final RawHttp HTTP = RawHttp.http();
    private static final RawHttp CLOSING = RawHttp.awaitingClose();

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    private ApiKey key;
    private LogLines logs;

    @BeforeEach
    void createKey() {
        key = ApiKey.create(db, "edge-test");
        logs = LogLines.capture();
    }

    /** A refusal logs nothing: no warning, no stack trace, nothing of the request. */
    @AfterEach
    void nothingLogged() {
        logs.close();
        assertThat(logs.all()).allSatisfy(line -> {
            assertThat(line.stackTrace()).as("%s", line).isFalse();
            assertThat(line.message()).as("%s", line).doesNotContain("aaaaaaaa", "pppppppp", "xxxxxxxx", key.secret());
        });
        assertThat(logs.atLeast(Level.WARNING)).filteredOn(line -> !line.logger().startsWith("io.micrometer")).isEmpty();
    }

    private static JsonObject problem(Answer answer, int status) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as("%s", answer).startsWith("application/problem+json");
        JsonObject body = new JsonObject(answer.body());
        assertThat(body.getString("type")).isEqualTo("about:blank");
        assertThat(body.getString("title")).isNotBlank();
        assertThat(body.getInteger("status")).isEqualTo(status);
        assertThat(body.getString("detail")).isNotBlank();
        return body;
    }

    private String post(String target, String contentType, int length) {
        return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key.secret()
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length;
    }

    @Test
    void aBodyOverTheLimitIsA413ProblemWhetherAnnouncedSentOrChunked() {
        int size = 1024 * 1024 + 1;
        // announced: answered before the body is sent (the server closes once the body has come, or after 2 s)
        Answer announced = HTTP.send(base, post("/api/v1/jobs", "application/json", size), null);
        assertThat(problem(announced, 413).getString("detail")).contains("1048576");
        assertThat(announced.header("Connection")).isEqualTo("close");
        // sent in full without waiting: the rest is read and dropped, the client reads the answer, not a reset
        byte[] body = ("{\"name\":\"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
        Answer sent = CLOSING.send(base, post("/api/v1/jobs", "application/json", body.length), body);
        problem(sent, 413);
        assertThat(sent.closed()).isTrue();
        // chunked: found while reading
        String chunk = Integer.toHexString(body.length) + "\r\n" + new String(body, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n";
        Answer chunked = CLOSING.send(base, "POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + key.secret() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
                chunk.getBytes(StandardCharsets.UTF_8));
        problem(chunked, 413);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsRead() {
        String json = "{\"name\": \"chunked\", \"owner\": \"alice\", \"type\": \"demo\"}";
        String chunks = "10\r\n" + json.substring(0, 16) + "\r\n" + Integer.toHexString(json.length() - 16) + "\r\n"
                + json.substring(16) + "\r\n0\r\n\r\n";
        Answer answer = HTTP.send(base, post("/api/v1/jobs", "application/json", 0).replace("Content-Length: 0",
                "Transfer-Encoding: chunked"), chunks.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(new JsonObject(answer.body()).getString("name")).isEqualTo("chunked");
    }

    @Test
    void overHttp2ABodyOverTheLimitIsA413ProblemAndOneWithinIsRead() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI jobs = base.toURI().resolve("/api/v1/jobs");
        // the first request upgrades the connection (h2c); the next ones are HTTP/2 streams
        client.send(HttpRequest.newBuilder(jobs).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(jobs).header("Authorization", "Bearer "
                + key.secret()).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"h2\", \"owner\": \"alice\", \"type\": \"demo\"}"))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(jobs).header("Authorization", "Bearer "
                + key.secret()).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"" + "x".repeat(1024 * 1024) + "\"}"))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(new JsonObject(refused.body()).getInteger("status")).isEqualTo(413);
    }

    @Test
    void aLongUriIsA414ProblemAndOneBeyondTheCodecIsABare414AndAClose() {
        problem(HTTP.request(base, "GET", "/api/v1/jobs?owner=" + "a".repeat(9000)), 414);
        // beyond quarkus.http.limits.max-initial-line-length Vert.x refuses it in the codec, before any handler
        Answer codec = CLOSING.request(base, "GET", "/api/v1/jobs?owner=" + "a".repeat(40_000));
        assertThat(codec.status()).isEqualTo(414);
        assertThat(codec.closed()).isTrue();
    }

    @Test
    void largeHeadersAreA431ProblemAndBeyondTheCodecABare431AndAClose() {
        problem(HTTP.request(base, "GET", "/api/v1/jobs", "X-Pad: " + "p".repeat(17_000)), 431);
        Answer codec = CLOSING.request(base, "GET", "/api/v1/jobs", "X-Pad: " + "p".repeat(70_000));
        assertThat(codec.status()).isEqualTo(431);
        assertThat(codec.closed()).isTrue();
    }

    @Test
    void aWrongMethodIsA405ProblemWithAllow() {
        Answer answer = HTTP.request(base, "DELETE", "/api/v1/jobs");
        problem(answer, 405);
        assertThat(answer.header("Allow")).contains("GET", "POST");
        Answer onId = HTTP.request(base, "PUT", "/api/v1/jobs/1", "Content-Length: 0");
        problem(onId, 405);
        assertThat(onId.header("Allow")).contains("GET").doesNotContain("POST");
    }

    @Test
    void aWrongContentTypeIsA415AndAnUnacceptableAcceptA406() {
        problem(HTTP.send(base, post("/api/v1/jobs", "text/plain", 2), "{}".getBytes(StandardCharsets.UTF_8)), 415);
        problem(HTTP.request(base, "GET", "/api/v1/jobs", "Accept: text/csv"), 406);
    }

    @Test
    void unknownPathsAreA404Problem() {
        problem(HTTP.request(base, "GET", "/no/such/thing"), 404);
        problem(HTTP.request(base, "GET", "/api/v1/nothing-here"), 404);
        problem(HTTP.request(base, "POST", "/api/v1/jobs/1/nothing", "Content-Length: 0"), 404);
    }

    @Test
    void anEmptyOrNonJsonBodyIsA400Problem() {
        problem(HTTP.send(base, post("/api/v1/jobs", "application/json", 0), null), 400);
        problem(HTTP.send(base, post("/api/v1/jobs", "application/json", 0).replace("Content-Length: 0",
                "Transfer-Encoding: chunked"), "0\r\n\r\n".getBytes(StandardCharsets.UTF_8)), 400);
        byte[] notJson = "name=x&type=demo".getBytes(StandardCharsets.UTF_8);
        problem(HTTP.send(base, post("/api/v1/jobs", "application/json", notJson.length), notJson), 400);
        byte[] truncated = "{\"name\": \"x\", \"type\": ".getBytes(StandardCharsets.UTF_8);
        problem(HTTP.send(base, post("/api/v1/jobs", "application/json", truncated.length), truncated), 400);
    }

    @Test
    void aMalformedPathIdIsA400ProblemNamingIt() {
        for (String id : new String[] { "abc", "99999999999999999999", "-5", "0", "1.5", "+7", "%20" }) {
            JsonObject body = problem(HTTP.request(base, "GET", "/api/v1/jobs/" + id, "Authorization: Bearer "
                    + key.secret()), 400);
            assertThat(body.getJsonArray("errors").getJsonObject(0).getString("field")).as(id).isEqualTo("id");
        }
        JsonObject cancel = problem(HTTP.request(base, "POST", "/api/v1/jobs/abc/cancel", "Authorization: Bearer "
                + key.secret(), "Content-Length: 0"), 400);
        assertThat(cancel.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("id");
        // JAX-RS would read "1;drop" as job 1 with a matrix parameter, and cancel job 1
        JsonObject matrix = problem(HTTP.request(base, "POST", "/api/v1/jobs/1;drop/cancel", "Authorization: Bearer "
                + key.secret(), "Content-Length: 0"), 400);
        assertThat(matrix.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("id");
    }

    @Test
    void aMalformedContentLengthIsA400() {
        Answer answer = CLOSING.send(base, post("/api/v1/jobs", "application/json", 0).replace("Content-Length: 0",
                "Content-Length: abc"), null);
        // Netty's decoder refuses it before any handler (docs/api-errors.md): a bare 400 and a close
        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.closed()).isTrue();
    }
}
