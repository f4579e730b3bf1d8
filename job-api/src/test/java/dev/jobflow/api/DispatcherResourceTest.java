package dev.jobflow.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.testing.PostgresTestResource;

/** GET /api/v1/dispatchers on a real PostgreSQL: replicas as the dispatchers registered them. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class DispatcherResourceTest {

    @Inject
    JobStore store;

    @Inject
    DataSource db;

    @Test
    void listsReplicasWithTheirLastCycle() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        store.heartbeatReplica("disp-test-1", 3, false).await().atMost(Duration.ofSeconds(10));
        store.heartbeatReplica("disp-test-2", 1, false).await().atMost(Duration.ofSeconds(10));
        store.recordCycle(new CycleRecord("disp-test-1", start, start.plusSeconds(20), 4, 10, 9, 1))
                .await().atMost(Duration.ofSeconds(10));

        ApiKey.create(db, "dispatchers-test", "viewer").given().get("/api/v1/dispatchers").then().statusCode(200)
                .body("find { it.replicaId == 'disp-test-1' }.slots", equalTo(3))
                .body("find { it.replicaId == 'disp-test-1' }.alive", equalTo(true))
                .body("find { it.replicaId == 'disp-test-1' }.draining", equalTo(false))
                .body("find { it.replicaId == 'disp-test-1' }.lastSeenAt", notNullValue())
                .body("find { it.replicaId == 'disp-test-1' }.lastCycle.claimed", equalTo(10))
                .body("find { it.replicaId == 'disp-test-1' }.lastCycle.completed", equalTo(9))
                .body("find { it.replicaId == 'disp-test-1' }.lastCycle.failed", equalTo(1))
                .body("find { it.replicaId == 'disp-test-1' }.lastCycle.jobsPerSecond", equalTo(0.5f))
                .body("find { it.replicaId == 'disp-test-2' }.lastCycle", nullValue());

        store.removeReplica("disp-test-1").await().atMost(Duration.ofSeconds(10));
        store.removeReplica("disp-test-2").await().atMost(Duration.ofSeconds(10));
    }
}
