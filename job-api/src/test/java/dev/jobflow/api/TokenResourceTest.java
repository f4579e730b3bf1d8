package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.testing.PostgresTestResource;

/** POST /api/v1/tokens: HS256 tokens signed with the secret the hubs share through the database. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TokenResourceTest {

    @Inject
    ProgressLog log;

    @Test
    @SuppressWarnings("unchecked")
    void issuesASignedTokenForTheJobsRoomsAndTheNamedUser() throws Exception {
        JsonPath response = given().post("/api/v1/tokens?user=alice").then().statusCode(200)
                .body("subject", equalTo("alice"))
                .body("rooms", equalTo(List.of("jobs", "user:alice")))
                .body("roomPrefixes", equalTo(List.of("job:")))
                .extract().jsonPath();
        String[] parts = response.getString("token").split("\\.");
        assertThat(parts).hasSize(3);

        Map<String, Object> header = decode(parts[0]);
        assertThat(header).containsEntry("alg", "HS256");
        Map<String, Object> claims = decode(parts[1]);
        assertThat(claims).containsEntry("iss", "jobflow").containsEntry("sub", "alice")
                .containsEntry("rooms", List.of("jobs", "user:alice")).containsEntry("room_prefixes", List.of("job:"));
        long iat = ((Number) claims.get("iat")).longValue();
        long exp = ((Number) claims.get("exp")).longValue();
        assertThat(exp - iat).isEqualTo(Duration.ofMinutes(15).toSeconds());

        // the signature verifies with the secret shared through the database (what the hubs use)
        String secret = log.sharedSigningSecret("a-candidate-that-is-not-used-because-one-exists")
                .await().atMost(Duration.ofSeconds(10));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        assertThat(parts[2]).isEqualTo(expected);
    }

    @Test
    void withoutAUserEachCallerIsItsOwnSubject() {
        String first = given().post("/api/v1/tokens").then().statusCode(200)
                .body("rooms", equalTo(List.of("jobs"))).extract().path("subject");
        String second = given().post("/api/v1/tokens").then().statusCode(200).extract().path("subject");
        assertThat(first).startsWith("web-").isNotEqualTo(second);
    }

    @Test
    void aBadUserNameIsRefused() {
        given().post("/api/v1/tokens?user=bad user!").then().statusCode(400)
                .body("errors[0].field", equalTo("user"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decode(String part) throws Exception {
        return new ObjectMapper().readValue(Base64.getUrlDecoder().decode(part), Map.class);
    }
}
