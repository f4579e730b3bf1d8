package dev.jobflow.api;

import static dev.jobflow.testing.Await.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;

/** /q/metrics shows the queue gauges the chart's HPA alternative scales on, refreshed from the database. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class QueueGaugesTest {
    private static final String JOB = """
            {"name":"gauges","owner":"gauges","type":"demo","params":{"duration":1}}""";

    @Inject
    DataSource db;

    @Test
    void gaugesFollowTheQueue() throws InterruptedException {
        String before = metrics();
        for (String name : new String[] { "jobflow_queue_ready", "jobflow_queue_delayed", "jobflow_queue_running",
                "jobflow_queue_work", "jobflow_queue_capacity", "jobflow_queue_oldest_ready_age_seconds",
                "jobflow_queue_dispatcher_replicas" }) {
            assertThat(before).as(name).containsPattern("(?m)^" + name + "(\\{[^}]*\\})? ");
        }
        double ready = value(before, "jobflow_queue_ready");
        ApiKey key = ApiKey.create(db, "gauges-test");
        for (int i = 0; i < 3; i++) {
            key.given().contentType(ContentType.JSON).body(JOB).post("/api/v1/jobs").then().statusCode(201);
        }
        // Each gauge reads the latest refresh on its own, so a refresh can fall between two gauges of
        // one scrape (other test classes share the database): wait for a scrape that no refresh split.
        String now = until("the ready gauge refreshed, in a scrape no refresh split", Duration.ofSeconds(15),
                QueueGaugesTest::metrics, m -> value(m, "jobflow_queue_ready") >= ready + 3
                        && value(m, "jobflow_queue_work") == value(m, "jobflow_queue_ready")
                                + value(m, "jobflow_queue_running"));
        assertThat(value(now, "jobflow_queue_ready")).as("ready after 3 submits").isGreaterThanOrEqualTo(ready + 3);
        assertThat(value(now, "jobflow_queue_work")).as("work = ready + running")
                .isEqualTo(value(now, "jobflow_queue_ready") + value(now, "jobflow_queue_running"));
    }

    @Test
    void eachNamedQueueHasItsOwnGaugesWithAQueueLabel() {
        ApiKey key = ApiKey.create(db, "gauges-queue-test");
        key.given().contentType(ContentType.JSON).body("{\"cap\": 3}").put("/api/v1/queues/gauged").then().statusCode(200);
        key.given().post("/api/v1/queues/gauged/pause").then().statusCode(200);
        key.given().contentType(ContentType.JSON).body(JOB.replace("\"type\"", "\"queue\":\"gauged\",\"type\""))
                .post("/api/v1/jobs").then().statusCode(201);
        // one refresh registers the queue's series one after the other: wait until a scrape has them all
        String now = until("the gauged queue's series", Duration.ofSeconds(15), QueueGaugesTest::metrics,
                m -> m.contains("jobflow_queues_ready{queue=\"gauged\"} 1.0")
                        && m.contains("jobflow_queues_cap{queue=\"gauged\"}")
                        && m.contains("jobflow_queues_paused{queue=\"gauged\"}")
                        && m.contains("jobflow_queues_work{queue=\"gauged\"}"));
        assertThat(value(now, "jobflow_queues_cap\\{queue=\"gauged\"\\}")).isEqualTo(3);
        assertThat(value(now, "jobflow_queues_paused\\{queue=\"gauged\"\\}")).isEqualTo(1);
        assertThat(value(now, "jobflow_queues_work\\{queue=\"gauged\"\\}")).isEqualTo(1);
        assertThat(now).contains("jobflow_queues_ready{queue=\"default\"}");
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as(name + " in /q/metrics").isTrue();
        return Double.parseDouble(m.group(2));
    }
}
