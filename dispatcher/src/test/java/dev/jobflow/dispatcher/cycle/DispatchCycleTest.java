package dev.jobflow.dispatcher.cycle;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.dispatcher.Jobs.submit;
import static dev.jobflow.testing.Await.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.dispatcher.config.ReplicaIdentity;
import dev.jobflow.testing.PostgresTestResource;

/** The cycle: prompt wake-ups, delayed jobs on time, one row per cycle, metrics. (W = 10 s, T = 3 s in tests.) */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class DispatchCycleTest {
    private static final Duration SOON = Duration.ofSeconds(15);

    @Inject
    JobStore store;
    @Inject
    Pool pool;
    @Inject
    ReplicaIdentity replica;
    @Inject
    MeterRegistry registry;

    @Test
    void aWaitingDispatcherRunsNewWorkWithinMillisecondsNotAPollWait() throws Exception {
        submit(store, "noop", Map.of(), 1); // warm up: first cycle started, LISTEN connected
        for (int i = 0; i < 3; i++) {
            long submitted = System.nanoTime();
            Job job = submit(store, "noop", Map.of(), 1);
            awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
            long tookMs = (System.nanoTime() - submitted) / 1_000_000;
            assertThat(tookMs).as("submit to COMPLETED while idle (W = 10 s)").isLessThan(1000);
        }
    }

    /**
     * A job that ends while the queues are empty leaves the cycle waiting for work: its freed slot is
     * not worth a claim (at a low rate that was every other claim: half of PostgreSQL's claim time for
     * nothing). One claim per job here, and a few for the cycles that start meanwhile (T = 3 s).
     */
    @Test
    void aSlotFreedWhileTheQueuesAreEmptyCostsNoClaim() throws Exception {
        Job warmUp = submit(store, "noop", Map.of(), 1);
        awaitJob(store, warmUp.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        double before = polls();
        int jobs = 6;
        for (int i = 0; i < jobs; i++) {
            Job job = submit(store, "noop", Map.of(), 1);
            awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        }
        assertThat(polls() - before).as("claims for %d jobs run one after another", jobs).isLessThanOrEqualTo(jobs + 3);
    }

    private double polls() {
        return registry.get("jobflow.dispatcher.polls").counter().count();
    }

    @Test
    void aDelayedJobRunsWhenDueEvenWhileTheCycleWaits() throws Exception {
        Instant due = Instant.now().plusMillis(1500);
        Job job = store.submitJob(new NewJob("later", "alice", "noop", Map.of(), 0, 1, due, null)).await()
                .atMost(SOON).job();
        Job done = awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        assertThat(done.startedAt()).isAfterOrEqualTo(due.minusMillis(5)).isBefore(due.plusMillis(1000));
    }

    @Test
    void everyCycleLeavesARowAndTheFiguresAreMetrics() throws Exception {
        Job job = submit(store, "noop", Map.of(), 1);
        awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);

        Row totals = until("a cycle row with the claim", SOON, this::cycleTotals, t -> t.getLong("claimed") >= 1);
        assertThat(totals.getLong("cycles")).isPositive();
        assertThat(totals.getLong("claimed")).isPositive();
        assertThat(totals.getLong("polls")).isGreaterThanOrEqualTo(totals.getLong("claimed") > 0 ? 1 : 0);
        assertThat(totals.getLong("completed")).isPositive();
        assertThat(totals.getLong("bad_rows")).isZero();

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jobflow_dispatcher_polls_total"))
                .body(containsString("jobflow_dispatcher_claimed_total"))
                .body(containsString("jobflow_dispatcher_cycles_total"))
                .body(containsString("jobflow_dispatcher_jobs_ended_total{outcome=\"completed\",queue=\"default\"}"))
                .body(containsString("jobflow_dispatcher_slots_busy"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString(replica.id()));
        given().get("/api/v1/jobs").then().statusCode(404);
    }

    private Row cycleTotals() {
        return pool.preparedQuery("select count(*) as cycles, coalesce(sum(claimed), 0) as claimed,"
                + " coalesce(sum(polls), 0) as polls, coalesce(sum(completed), 0) as completed,"
                + " count(*) filter (where ended_at < started_at or jobs_per_sec < 0) as bad_rows"
                + " from dispatch_cycles where replica_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(replica.id())).await().atMost(SOON).iterator().next();
    }
}
