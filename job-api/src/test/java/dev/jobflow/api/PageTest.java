package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;

/** The job-monitor page's static files and its configuration endpoint. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PageTest {

    @Inject
    DataSource db;

    @Test
    void thePageIsServedAtTheRoot() {
        given().get("/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<dialog id=\"start-dialog\""))
                .body(containsString("<script type=\"module\" src=\"app.js\">"));
        for (String module : new String[] { "app.js", "js/api.js", "js/jobs-model.js", "js/jobs-table.js",
                "js/start-dialog.js", "js/queue-panel.js", "js/queues-schedules.js", "js/job-detail.js", "client/jobflow.js",
                "js/format.js",
                "js/toast.js" }) {
            given().get("/" + module).then().statusCode(200).contentType(containsString("javascript"));
        }
        given().get("/app.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void configNamesTheHubWithoutATrailingSlash() {
        // application.properties sets the test profile's hub URL with a trailing slash
        ApiKey.create(db, "page-test", "viewer").given().get("/api/v1/config").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("hubUrl", equalTo("http://hub.test:8082"));
    }

    @Test
    void theSwaggerUiIsOffOutsideLocalModeAndTheOpenApiDocumentStaysServed() {
        given().get("/q/swagger-ui/").then().statusCode(404).contentType(startsWith("application/problem+json"));
        given().get("/q/swagger-ui/index.html").then().statusCode(404);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/jobs"));
    }
}
