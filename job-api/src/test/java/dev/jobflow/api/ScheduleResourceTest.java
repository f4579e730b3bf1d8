package dev.jobflow.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

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

/** Schedules over real HTTP (issue 13): create, read with the next five times, change, run now, drop. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ScheduleResourceTest {

    @Inject
    DataSource db;

    private ApiKey key;
    private String name;

    @BeforeEach
    void setUp() {
        key = ApiKey.create(db, "schedules-test");
        name = "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String body(String expression) {
        return "{\"name\": \"" + name + "\", \"type\": \"demo\", \"owner\": \"ops\", \"params\": {\"duration\": 1}, "
                + expression + ", \"timeZone\": \"Europe/Berlin\"}";
    }

    @Test
    void aNulInANameOfThePathOrAFilterIsA400NotADatabaseError() {
        // found by RequestFuzzIT: PostgreSQL refuses NUL in text, so such a name never reached a 404
        for (String[] c : new String[][] { { "GET", "/api/v1/schedules/%00" }, { "DELETE", "/api/v1/schedules/a%00" },
                { "POST", "/api/v1/schedules/%00/run" }, { "POST", "/api/v1/queues/%00/pause" },
                { "POST", "/api/v1/queues/%00/resume" }, { "GET", "/api/v1/audit?actor=%00" },
                { "GET", "/api/v1/audit?action=%00" } }) {
            key.given().urlEncodingEnabled(false).request(c[0], c[1]).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body(org.hamcrest.Matchers.containsString("NUL"));
        }
    }

    @Test
    void aScheduleIsCreatedReadChangedRunAndDropped() {
        key.given().contentType(ContentType.JSON).body(body("\"calendar\": \"FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYSECOND=0\""))
                .post("/api/v1/schedules").then().statusCode(201)
                .header("Location", containsString("/api/v1/schedules/" + name))
                .body("nextFireAt", notNullValue()).body("upcoming", hasSize(5)).body("overlap", equalTo("skip"))
                .body("misfire", equalTo("run-once")).body("upcoming[0]", containsString("T01:00:00Z"));
        key.given().contentType(ContentType.JSON).body(body("\"cron\": \"0 3 * * *\"")).post("/api/v1/schedules").then()
                .statusCode(409);
        key.given().get("/api/v1/schedules").then().statusCode(200).body("name", hasItem(name));

        key.given().contentType(ContentType.JSON).body(body("\"cron\": \"30 4 * * 1-5\"")).put("/api/v1/schedules/" + name)
                .then().statusCode(200).body("cron", equalTo("30 4 * * 1-5")).body("calendar", equalTo(null));

        long job = key.given().post("/api/v1/schedules/" + name + "/run").then().statusCode(201)
                .body("scheduleName", equalTo(name)).body("owner", equalTo("ops")).extract().jsonPath().getLong("id");
        key.given().get("/api/v1/schedules/" + name).then().body("lastJobId", equalTo((int) job))
                .body("lastJobStatus", notNullValue());

        key.given().delete("/api/v1/schedules/" + name).then().statusCode(204);
        key.given().delete("/api/v1/schedules/" + name).then().statusCode(404);
        key.given().get("/api/v1/jobs/" + job).then().statusCode(200);
    }

    @Test
    void aBadExpressionIsA400NamingThePartAndWritesNothing() {
        key.given().contentType(ContentType.JSON).body(body("\"cron\": \"61 2 * * *\"")).post("/api/v1/schedules").then()
                .statusCode(400).body("errors[0].field", equalTo("cron")).body("errors[0].part", containsString("minute"));
        key.given().contentType(ContentType.JSON).body(body("\"calendar\": \"FREQ=DAILY;BYHOUR=25\""))
                .post("/api/v1/schedules").then().statusCode(400).body("errors[0].field", equalTo("calendar"))
                .body("errors[0].part", containsString("BYHOUR"));
        key.given().contentType(ContentType.JSON).body(body("\"cron\": \"0 2 * * *\", \"calendar\": \"FREQ=DAILY\""))
                .post("/api/v1/schedules").then().statusCode(400).body("errors[0].field", equalTo("cron"));
        key.given().contentType(ContentType.JSON)
                .body(body("\"cron\": \"0 2 * * *\"").replace("Europe/Berlin", "Mars/Olympus"))
                .post("/api/v1/schedules").then().statusCode(400).body("errors[0].field", equalTo("timeZone"));
        key.given().contentType(ContentType.JSON).body(body("\"cron\": \"0 2 * * *\", \"queue\": \"nope\""))
                .post("/api/v1/schedules").then().statusCode(404);
        given().contentType(ContentType.JSON).body(body("\"cron\": \"0 2 * * *\"")).post("/api/v1/schedules").then()
                .statusCode(401);
        key.given().get("/api/v1/schedules/" + name).then().statusCode(404);
    }

    @Test
    void thePreviewShowsTheNextFiveTimesOrWhatIsWrong() {
        key.given().queryParam("calendar", "FREQ=MINUTELY;INTERVAL=2").get("/api/v1/schedules/preview").then()
                .statusCode(200).body("$", hasSize(5));
        key.given().queryParam("cron", "* * *").get("/api/v1/schedules/preview").then().statusCode(400)
                .body("errors[0].field", equalTo("cron"));
    }
}
