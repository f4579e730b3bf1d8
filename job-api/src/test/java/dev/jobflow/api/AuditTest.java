package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;

/** Every write action lands in the audit log (who, what, on which job), newest first (issue 14). */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class AuditTest {

    @Inject
    DataSource db;

    @Test
    void writesAreRecordedWithActorActionAndTargetAndOnlyAKeyReadsThem() {
        ApiKey key = ApiKey.create(db, "audit-test");
        String body = "{\"name\": \"audited\", \"owner\": \"alice\", \"type\": \"demo\"}";
        long id = key.given().contentType(ContentType.JSON).header("Idempotency-Key", "audited-1").body(body)
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        // the same request again returns the job (200): recorded too, as such
        key.given().contentType(ContentType.JSON).header("Idempotency-Key", "audited-1").body(body)
                .post("/api/v1/jobs").then().statusCode(200);
        key.given().contentType(ContentType.JSON).body(body.replace("demo", "no-such-type")).post("/api/v1/jobs")
                .then().statusCode(400); // refused: not recorded
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        key.given().post("/api/v1/jobs/999999999/cancel").then().statusCode(404); // failed: not recorded

        key.given().queryParam("actor", key.name()).get("/api/v1/audit").then().statusCode(200)
                .body("items", hasSize(4))
                .body("items[0].action", equalTo("POST /api/v1/jobs/{id}/cancel"))
                .body("items[0].target", equalTo("id " + id))
                .body("items[0].via", equalTo("key"))
                .body("items[2].action", equalTo("POST /api/v1/jobs"))
                .body("items[2].target", equalTo("jobs/" + id))
                .body("items[2].detail", equalTo("status 200"))
                .body("items[3].action", equalTo("POST /api/v1/jobs"))
                .body("items[3].target", equalTo("jobs/" + id))
                .body("items[3].via", equalTo("key"))
                .body("items[3].detail", equalTo("status 201"));
        key.given().queryParam("actor", key.name()).queryParam("limit", 1).get("/api/v1/audit").then()
                .body("items", hasSize(1)).body("nextBeforeId", org.hamcrest.Matchers.notNullValue());
        given().header("X-Forwarded-User", "pat").get("/api/v1/audit").then().statusCode(401);
    }

    /**
     * Submits of several callers at once commit together (one flush for many requests), yet each is
     * answered with its own job and audited under its own caller: what follows the flush has each
     * request's own scope (Mutiny's context propagation carries it; without it, or without answering each
     * request on its own Vert.x context, most of these fail: docs/benchmarks.md, section 2g).
     */
    @Test
    void concurrentSubmitsOfSeveralCallersAreEachAnsweredAndAuditedAsTheirOwn() throws Exception {
        List<ApiKey> keys = List.of(ApiKey.create(db, "audit-a"), ApiKey.create(db, "audit-b"),
                ApiKey.create(db, "audit-c"), ApiKey.create(db, "audit-d"));
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Long>> submits = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                ApiKey key = keys.get(i % keys.size());
                String name = key.name() + "-" + i;
                submits.add(clients.submit(() -> {
                    var answer = key.given().contentType(ContentType.JSON)
                            .body("{\"name\": \"" + name + "\", \"owner\": \"alice\", \"type\": \"demo\"}")
                            .post("/api/v1/jobs").then().statusCode(201).body("name", equalTo(name)).extract();
                    long id = answer.jsonPath().getLong("id");
                    assertThat(answer.header("Location")).endsWith("/api/v1/jobs/" + id);
                    return id;
                }));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<Long> submit : submits) {
                ids.add(submit.get());
            }
            for (int k = 0; k < keys.size(); k++) {
                Set<String> own = new TreeSet<>();
                for (int i = k; i < ids.size(); i += keys.size()) {
                    own.add("jobs/" + ids.get(i));
                }
                List<String> audited = keys.get(k).given().queryParam("actor", keys.get(k).name())
                        .queryParam("limit", 100).get("/api/v1/audit").then().statusCode(200).extract().jsonPath()
                        .getList("items.target", String.class);
                assertThat(new TreeSet<>(audited)).as(keys.get(k).name()).isEqualTo(own);
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
