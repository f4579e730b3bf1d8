package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;

/** job-api over real HTTP on a real PostgreSQL: the happy paths and every bad-input path. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class JobResourceTest {

    @Inject
    DataSource db;

    /** A service's key: it may submit for any owner and cancel any job (reads need none). */
    private ApiKey key;

    @BeforeEach
    void createKey() {
        key = ApiKey.create(db, "jobs-test");
    }

    private static final String VALID = """
            {"name": "load", "owner": "alice", "type": "demo", "params": {"duration": 2}}""";

    private long submit(String body) {
        return key.given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private int jobCount() {
        return key.given().get("/api/v1/jobs?limit=500").then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    @Test
    void submitReturns201WithTheJobAndItsLocation() {
        key.given().contentType(ContentType.JSON).body(VALID).post("/api/v1/jobs")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/jobs/"))
                .body("status", equalTo("QUEUED"))
                .body("name", equalTo("load"))
                .body("params.duration", equalTo(2))
                .body("maxAttempts", equalTo(3))
                .body("createdAt", notNullValue());
    }

    @Test
    void readListAndCancelAJob() {
        long id = submit(VALID);
        key.given().get("/api/v1/jobs/" + id).then().statusCode(200).body("id", equalTo((int) id));
        key.given().get("/api/v1/jobs?owner=alice&status=QUEUED").then().statusCode(200)
                .body("items.id", hasItem((int) id));
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        key.given().get("/api/v1/jobs/" + id).then().body("status", equalTo("CANCELLED"));
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameJob() {
        long first = key.given().contentType(ContentType.JSON).header("Idempotency-Key", "order-17").body(VALID)
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        key.given().contentType(ContentType.JSON).header("Idempotency-Key", "order-17").body(VALID)
                .post("/api/v1/jobs").then().statusCode(200).body("id", equalTo((int) first));
    }

    @Test
    void anIdempotencyKeyBelongsToTheCallerThatPresentedIt() {
        String forBob = "{\"name\": \"payroll\", \"owner\": \"bob\", \"type\": \"demo\", \"params\": {\"duration\": 9}}";
        long bobs = key.given().contentType(ContentType.JSON).header("Idempotency-Key", "shared-key-1").body(forBob)
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        ApiKey other = ApiKey.create(db, "other-service");

        long own = other.given().contentType(ContentType.JSON).header("Idempotency-Key", "shared-key-1").body(VALID)
                .post("/api/v1/jobs").then().statusCode(201).body("owner", equalTo("alice"))
                .extract().jsonPath().getLong("id");

        org.assertj.core.api.Assertions.assertThat(own).isNotEqualTo(bobs);
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIsRefusedAndWritesNothing() {
        key.given().contentType(ContentType.JSON).header("Idempotency-Key", "order-18").body(VALID)
                .post("/api/v1/jobs").then().statusCode(201);
        int before = jobCount();

        key.given().contentType(ContentType.JSON).header("Idempotency-Key", "order-18")
                .body(VALID.replace("\"duration\": 2", "\"duration\": 3")).post("/api/v1/jobs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("detail", containsString("different request"));
        org.assertj.core.api.Assertions.assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void aBatchIsWrittenWholeOrNotAtAll() {
        int before = jobCount();
        String batch = """
                {"jobs": [{"name": "b0", "owner": "alice", "type": "demo"},
                          {"name": "b1", "owner": "bob", "type": "demo", "params": {"duration": 1}, "priority": 5}]}""";
        var created = key.given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-1").body(batch)
                .post("/api/v1/jobs/batch").then().statusCode(201)
                .body("items.name", equalTo(java.util.List.of("b0", "b1")))
                .body("items[1].priority", equalTo(5))
                .body("items.status", equalTo(java.util.List.of("QUEUED", "QUEUED")))
                .extract().jsonPath().getList("items.id", Long.class);
        key.given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-1").body(batch)
                .post("/api/v1/jobs/batch").then().statusCode(200).body("items.id", equalTo(created.stream()
                        .map(Long::intValue).toList()));
        key.given().contentType(ContentType.JSON).header("Idempotency-Key", "batch-1")
                .body(batch.replace("\"b1\"", "\"changed\"")).post("/api/v1/jobs/batch").then().statusCode(422)
                .contentType("application/problem+json").body("job", equalTo("jobs[1]"));
        assertBatchRefused(
                """
                        {"jobs": [{"name": "ok", "owner": "alice", "type": "demo"}, {"name": "bad", "owner": "alice", "type": "DEMO!"}]}""",
                "jobs[1].type");
        assertBatchRefused("""
                {"jobs": [{"name": "u", "owner": "alice", "type": "demo", "unique": {"key": "k"}}]}""", "jobs[0].unique");
        assertBatchRefused("""
                {"jobs": [{"name": "a", "owner": "alice", "type": "demo"}, {"name": "b", "owner": "alice", "type": "demo"},
                          {"name": "c", "owner": "alice", "type": "demo", "queue": "no-such-queue"}]}""", "jobs[2].queue");
        assertBatchRefused("{\"jobs\": []}", "jobs");
        assertBatchRefused("{\"jobs\": [" + String.join(",", java.util.Collections.nCopies(1001,
                "{\"name\": \"n\", \"owner\": \"alice\", \"type\": \"demo\"}")) + "]}", "jobs");
        assertThat(jobCount()).isEqualTo(before + 2);
    }

    private void assertBatchRefused(String body, String field) {
        key.given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs/batch").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    @Test
    void cancelOfAFinishedJobIsA409Problem() {
        long id = submit(VALID);
        ApiKey.update(db, "update jobs set status = 'COMPLETED', progress_pct = 100, finished_at = now()"
                + " where id = cast(? as bigint)", String.valueOf(id));

        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("jobStatus", equalTo("COMPLETED"))
                .body("jobId", equalTo((int) id));
        key.given().get("/api/v1/jobs/" + id).then().body("status", equalTo("COMPLETED"));
    }

    @Test
    void badListParametersAreA400NamingTheParameter() {
        for (String[] c : new String[][] { { "limit=abc", "limit" }, { "before=abc", "before" }, { "limit=501", "limit" },
                { "owner=%00", "owner" }, { "q=" + "x".repeat(201), "q" } }) {
            key.given().get("/api/v1/jobs?" + c[0]).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(c[1]));
        }
        key.given().queryParam("q", "a\u0001b").get("/api/v1/jobs").then().statusCode(400).body("errors[0].field",
                equalTo("q"));
        key.given().get("/api/v1/jobs?limit=2&before=999999").then().statusCode(200);
    }

    @Test
    void searchFindsJobsByTextWithTheFiltersAndBulkActsOnNamedIds() {
        String tag = "Needle" + System.nanoTime();
        long first = submit(VALID.replace("\"load\"", "\"" + tag + " one\""));
        long second = submit(VALID.replace("\"duration\": 2", "\"note\": \"" + tag + "\""));
        long other = submit(VALID);
        key.given().get("/api/v1/jobs?q=" + tag.toLowerCase(java.util.Locale.ROOT)).then().statusCode(200)
                .body("items.id", contains((int) second, (int) first));
        key.given().get("/api/v1/jobs?limit=1&owner=alice&q=" + tag).then().statusCode(200)
                .body("items.id", contains((int) second)).body("nextBeforeId", equalTo((int) second));

        String body = "{\"action\": \"cancel\", \"dryRun\": %s, \"filter\": {\"ids\": [" + first + ", " + other + "]}}";
        key.given().contentType(ContentType.JSON).body(body.formatted("true")).post("/api/v1/jobs/bulk").then()
                .statusCode(200).body("count", equalTo(2));
        key.given().contentType(ContentType.JSON).body(body.formatted("false")).post("/api/v1/jobs/bulk").then()
                .statusCode(200).body("count", equalTo(2));
        key.given().get("/api/v1/jobs/" + second).then().body("status", equalTo("QUEUED"));
        key.given().contentType(ContentType.JSON).body("{\"action\": \"cancel\", \"filter\": {\"ids\": [\"x\"]}}")
                .post("/api/v1/jobs/bulk").then().statusCode(400);
    }

    @Test
    void queueReportsDepth() {
        submit(VALID);
        key.given().get("/api/v1/queue").then().statusCode(200)
                .body("ready", notNullValue()).body("delayed", equalTo(0)).body("capacity", notNullValue());
    }

    @Test
    void badSubmitsGetProblemDetailsAndWriteNothing() {
        int before = jobCount();
        String[][] cases = {
                { "{\"name\": ", "not valid JSON" },
                { "[1, 2]", "must be a JSON object" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"priority\": \"high\"}", "priority" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"params\": [1]}", "params" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"bogus\": 1}", "unknown field 'bogus'" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"runAt\": \"tomorrow\"}", "runAt" },
                { "{\"name\": \"\", \"owner\": \"alice\", \"type\": \"demo\"}", "name" },
                { "{\"name\": \"x\", \"owner\": \"a b\", \"type\": \"demo\"}", "owner" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"Demo!\"}", "type" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"priority\": 5000}", "priority" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"maxAttempts\": 0}", "maxAttempts" },
                { "{\"owner\": \"alice\", \"type\": \"demo\"}", "name" },
                { "{\"name\": \"x\", \"type\": \"demo\"}", "an API key must name the owner" },
                { "{\"name\": \"x\", \"name\": \"y\", \"owner\": \"alice\", \"type\": \"demo\"}",
                        "names a field twice: 'name'" },
                { "{\"name\": \"x\\u0000y\", \"owner\": \"alice\", \"type\": \"demo\"}", "NUL" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"params\": {\"a\": [\"\\ud800\"]}}",
                        "params.a.0" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"runAt\": \"1999-12-31T00:00:00Z\"}",
                        "runAt" },
                { "{\"name\": \"x\", \"owner\": \"alice\", \"type\": \"demo\", \"runAt\": \"+999999999-01-01T00:00:00Z\"}",
                        "runAt" },
        };
        for (String[] c : cases) {
            key.given().contentType(ContentType.JSON).body(c[0]).post("/api/v1/jobs")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body(containsString(c[1]));
        }
        key.given().contentType(ContentType.JSON).post("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json");
        key.given().contentType(ContentType.TEXT).body("hello").post("/api/v1/jobs").then().statusCode(415);
        org.assertj.core.api.Assertions.assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void unknownJobsAndBadQueriesAreClear4xx() {
        key.given().get("/api/v1/jobs/987654321").then().statusCode(404).contentType("application/problem+json")
                .body("jobId", equalTo(987654321));
        key.given().post("/api/v1/jobs/987654321/cancel").then().statusCode(404).contentType("application/problem+json");
        key.given().get("/api/v1/jobs/not-a-number").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
        key.given().get("/api/v1/jobs?status=DONE").then().statusCode(400).body(containsString("status"));
        key.given().get("/api/v1/jobs?limit=0").then().statusCode(400).body(containsString("limit"));
        key.given().get("/api/v1/jobs?limit=many").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void runsAndLogsOfAJobArePagedAndA404ForAnUnknownJob() {
        long id = submit(VALID);
        key.given().get("/api/v1/jobs/" + id + "/runs").then().statusCode(200).body("items", org.hamcrest.Matchers.empty());
        key.given().get("/api/v1/jobs/" + id + "/logs?limit=10").then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty()).body("nextAfterId", org.hamcrest.Matchers.nullValue());
        key.given().get("/api/v1/jobs/99999999/runs").then().statusCode(404);
        key.given().get("/api/v1/jobs/99999999/logs").then().statusCode(404);
        key.given().get("/api/v1/jobs/" + id + "/logs?limit=0").then().statusCode(400);
    }

    @Test
    void retryInPlaceDeleteAndBulkActions() {
        long id = submit(VALID);
        key.given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(409).body("jobStatus", equalTo("QUEUED"));
        key.given().delete("/api/v1/jobs/" + id).then().statusCode(409);
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        key.given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(200).body("id", equalTo((int) id))
                .body("status", equalTo("QUEUED"));
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        key.given().delete("/api/v1/jobs/" + id).then().statusCode(204);
        key.given().get("/api/v1/jobs/" + id).then().statusCode(404);

        String owner = "bulk-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            submit(VALID.replace("\"alice\"", "\"" + owner + "\""));
        }
        String body = "{\"action\": \"cancel\", \"dryRun\": %s, \"filter\": {\"owner\": \"" + owner + "\"}}";
        key.given().contentType(ContentType.JSON).body(body.formatted("true")).post("/api/v1/jobs/bulk").then()
                .statusCode(200).body("count", equalTo(3)).body("dryRun", equalTo(true));
        key.given().contentType(ContentType.JSON).body(body.formatted("false")).post("/api/v1/jobs/bulk").then()
                .statusCode(200).body("count", equalTo(3));
        key.given().contentType(ContentType.JSON).body("{\"action\": \"explode\"}").post("/api/v1/jobs/bulk").then()
                .statusCode(400).body("errors[0].field", equalTo("action"));
        given().contentType(ContentType.JSON).body(body.formatted("true")).post("/api/v1/jobs/bulk").then().statusCode(401);
    }
}
