package dev.jobflow.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import dev.jobflow.hub.testing.HubTestBase;
import dev.jobflow.hub.testing.IdentityProviderResource;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.hub.ws.CloseCodes;
import dev.jobflow.testing.PostgresTestResource;
import dev.jobflow.testing.TestIdentityProvider;

/** Subscribers see only what their token grants; bad, expired and forged tokens are refused. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(IdentityProviderResource.class)
class AuthTest extends HubTestBase {
    private static final TestIdentityProvider IDP = IdentityProviderResource.IDP;

    @Test
    void aPersonConnectsWithTheIdentityProvidersTokenAndSeesTheirOwnRoomsAndJobs() throws Exception {
        String carol = "carol-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String carols = "job:" + jobOf(carol);
        String bobs = "job:" + jobOf("bob");
        try (WsClient client = WsClient.connect(baseUrl(), IDP.token(carol, List.of("staff")))) {
            assertThat(client.awaitType("authenticated", null).getString("subject")).isEqualTo(carol);
            client.subscribe("user:" + carol).awaitType("subscribed", "user:" + carol);
            client.subscribe(carols).awaitType("subscribed", carols);
            client.subscribe(bobs);
            assertThat(client.awaitType("error", bobs).getString("code")).isEqualTo("forbidden");
            client.subscribe("jobs");
            assertThat(client.awaitType("error", "jobs").getString("code")).isEqualTo("forbidden");
        }
        // an operator's groups add the room of every job
        try (WsClient client = WsClient.connect(baseUrl(), IDP.token(carol, List.of("jobflow-operator")))) {
            client.awaitType("authenticated", null);
            client.subscribe("jobs").awaitType("subscribed", "jobs");
        }
    }

    @Test
    void aProviderTokenThatIsForgedExpiredForeignOrUnsignedIsRefused() {
        for (String token : List.of(IDP.forged("mallory"), IDP.unsigned("mallory"), IDP.hmacWithPublicKey("mallory"),
                IDP.token("mallory", List.of("jobflow-admin"), c -> c.setAudience("another-service")),
                IDP.token("mallory", List.of("jobflow-admin"), c -> c.setExpirationTime(
                        org.jose4j.jwt.NumericDate.fromSeconds(org.jose4j.jwt.NumericDate.now().getValue() - 120))))) {
            try (WsClient client = WsClient.connect(baseUrl(), token)) {
                assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.UNAUTHORIZED);
                assertThat(client.frames()).noneMatch(f -> "authenticated".equals(f.getString("type")));
            }
        }
    }

    @Test
    void withoutATokenTheConnectionIsClosedUnauthorized() {
        try (WsClient client = WsClient.connect(baseUrl(), null)) {
            String room = room("r-");
            client.subscribe(room);
            assertThat(client.awaitType("error", room).getString("code")).isEqualTo("unauthorized");
            assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo(CloseCodes.UNAUTHORIZED);
        }
    }

    @Test
    void anExpiredTokenIsRefused() {
        String expired = Tokens.token("alice", List.of("jobs"), List.of(), Duration.ofSeconds(-5), Tokens.TEST_SECRET);
        try (WsClient client = WsClient.connect(baseUrl(), expired)) {
            assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.UNAUTHORIZED);
        }
    }

    @Test
    void aForgedTokenIsRefused() {
        String forged = Tokens.token("alice", List.of("jobs"), List.of(), Duration.ofMinutes(5),
                "not-the-hub-secret-not-the-hub-secret-0000");
        try (WsClient client = WsClient.connect(baseUrl(), forged)) {
            assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.UNAUTHORIZED);
        }
        try (WsClient client = WsClient.connect(baseUrl(), "not.a.jwt")) {
            assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.UNAUTHORIZED);
        }
    }

    @Test
    void aRoomOutsideTheGrantIsRefusedWhileGrantedRoomsAndPrefixesWork() {
        String mine = room("user:");
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token("alice", List.of(mine), List.of("job:")))) {
            client.subscribe("user:bob");
            JsonObject error = client.awaitType("error", "user:bob");
            assertThat(error.getString("code")).isEqualTo("forbidden");
            client.subscribe("jobs");
            assertThat(client.awaitType("error", "jobs").getString("code")).isEqualTo("forbidden");

            String job = room("job:");
            client.subscribe(mine).awaitType("subscribed", mine);
            client.subscribe(job).awaitType("subscribed", job);
            publish("user:bob", 1);
            publish(mine, 2);
            publish(job, 3);
            assertThat(numbers(client.awaitMessages(mine, 1, WAIT))).containsExactly(2);
            assertThat(numbers(client.awaitMessages(job, 1, WAIT))).containsExactly(3);
            assertThat(client.messages("user:bob")).isEmpty();
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void aTokenCanBeRefreshedOnTheOpenConnection() {
        String room = room("user:");
        String shortLived = Tokens.token("carol", List.of(room), List.of(), Duration.ofSeconds(3), Tokens.TEST_SECRET);
        try (WsClient client = WsClient.connect(baseUrl(), shortLived)) {
            client.subscribe(room).awaitType("subscribed", room);
            client.send(new JsonObject().put("type", "auth").put("token", Tokens.token("carol", List.of(room), List.of())));
            client.await(f -> "authenticated".equals(f.getString("type"))
                    && f.getLong("expiresAt") > System.currentTimeMillis() / 1000 + 60, WAIT);
            // past the first token's expiry the connection still delivers
            long deadline = System.currentTimeMillis() + 3500;
            int n = 0;
            while (System.currentTimeMillis() < deadline) {
                publish(room, ++n);
                client.awaitMessages(room, n, WAIT);
            }
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void withoutARefreshTheConnectionClosesWhenTheTokenExpires() {
        String token = Tokens.token("dave", List.of("jobs"), List.of(), Duration.ofSeconds(2), Tokens.TEST_SECRET);
        try (WsClient client = WsClient.connect(baseUrl(), token)) {
            client.awaitType("authenticated", null);
            assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.UNAUTHORIZED);
        }
    }

    @Test
    void aRefreshForAnotherSubjectIsForbidden() {
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token("erin", List.of("jobs"), List.of()))) {
            client.awaitType("authenticated", null);
            client.send(new JsonObject().put("type", "auth").put("token", Tokens.token("mallory", List.of("jobs"), List.of())));
            assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.FORBIDDEN);
        }
    }

    @Test
    void aNarrowerRefreshDropsTheRoomsItNoLongerGrants() {
        String a = room("a-");
        String b = room("b-");
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token("frank", List.of(a, b), List.of()))) {
            client.subscribe(a).awaitType("subscribed", a);
            client.subscribe(b).awaitType("subscribed", b);
            client.send(new JsonObject().put("type", "auth").put("token", Tokens.token("frank", List.of(a), List.of())));
            assertThat(client.awaitType("error", b).getString("code")).isEqualTo("forbidden");
            publish(b, 1);
            publish(a, 2);
            client.awaitMessages(a, 1, WAIT);
            assertThat(client.messages(b)).isEmpty();
        }
    }

    /** Waits for the test message {@code n} in {@code room} (the job's own status messages come first). */
    private static void awaitNumber(WsClient client, String room, int n) {
        client.await(f -> "message".equals(f.getString("type")) && room.equals(f.getString("room"))
                && Integer.valueOf(n).equals(f.getJsonObject("data").getInteger("n")), WAIT);
    }

    @Test
    void anOwnJobsTokenGrantsTheRoomsOfTheSubjectsJobsOnly() throws Exception {
        String alice = "alice-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String alices = "job:" + jobOf(alice);
        String bobs = "job:" + jobOf("bob");
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.ownJobsToken(alice, List.of("user:" + alice)))) {
            client.subscribe(alices).awaitType("subscribed", alices);
            client.subscribe(bobs);
            assertThat(client.awaitType("error", bobs).getString("code")).isEqualTo("forbidden");
            client.subscribe("job:999999999999");
            assertThat(client.awaitType("error", "job:999999999999").getString("code")).isEqualTo("forbidden");
            client.subscribe("jobs");
            assertThat(client.awaitType("error", "jobs").getString("code")).isEqualTo("forbidden");
            publish(bobs, 1);
            publish(alices, 2);
            awaitNumber(client, alices, 2);
            assertThat(client.messages(bobs)).isEmpty();
            // a refresh for the same subject keeps the room of its own job
            client.send(new JsonObject().put("type", "auth").put("token",
                    Tokens.ownJobsToken(alice, List.of("user:" + alice))));
            // frames are handled in order: once this is subscribed, the refresh was handled
            client.subscribe("user:" + alice).awaitType("subscribed", "user:" + alice);
            publish(alices, 3);
            awaitNumber(client, alices, 3);
            assertThat(client.messages(bobs)).isEmpty();
        }
        // without own_jobs the same room is refused
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token(alice, List.of("user:" + alice), List.of()))) {
            client.subscribe(alices);
            assertThat(client.awaitType("error", alices).getString("code")).isEqualTo("forbidden");
        }
    }
}
