package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

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
        long id = key.given().contentType(ContentType.JSON)
                .body("{\"name\": \"audited\", \"owner\": \"alice\", \"type\": \"demo\"}").post("/api/v1/jobs").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        key.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        key.given().post("/api/v1/jobs/999999999/cancel").then().statusCode(404); // failed: not recorded

        key.given().queryParam("actor", key.name()).get("/api/v1/audit").then().statusCode(200)
                .body("items", hasSize(3))
                .body("items[0].action", equalTo("POST /api/v1/jobs/{id}/cancel"))
                .body("items[0].target", equalTo("id " + id))
                .body("items[0].via", equalTo("key"))
                .body("items[2].action", equalTo("POST /api/v1/jobs"))
                .body("items[2].target", equalTo("jobs/" + id))
                .body("items[2].detail", startsWith("status 201"));
        key.given().queryParam("actor", key.name()).queryParam("limit", 1).get("/api/v1/audit").then()
                .body("items", hasSize(1)).body("nextBeforeId", org.hamcrest.Matchers.notNullValue());
        given().header("X-Forwarded-User", "pat").get("/api/v1/audit").then().statusCode(401);
    }
}
