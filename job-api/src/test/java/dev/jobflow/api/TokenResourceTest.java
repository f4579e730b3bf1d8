package dev.jobflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
    void aUsersTokenGrantsTheirRoomAndTheirOwnJobsOnly() throws Exception {
        // a key naming a user gets that user's (viewer's) view, whatever the key's own role
        String token = key.given().contentType(ContentType.JSON).body("{\"user\": \"alice\"}").post("/api/v1/tokens")
                .then().statusCode(200).body("rooms", equalTo(List.of("user:alice"))).body("roomPrefixes", empty())
                .body("ownJobs", equalTo(true)).extract().jsonPath().getString("token");
        JsonWebToken jwt = verify(token);
        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(jwt.getClaim("rooms").toString()).contains("user:alice").doesNotContain("\"jobs\"");
        assertThat(jwt.getClaim("room_prefixes").toString()).doesNotContain("job:");
        assertThat(jwt.getClaim("own_jobs").toString()).isEqualTo("true");
        assertThat(jwt.getExpirationTime()).isGreaterThan(System.currentTimeMillis() / 1000);
    }

    @Test
    void anOperatorsOrAdminsOwnTokenGrantsEveryJob() throws Exception {
        for (String role : new String[] { "operator", "admin" }) {
            ApiKey own = ApiKey.create(db, "tokens-" + role, role);
            String token = own.given().contentType(ContentType.JSON).body("{\"user\": \"" + own.name() + "\"}")
                    .post("/api/v1/tokens").then()
                    .statusCode(200).body("rooms", equalTo(List.of("user:" + own.name(), "jobs")))
                    .body("roomPrefixes", equalTo(List.of("job:"))).body("ownJobs", equalTo(false)).extract().jsonPath()
                    .getString("token");
            assertThat(verify(token).getClaim("rooms").toString()).contains("jobs");
        }
        ApiKey viewer = ApiKey.create(db, "tokens-viewer", "viewer");
        viewer.given().contentType(ContentType.JSON).body("{\"user\": \"" + viewer.name() + "\"}")
                .post("/api/v1/tokens").then().statusCode(200)
                .body("rooms", equalTo(List.of("user:" + viewer.name()))).body("ownJobs", equalTo(true));
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
