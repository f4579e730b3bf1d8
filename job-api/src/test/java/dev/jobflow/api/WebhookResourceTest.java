package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;

/** A queue's webhook and a job's events and deliveries over real HTTP (issue 18). */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WebhookResourceTest {
    private static final String SECRET = "whsec-0123456789abcdef";

    @Inject
    DataSource db;

    private ApiKey key;
    private String queue;

    @BeforeEach
    void setUp() {
        key = ApiKey.create(db, "webhook-test");
        queue = "w-" + UUID.randomUUID().toString().substring(0, 8);
        key.given().contentType(ContentType.JSON).body("{}").put("/api/v1/queues/" + queue).then().statusCode(200);
    }

    @Test
    void aWebhookIsSetReadWithoutItsSecretAndRemoved() {
        key.given().contentType(ContentType.JSON).body("{\"url\": \"http://127.0.0.1:9/hook\", \"secret\": \"" + SECRET + "\"}")
                .put("/api/v1/queues/" + queue + "/webhook").then().statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/hook")).body("secretSet", equalTo(true))
                .body(not(containsString(SECRET)));
        key.given().get("/api/v1/queues/" + queue + "/webhook").then().statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/hook")).body("secretSet", equalTo(true))
                .body(not(containsString(SECRET)));
        key.given().get("/api/v1/queues/" + queue).then().statusCode(200).body(not(containsString(SECRET)));

        int id = key.given().contentType(ContentType.JSON)
                .body("{\"name\": \"hooked\", \"owner\": \"alice\", \"type\": \"demo\", \"queue\": \"" + queue + "\"}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        key.given().get("/api/v1/jobs/" + id + "/events").then().statusCode(200)
                .body("items[0].event", equalTo("SUBMITTED")).body("items[0].queue", equalTo(queue))
                .body("items[0].sentAt", nullValue());
        key.given().get("/api/v1/jobs/" + id + "/webhooks").then().statusCode(200).body("items.size()", equalTo(0));
        key.given().get("/api/v1/jobs/999999/webhooks").then().statusCode(404);
        key.given().get("/api/v1/jobs/999999/events").then().statusCode(404);

        key.given().delete("/api/v1/queues/" + queue + "/webhook").then().statusCode(204);
        key.given().get("/api/v1/queues/" + queue + "/webhook").then().statusCode(200).body("url", nullValue())
                .body("secretSet", equalTo(false));
    }

    @Test
    void writesAndReadsNeedAnIdentityAndBadInputIsA400NamingTheField() {
        String path = "/api/v1/queues/" + queue + "/webhook";
        given().contentType(ContentType.JSON).body("{\"url\": \"http://x/h\", \"secret\": \"" + SECRET + "\"}").put(path)
                .then().statusCode(401);
        given().get(path).then().statusCode(401);
        given().delete(path).then().statusCode(401);
        key.given().contentType(ContentType.JSON).body("{\"url\": \"ftp://x/h\", \"secret\": \"" + SECRET + "\"}").put(path)
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
        key.given().contentType(ContentType.JSON).body("{\"url\": \"http://x/h\", \"secret\": \"short\"}").put(path)
                .then().statusCode(400).body("errors[0].field", equalTo("secret")).body(not(containsString("short")));
        key.given().contentType(ContentType.JSON).body("{\"url\": \"http://x/h\", \"secret\": \"" + SECRET + "\"}")
                .put("/api/v1/queues/nope-" + queue + "/webhook").then().statusCode(404);
        key.given().get(path).then().statusCode(200).body("url", nullValue());
    }
}
