package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.core.params.JobTypeSpec;
import dev.jobflow.core.params.ParamSpec;
import dev.jobflow.core.store.JobQueue;
import dev.jobflow.testing.PostgresTestResource;

/** Submits checked against the job types the dispatchers registered, and GET /api/v1/job-types. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class JobTypesTest {

    @Inject
    DataSource db;

    @Inject
    JobQueue queue;

    private ApiKey key;

    @BeforeEach
    void registerTypes() {
        key = ApiKey.create(db, "types-test");
        queue.registerJobTypes("types-test-replica", List.of(
                new JobTypeSpec("checked", List.of(ParamSpec.number("duration").min(0).max(86400).describedAs("seconds"),
                        ParamSpec.integer("count").min(1).mandatory(), ParamSpec.bool("dry"))),
                JobTypeSpec.undeclared("sql:free"))).await().atMost(Duration.ofSeconds(10));
    }

    private int jobCount() {
        return key.given().get("/api/v1/jobs?limit=500").then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    private io.restassured.response.ValidatableResponse submit(String type, String params) {
        return key.given().contentType(ContentType.JSON)
                .body("{\"name\": \"t\", \"owner\": \"alice\", \"type\": \"" + type + "\", \"params\": " + params + "}")
                .post("/api/v1/jobs").then();
    }

    @Test
    void theRegisteredTypesAreListedWithTheirParameters() {
        key.given().get("/api/v1/job-types").then().statusCode(200)
                .body("items.type", hasItems("checked", "sql:free", "demo"))
                .body("items.find { it.type == 'checked' }.params[0].name", equalTo("duration"))
                .body("items.find { it.type == 'checked' }.params[0].kind", equalTo("number"))
                .body("items.find { it.type == 'checked' }.params[0].max", equalTo(86400.0f))
                .body("items.find { it.type == 'checked' }.params[0].description", equalTo("seconds"))
                .body("items.find { it.type == 'checked' }.params[1].required", equalTo(true))
                .body("items.find { it.type == 'checked' }.replicaId", equalTo("types-test-replica"))
                .body("items.find { it.type == 'checked' }.registeredAt", notNullValue())
                .body("items.find { it.type == 'sql:free' }.params", nullValue());
    }

    @Test
    void paramsThatBreakTheDeclarationAreA400NamingEachAndWriteNothing() {
        int before = jobCount();
        String[][] cases = {
                { "{\"duration\": -5, \"count\": 1}", "params.duration", "must be between 0 and 86400" },
                { "{\"duration\": \"abc\", \"count\": 1}", "params.duration", "must be a number" },
                { "{}", "params.count", "is required by job type 'checked'" },
                { "{\"count\": 1.5}", "params.count", "must be a whole number" },
                { "{\"count\": 1, \"dry\": \"yes\"}", "params.dry", "must be true or false" },
                { "{\"count\": 1, \"durration\": 5}", "params.durration", "is not a parameter of job type 'checked'" },
        };
        for (String[] c : cases) {
            submit("checked", c[0]).statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(c[1]))
                    .body("errors[0].message", containsString(c[2]));
        }
        submit("checked", "{\"duration\": -1, \"count\": 0}").statusCode(400)
                .body("errors.field", hasItems("params.duration", "params.count"));
        assertThat(jobCount()).isEqualTo(before);

        submit("checked", "{\"duration\": 2.5, \"count\": 3, \"dry\": true}").statusCode(201);
        submit("sql:free", "{\"anything\": [1, 2]}").statusCode(201);
    }

    @Test
    void aTypeNoDispatcherRegisteredIsRefused() {
        int before = jobCount();
        submit("nobody-runs-this", "{}").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("type"))
                .body("errors[0].message", containsString("no dispatcher runs job type 'nobody-runs-this'"))
                .body("errors[0].message", containsString("JOBFLOW_API_SUBMIT_UNKNOWN_TYPES"));
        assertThat(jobCount()).isEqualTo(before);
    }
}
