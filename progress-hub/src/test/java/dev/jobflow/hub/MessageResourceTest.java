package dev.jobflow.hub;

import static dev.jobflow.testing.Await.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.hub.testing.HubTestBase;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.testing.PostgresTestResource;

/** POST /api/v1/messages: API keys (hashed, revocable), per-room results, bad input changes nothing. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class MessageResourceTest extends HubTestBase {
    private String key;
    private String keyName;

    @BeforeEach
    void createKey() throws Exception {
        key = "k-" + UUID.randomUUID();
        keyName = "producer-" + UUID.randomUUID().toString().substring(0, 8);
        sql("insert into progress_api_keys (name, key_sha256) values (?, ?)", keyName, ApiKeyHeaders.sha256(key));
    }

    private long count(String room) {
        return log.roomHistory(room, 0, 1000).await().atMost(WAIT).size();
    }

    @Test
    void aSendReachesTheSubscribersOfEveryRoom() {
        String a = room("send-a-");
        String b = room("send-b-");
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token("svc", List.of(a, b), List.of()))) {
            client.subscribe(a).awaitType("subscribed", a);
            client.subscribe(b).awaitType("subscribed", b);
            given().header("X-Api-Key", key).contentType(ContentType.JSON)
                    .body("{\"rooms\": \"" + a + ", " + b + "\", \"message\": {\"pct\": 40}, \"username\": \"loader\"}")
                    .post("/api/v1/messages").then().statusCode(200)
                    .body("status", equalTo("success")).body("rooms", hasSize(2))
                    .body("rooms[0].room", equalTo(a)).body("rooms[0].offset", notNullValue());
            assertThat(client.awaitMessages(a, 1, WAIT).get(0).getJsonObject("data").getInteger("pct")).isEqualTo(40);
            assertThat(client.awaitMessages(b, 1, WAIT).get(0).getJsonObject("data").getString("_from")).isEqualTo("loader");
        }
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"rooms\": [\"" + a + "\"], \"message\": {\"pct\": 50}}")
                .post("/api/v1/messages").then().statusCode(200).body("status", equalTo("success"));
        assertThat(count(a)).isEqualTo(2);
    }

    @Test
    void invalidRoomsMakeAPartialResultAndOnlyTheValidOnesGetTheMessage() {
        String ok = room("partial-");
        String tooLong = "x".repeat(201);
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body("{\"rooms\": [\"" + ok + "\", \"" + tooLong + "\"], \"message\": {\"n\": 1}}")
                .post("/api/v1/messages").then().statusCode(200)
                .body("status", equalTo("partial"))
                .body("rooms[0].status", equalTo("success"))
                .body("rooms[1].status", equalTo("error"));
        assertThat(count(ok)).isEqualTo(1);
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body("{\"rooms\": [\"" + tooLong + "\"], \"message\": {\"n\": 1}}")
                .post("/api/v1/messages").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("rooms[0].status", equalTo("error"))
                .body("rooms[0].error", equalTo("room name longer than 200"));
        assertThat(count(tooLong)).isZero();
    }

    @Test
    void aMissingWrongOrRevokedKeyIsRefusedAndNothingIsSent() throws Exception {
        String room = room("refused-");
        String body = "{\"rooms\": [\"" + room + "\"], \"message\": {\"n\": 1}}";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/messages").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("X-Api-Key", "wrong-" + key).contentType(ContentType.JSON).body(body).post("/api/v1/messages")
                .then().statusCode(401).body("detail", equalTo("the key is unknown or revoked"));
        String before = "{\"rooms\": [\"" + room("kept-") + "\"], \"message\": {\"n\": 1}}";
        given().header("X-Api-Key", key).contentType(ContentType.JSON).body(before).post("/api/v1/messages").then()
                .statusCode(200); // the key is kept now (KeyCache): only a fresh read of the key tables refuses it
        sql("update progress_api_keys set revoked_at = now() where name = ?", keyName);
        // refused once the hub reads the key tables again (at most 0.5 s after the revoke commits)
        String probe = "{\"rooms\": [\"" + room("probe-") + "\"], \"message\": {\"n\": 1}}";
        until("the revoked key is refused", Duration.ofSeconds(5), () -> given().header("X-Api-Key", key)
                .contentType(ContentType.JSON).body(probe).post("/api/v1/messages").statusCode() == 401);
        given().header("X-Api-Key", key).contentType(ContentType.JSON).body(body).post("/api/v1/messages")
                .then().statusCode(401);
        assertThat(count(room)).isZero();
    }

    @Test
    void badBodiesGet4xxAndSendNothing() {
        String room = room("bad-");
        String[][] cases = {
                { "{\"rooms\": [\"" + room + "\"], \"message\": ", "400" },
                { "{\"rooms\": [\"" + room + "\"], \"message\": [1, 2]}", "400" },
                { "{\"rooms\": [\"" + room + "\"]}", "400" },
                { "{\"rooms\": [], \"message\": {}}", "400" },
                { "{\"rooms\": \" , \", \"message\": {}}", "400" },
                { "{\"rooms\": [1], \"message\": {}}", "400" },
                { "{\"rooms\": \"" + room + "\", \"message\": {}, \"bogus\": 1}", "400" },
                // a field twice is refused, not "last wins" (RequestFuzzIT found it a 500: Jackson's creator error)
                { "{\"username\": \"a\", \"rooms\": \"" + room + "\", \"message\": {}, \"username\": \"b\"}", "400" },
                { "{\"rooms\": \"" + room + "\", \"message\": {\"big\": \"" + "x".repeat(17000) + "\"}}", "413" },
                // text the log can never store is a 400, not a 503 that invites a retry
                { "{\"rooms\": \"" + room + "\", \"message\": {\"a\": \"x\\u0000y\"}}", "400" },
                { "{\"rooms\": \"" + room + "\\u0000\", \"message\": {}}", "400" },
                { "{\"rooms\": \"" + room + "\", \"message\": {}, \"username\": \"a\\u0000\"}", "400" },
                { "{\"rooms\": \"" + room + "\", \"message\": {\"\\ud800\": 1}}", "400" },
        };
        for (String[] c : cases) {
            var response = given().header("X-Api-Key", key).contentType(ContentType.JSON).body(c[0])
                    .post("/api/v1/messages");
            assertThat(response.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(response.contentType()).as(c[0]).startsWith("application/problem+json");
        }
        assertThat(count(room)).isZero();
    }
}
