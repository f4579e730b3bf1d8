package dev.jobflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;

/** POST /api/v1/tokens: a signed token for a user's rooms, bad names refused. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TokenResourceTest {
    private static final String SECRET = "test-only-secret-test-only-secret-0123456789";

    @Inject
    DataSource db;

    /** A service's key, which names the user (who else may get a token: AuthTest). */
    private ApiKey key;

    @BeforeEach
    void createKey() {
        key = ApiKey.create(db, "tokens-test");
    }

    private static JsonWebToken verify(String token) throws Exception {
        JWTAuthContextInfo info = new JWTAuthContextInfo(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), "jobflow");
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        return new DefaultJWTParser(info).parse(token);
    }

    @Test
    void aTokenGrantsTheUsersRoomsTheJobsRoomAndTheJobPrefix() throws Exception {
        String token = key.given().contentType(ContentType.JSON).body("{\"user\": \"alice\"}").post("/api/v1/tokens")
                .then().statusCode(200).body("rooms[0]", equalTo("user:alice")).body("roomPrefixes[0]", equalTo("job:"))
                .extract().jsonPath().getString("token");
        JsonWebToken jwt = verify(token);
        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(jwt.getClaim("rooms").toString()).contains("user:alice", "jobs");
        assertThat(jwt.getExpirationTime()).isGreaterThan(System.currentTimeMillis() / 1000);
    }

    @Test
    void aKeyMustNameAValidUser() {
        for (String body : new String[] { "{}", "{\"user\": \"\"}", "{\"user\": \"a b\"}", "{\"user\": \"x:y\"}" }) {
            key.given().contentType(ContentType.JSON).body(body).post("/api/v1/tokens").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        key.given().contentType(ContentType.JSON).body("{\"user\": ").post("/api/v1/tokens").then().statusCode(400);
    }
}
