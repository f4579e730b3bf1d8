package dev.jobflow.hub;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.jobflow.hub.testing.HubTestBase;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.hub.ws.CloseCodes;
import dev.jobflow.testing.PostgresTestResource;
import dev.jobflow.testing.TestIdentityProvider;

/**
 * A hub whose job-api signs tokens with a key pair ({@code jobflow.hub.auth.token-jwks-url}): it
 * verifies them with the published public keys (following a new key id), reads the grant from their
 * claims, and holds no secret: an HS256 token, whatever its secret, is refused. A real key set over
 * HTTP stands for job-api's {@code GET /api/v1/tokens/jwks}.
 */
@QuarkusTest
@TestProfile(KeyPairTokensTest.JobApiKeyPair.class)
@WithTestResource(PostgresTestResource.class)
class KeyPairTokensTest extends HubTestBase {
    /** Publishes the keys "job-api" signs with, and signs with them. */
    static final TestIdentityProvider JOB_API = TestIdentityProvider.start();

    public static class JobApiKeyPair implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // no secret at all: the test profile's HS256 secret is taken away
            return Map.of("jobflow.hub.auth.token-secret", "", "jobflow.hub.auth.token-jwks-url", JOB_API.jwksUrl());
        }
    }

    /** A token as job-api signs it with its key pair, with {@code change} applied last. */
    private static String token(String subject, List<String> rooms, Consumer<JwtClaims> change) {
        return JOB_API.token(subject, List.of(), claims -> {
            claims.setIssuer("jobflow");
            claims.setAudience("jobflow-hub");
            claims.setSubject(subject);
            claims.setStringListClaim("rooms", rooms);
            claims.setStringListClaim("room_prefixes", List.of());
            claims.setClaim("own_jobs", false);
            change.accept(claims);
        });
    }

    @Test
    void aTokenSignedWithJobApisKeyGrantsWhatItsClaimsSayAndANewKeyIsFollowed() {
        String room = room("kp-");
        String other = room("kp-");
        try (WsClient client = WsClient.connect(baseUrl(), token("alice", List.of(room), c -> {
        }))) {
            // sent at once, while the hub still fetches the keys: they wait for the token's answer, in order
            client.subscribe(room).subscribe(other);
            assertThat(client.awaitType("authenticated", null).getString("subject")).isEqualTo("alice");
            client.awaitType("subscribed", room);
            assertThat(client.awaitType("error", other).getString("code")).isEqualTo("forbidden");
            assertThat(client.frames()).extracting(f -> f.getString("type")).startsWith("authenticated",
                    "subscribed");
        }
        // job-api starts signing with a new key: the hub fetches the key set again for the new key id
        // (at most once per 300 ms, jose4j's reprieve: a new token may be refused within that time)
        int fetches = JOB_API.jwksFetches();
        JOB_API.rotate();
        String rotated = token("alice", List.of(room), c -> {
        });
        until("a token of the new key is accepted", Duration.ofSeconds(10), () -> accepted(rotated));
        assertThat(JOB_API.jwksFetches()).isGreaterThan(fetches);
    }

    /** Whether the hub authenticates a connection with {@code token}, or closes it. */
    private boolean accepted(String token) {
        try (WsClient client = WsClient.connect(baseUrl(), token)) {
            return dev.jobflow.testing.Await.until("an answer to the token", WAIT, client::frames,
                    frames -> client.isClosed() || !frames.isEmpty()).stream()
                    .anyMatch(f -> "authenticated".equals(f.getString("type")));
        }
    }

    @Test
    void anHs256TokenAForgedOneAndOneForAnotherAudienceOrIssuerAreRefused() {
        String room = room("kp-");
        for (String token : List.of(Tokens.token("mallory", List.of(room), List.of()), JOB_API.forged("mallory"),
                JOB_API.hmacWithPublicKey("mallory"), JOB_API.unsigned("mallory"),
                token("mallory", List.of(room), c -> c.setAudience("another-service")),
                token("mallory", List.of(room), c -> c.setIssuer("someone-else")))) {
            try (WsClient client = WsClient.connect(baseUrl(), token)) {
                assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.UNAUTHORIZED);
                assertThat(client.frames()).noneMatch(f -> "authenticated".equals(f.getString("type")));
            }
        }
    }
}
