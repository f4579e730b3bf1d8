package dev.jobflow.hub;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.hub.testing.HubTestBase;
import dev.jobflow.hub.testing.RawWebSocket;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.hub.ws.CloseCodes;
import dev.jobflow.testing.LogLines;
import dev.jobflow.testing.PostgresTestResource;
import dev.jobflow.testing.RawHttp;
import dev.jobflow.testing.RawHttp.Answer;

/**
 * The hub's refusals before (or around) JAX-RS, over raw sockets, each problem+json; and an oversized
 * WebSocket message, which closes only its own connection with 1009 and one WARN line.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class EdgeTest extends HubTestBase {
    private static final RawHttp HTTP = RawHttp.http();
    private static final RawHttp CLOSING = RawHttp.awaitingClose();
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final int MAX_FRAME = 1024 * 1024;

    private String key;

    private LogLines logs;

    @BeforeEach
    void createKey() throws Exception {
        key = "k-" + UUID.randomUUID();
        sql("insert into progress_api_keys (name, key_sha256) values (?, ?)", "edge-" + key, ApiKeyHeaders.sha256(key));
        logs = LogLines.capture();
    }

    /** No refusal logs a stack trace or anything of the request (the WebSocket tests count their WARN lines). */
    @AfterEach
    void nothingOfTheRequestLogged() {
        logs.close();
        assertThat(logs.all()).allSatisfy(line -> {
            assertThat(line.stackTrace()).as("%s", line).isFalse();
            assertThat(line.message()).as("%s", line).doesNotContain("aaaaaaaa", "pppppppp", "xxxxxxxx", "zzzzzzzz",
                    "yyyyyyyy", key);
        });
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

    private String send(String contentType, int length) {
        return "POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + key + "\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + length;
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() {
        // announced: answered before the body is sent (the server closes once the body has come, or after 2 s)
        Answer announced = HTTP.send(base, send("application/json", MAX_MESSAGE + 1), null);
        assertThat(problem(announced, 413).getString("detail")).contains(String.valueOf(MAX_MESSAGE));
        assertThat(announced.header("Connection")).isEqualTo("close");
        byte[] body = ("{\"rooms\":\"r\",\"message\":{\"pad\":\"" + "x".repeat(MAX_MESSAGE) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        Answer sent = CLOSING.send(base, send("application/json", body.length), body);
        problem(sent, 413);
        assertThat(sent.closed()).isTrue();
    }

    @Test
    void aLongUriOrLargeHeadersAreProblemsAndBeyondTheCodecBareRefusals() {
        problem(HTTP.request(base, "GET", "/q/health?x=" + "a".repeat(9000)), 414);
        problem(HTTP.request(base, "GET", "/q/health", "X-Pad: " + "p".repeat(17_000)), 431);
        Answer uri = CLOSING.request(base, "GET", "/q/health?x=" + "a".repeat(40_000));
        assertThat(uri.status()).isEqualTo(414);
        assertThat(uri.closed()).isTrue();
        Answer headers = CLOSING.request(base, "GET", "/q/health", "X-Pad: " + "p".repeat(70_000));
        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.closed()).isTrue();
    }

    @Test
    void wrongMethodContentTypeAndPathAreProblems() {
        Answer get = HTTP.request(base, "GET", "/api/v1/messages");
        problem(get, 405);
        assertThat(get.header("Allow")).contains("POST");
        problem(HTTP.send(base, send("text/plain", 2), "{}".getBytes(StandardCharsets.UTF_8)), 415);
        problem(HTTP.send(base, send("application/json", 2) + "\r\nAccept: text/csv", "{}".getBytes(StandardCharsets.UTF_8)),
                406);
        problem(HTTP.request(base, "GET", "/no/such/thing"), 404);
        problem(HTTP.request(base, "GET", "/api/v1/nothing-here"), 404);
        // the WebSocket path without an upgrade, and with one that lacks its key
        problem(HTTP.request(base, "GET", "/ws"), 426);
        Answer badHandshake = HTTP.request(base, "GET", "/ws", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Version: 13");
        assertThat(badHandshake.status()).as("%s", badHandshake).isEqualTo(400);
    }

    @Test
    void anEmptyOrNonJsonBodyIsA400Problem() {
        problem(HTTP.send(base, send("application/json", 0), null), 400);
        byte[] notJson = "rooms=r&message=x".getBytes(StandardCharsets.UTF_8);
        problem(HTTP.send(base, send("application/json", notJson.length), notJson), 400);
    }

    @Test
    void aMessageOverTheLimitClosesOnlyItsConnectionWith1009AndOneWarnLine() {
        String room = room("big-");
        String token = Tokens.token("edge", List.of(room), List.of());
        String secret = "secret-content-" + UUID.randomUUID();
        try (LogLines logs = LogLines.capture();
                WsClient big = WsClient.connect(baseUrl(), token);
                WsClient other = WsClient.connect(baseUrl(), token)) {
            other.subscribe(room).awaitType("subscribed", room);
            big.awaitType("authenticated", null);

            big.sendRaw(secret + "x".repeat(MAX_MESSAGE));
            assertThat(big.awaitClose(WAIT)).isEqualTo(CloseCodes.TOO_BIG);

            publish(room, 1);
            assertThat(numbers(other.awaitMessages(room, 1, WAIT))).containsExactly(1);
            assertThat(other.isClosed()).isFalse();

            List<LogLines.Line> warnings = warnings(logs);
            assertThat(warnings).as("%s", logs.all()).hasSize(1);
            assertThat(warnings.get(0).message()).contains("1009");
            assertThat(logs.all()).allSatisfy(line -> {
                assertThat(line.stackTrace()).as("%s", line).isFalse();
                assertThat(line.message()).as("%s", line).doesNotContain(secret).doesNotContain("xxxxxxxx");
            });
        }
    }

    @Test
    void singleFramesOverTheLimitsCloseOnlyTheirConnectionWithOneWarnLineEach() throws Exception {
        String room = room("huge-");
        String token = Tokens.token("edge-huge", List.of(room), List.of());
        try (LogLines logs = LogLines.capture(); WsClient other = WsClient.connect(baseUrl(), token)) {
            other.subscribe(room).awaitType("subscribed", room);
            int overMessage;
            try (RawWebSocket ws = RawWebSocket.open(base)) {
                ws.sendTextFrame(MAX_MESSAGE + 1);
                overMessage = ws.closeCode();
            }
            int overFrame;
            try (RawWebSocket ws = RawWebSocket.open(base)) {
                ws.sendTextFrame(MAX_FRAME + 1);
                overFrame = ws.closeCode();
            }

            publish(room, 1);
            assertThat(numbers(other.awaitMessages(room, 1, WAIT))).containsExactly(1);
            List<LogLines.Line> warnings = until("a WARN line for each", WAIT, () -> warnings(logs),
                    lines -> lines.size() >= 2);
            assertThat(warnings).as("close codes %d, %d; %s", overMessage, overFrame, logs.all()).hasSize(2);
            assertThat(logs.all()).allSatisfy(line -> assertThat(line.stackTrace()).as("%s", line).isFalse());
            // a frame up to the codec's frame limit reaches the message limit: a close frame with 1009
            assertThat(overMessage).isEqualTo(CloseCodes.TOO_BIG);
            // beyond it the codec refuses the frame before reading it, and closes that connection alone,
            // also with a close frame of 1009
            assertThat(overFrame).isEqualTo(CloseCodes.TOO_BIG);
        }
    }

    /** WARN and ERROR lines, less the one Micrometer writes once when the first test to scrape registers gauges. */
    private static List<LogLines.Line> warnings(LogLines logs) {
        return logs.atLeast(Level.WARNING).stream().filter(line -> !line.logger().startsWith("io.micrometer")).toList();
    }
}
