package dev.jobflow.api;

import static dev.jobflow.api.AuthTest.job;
import static dev.jobflow.api.AuthTest.noJobsOf;
import static dev.jobflow.api.AuthTest.someone;
import static dev.jobflow.api.AuthTest.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;

/** Behind an authenticating proxy (header trusted): a person acts as themselves only. */
@QuarkusTest
@TestProfile(ProxiedAuthTest.TrustTheProxy.class)
@WithTestResource(PostgresTestResource.class)
class ProxiedAuthTest {

    public static class TrustTheProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobflow.api.auth.trust-proxy-header", "true");
        }
    }

    @Inject
    DataSource db;

    private static RequestSpecification as(String user) {
        return given().header("X-Forwarded-User", user);
    }

    @Test
    void aPersonSubmitsForThemselvesOnly() {
        String alice = someone();
        String bob = someone();
        submit(as(alice), alice);
        // no owner: the caller is the owner
        as(alice).contentType(ContentType.JSON).body("{\"name\": \"mine\", \"type\": \"demo\"}").post("/api/v1/jobs")
                .then().statusCode(201).body("owner", equalTo(alice));
        as(alice).contentType(ContentType.JSON).body(job(bob)).post("/api/v1/jobs").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        noJobsOf(bob);
        given().get("/api/v1/jobs?owner=" + alice).then().body("items.size()", equalTo(2));
        as(alice).get("/api/v1/me").then().statusCode(200).body("user", equalTo(alice)).body("via", equalTo("proxy"));
    }

    @Test
    void aPersonCancelsTheirOwnJobsOnly() {
        String alice = someone();
        String bob = someone();
        long bobs = submit(as(bob), bob);
        long alices = submit(as(alice), alice);
        as(alice).post("/api/v1/jobs/" + bobs + "/cancel").then().statusCode(403)
                .contentType("application/problem+json");
        given().get("/api/v1/jobs/" + bobs).then().body("status", equalTo("QUEUED")).body("cancelRequested", equalTo(false));
        as(alice).post("/api/v1/jobs/" + alices + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        as(bob).post("/api/v1/jobs/" + bobs + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        as(alice).post("/api/v1/jobs/987654321/cancel").then().statusCode(404);
    }

    @Test
    void aPersonGetsATokenForThemselvesOnly() {
        String alice = someone();
        as(alice).contentType(ContentType.JSON).body("{}").post("/api/v1/tokens").then().statusCode(200)
                .body("rooms[0]", equalTo("user:" + alice));
        as(alice).contentType(ContentType.JSON).body("{\"user\": \"" + alice + "\"}").post("/api/v1/tokens").then()
                .statusCode(200).body("rooms[0]", equalTo("user:" + alice));
        as(alice).contentType(ContentType.JSON).body("{\"user\": \"" + someone() + "\"}").post("/api/v1/tokens").then()
                .statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aKeyStillActsForAnyoneAndAnInvalidHeaderIsRefused() {
        ApiKey key = ApiKey.create(db, "proxied-service");
        String carol = someone();
        // the key wins over a header the proxy passed along
        submit(key.given().header("X-Forwarded-User", someone()), carol);
        String dave = someone();
        as("not a name").contentType(ContentType.JSON).body(job(dave)).post("/api/v1/jobs").then().statusCode(401)
                .contentType("application/problem+json");
        noJobsOf(dave);
    }
}
