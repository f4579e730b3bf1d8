package dev.jobflow.api;

import static dev.jobflow.testing.Await.until;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.testing.PostgresTestResource;

/**
 * Who may write, with the production defaults (proxy header not trusted, no anonymous user): only
 * a known, unrevoked API key. The trusted proxy header and the anonymous user have their own classes
 * ({@link ProxiedAuthTest}, {@link AnonymousAuthTest}).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class AuthTest {

    @Inject
    DataSource db;

    static String job(String owner) {
        return "{\"name\": \"auth\", \"owner\": \"" + owner + "\", \"type\": \"demo\", \"params\": {\"duration\": 1}}";
    }

    /** A user name no other test uses, so "nothing was written" can be read back by owner. */
    static String someone() {
        return "u" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Reads back, as {@code reader} (who may see every job), that {@code owner} has no job. */
    static void noJobsOf(RequestSpecification reader, String owner) {
        reader.get("/api/v1/jobs?owner=" + owner).then().statusCode(200).body("items", empty());
    }

    static long submit(RequestSpecification as, String owner) {
        return as.contentType(ContentType.JSON).body(job(owner)).post("/api/v1/jobs").then().statusCode(201)
                .body("owner", equalTo(owner)).extract().jsonPath().getLong("id");
    }

    static void isUnauthorized(io.restassured.response.Response response) {
        response.then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401))
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void everyRequestWithoutAnIdentityIs401AndWritesNothing() {
        ApiKey admin = ApiKey.create(db, "auth-setup");
        String owner = someone();
        isUnauthorized(given().contentType(ContentType.JSON).body(job(owner)).post("/api/v1/jobs"));
        // 401 comes first: an invalid body of an anonymous caller is not even read
        isUnauthorized(given().contentType(ContentType.JSON).body("{\"name\": ").post("/api/v1/jobs"));
        noJobsOf(admin.given(), owner);

        long id = submit(admin.given(), owner);
        isUnauthorized(given().post("/api/v1/jobs/" + id + "/cancel"));
        admin.given().get("/api/v1/jobs/" + id).then().statusCode(200).body("status", equalTo("QUEUED"));
        // reading needs an identity too, on every endpoint (only local mode reads without one)
        for (String path : new String[] { "/api/v1/jobs", "/api/v1/jobs?owner=" + owner, "/api/v1/jobs/" + id,
                "/api/v1/jobs/" + id + "/runs", "/api/v1/jobs/" + id + "/logs", "/api/v1/queue", "/api/v1/queues",
                "/api/v1/queues/default", "/api/v1/schedules", "/api/v1/schedules/preview?cron=0%202%20*%20*%20*",
                "/api/v1/dispatchers", "/api/v1/config", "/api/v1/audit", "/api/v1/me" }) {
            isUnauthorized(given().get(path));
        }

        isUnauthorized(given().contentType(ContentType.JSON).body("{\"user\": \"" + owner + "\"}").post("/api/v1/tokens"));
        isUnauthorized(given().get("/api/v1/me"));
    }

    @Test
    void theProxyHeaderIsIgnoredUnlessTrusted() {
        String owner = someone();
        isUnauthorized(given().header("X-Forwarded-User", owner).contentType(ContentType.JSON).body(job(owner))
                .post("/api/v1/jobs"));
        isUnauthorized(given().header("X-Forwarded-User", owner).get("/api/v1/jobs"));
        noJobsOf(ApiKey.create(db, "auth-reader").given(), owner);
        isUnauthorized(given().header("X-Forwarded-User", owner).contentType(ContentType.JSON)
                .body("{\"user\": \"" + owner + "\"}").post("/api/v1/tokens"));
        isUnauthorized(given().header("X-Forwarded-User", owner).get("/api/v1/me"));
    }

    @Test
    void aKeyMaySubmitForAnyOwnerAndCancelAnyJob() {
        ApiKey key = ApiKey.create(db, "auth-service");
        String alice = someone();
        String bob = someone();
        long a = submit(key.given(), alice);
        submit(key.given(), bob);
        // also in X-Api-Key, like the hub takes it
        long b = submit(given().header("X-Api-Key", key.secret()), bob);
        key.given().post("/api/v1/jobs/" + a + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().header("X-Api-Key", key.secret()).post("/api/v1/jobs/" + b + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
        key.given().get("/api/v1/me").then().statusCode(200).body("user", equalTo(key.name()))
                .body("via", equalTo("key"));
    }

    @Test
    void aRevokedKeyIsRefusedWithinHalfASecond() {
        ApiKey key = ApiKey.create(db, "auth-revoked");
        String owner = someone();
        submit(key.given(), owner);
        submit(key.given(), owner); // the key is kept now (KeyCache): only a fresh read of the key tables refuses it
        key.revoke(db);
        String probe = someone();
        until("the revoked key is refused", Duration.ofSeconds(5), () -> key.given().contentType(ContentType.JSON)
                .body(job(probe)).post("/api/v1/jobs").statusCode() == 401);
        String other = someone();
        isUnauthorized(key.given().contentType(ContentType.JSON).body(job(other)).post("/api/v1/jobs"));
        isUnauthorized(given().header("X-Api-Key", key.secret()).contentType(ContentType.JSON).body(job(other))
                .post("/api/v1/jobs"));
        ApiKey reader = ApiKey.create(db, "auth-reader");
        noJobsOf(reader.given(), other);
        reader.given().get("/api/v1/jobs?owner=" + owner).then().body("items.size()", equalTo(2));
    }

    @Test
    void anUnknownKeyIsRefused() {
        String owner = someone();
        isUnauthorized(given().header("Authorization", "Bearer not-a-key").contentType(ContentType.JSON)
                .body(job(owner)).post("/api/v1/jobs"));
        isUnauthorized(given().header("Authorization", "Bearer " + "x".repeat(500)).contentType(ContentType.JSON)
                .body(job(owner)).post("/api/v1/jobs"));
        noJobsOf(ApiKey.create(db, "auth-reader").given(), owner);
        // a producer key of the hub is no job-api key
        String producerKey = "producer-" + owner;
        ApiKey.update(db, "insert into progress_api_keys (name, key_sha256) values (?, ?)", "producer-" + owner,
                ApiKeyHeaders.sha256(producerKey));
        isUnauthorized(given().header("X-Api-Key", producerKey).contentType(ContentType.JSON)
                .body("{\"user\": \"" + owner + "\"}").post("/api/v1/tokens"));
    }

    @Test
    void aKeyGetsATokenForTheUserItNames() {
        ApiKey key = ApiKey.create(db, "auth-tokens");
        String user = someone();
        key.given().contentType(ContentType.JSON).body("{\"user\": \"" + user + "\"}").post("/api/v1/tokens").then()
                .statusCode(200).body("rooms[0]", equalTo("user:" + user));
    }
}
