package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.jobflow.testing.PostgresTestResource;

/** The OpenAPI document names the right of every operation (x-jobflow-right) as CallerFilter checks it. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class OpenApiRightsTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationNamesItsRight() {
        Map<String, Map<String, Map<String, Object>>> paths = given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        List<String> without = new ArrayList<>();
        paths.forEach((path, operations) -> operations.forEach((verb, operation) -> {
            if (!operation.containsKey("x-jobflow-right")) {
                without.add(verb + " " + path);
            }
        }));
        assertThat(without).as("operations without x-jobflow-right").isEmpty();
        assertThat(paths.get("/api/v1/jobs").get("get").get("x-jobflow-right")).isEqualTo("read");
        assertThat(paths.get("/api/v1/jobs").get("post").get("x-jobflow-right")).isEqualTo("submit");
        assertThat(paths.get("/api/v1/jobs/{id}/retry").get("post").get("x-jobflow-right")).isEqualTo("operate");
        assertThat(paths.get("/api/v1/queues/{name}").get("put").get("x-jobflow-right")).isEqualTo("admin");
        assertThat(paths.get("/api/v1/audit").get("get").get("x-jobflow-right")).isEqualTo("admin");
        assertThat((String) paths.get("/api/v1/audit").get("get").get("description")).contains("Right: administer");
    }
}
