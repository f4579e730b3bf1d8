package dev.jobflow.dispatcher.run;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.dispatcher.cycle.QueueTurns;
import dev.jobflow.testing.PostgresTestResource;

/**
 * Timeouts end hung jobs (issue 13): a Java handler and a stored procedure that both ignore the
 * first request to stop end FAILED (timed out) within timeout + grace (test grace 2 s), and the
 * queue's cap slot they held is free again: the next job of that queue (cap 1) runs.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TimeoutTest {
    private static final Duration SOON = Duration.ofSeconds(20);
    private static final int TIMEOUT_SECONDS = 1;
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Inject
    JobStore store;
    @Inject
    Pool pool;
    @Inject
    QueueTurns turns;
    @Inject
    Slots slots;

    @BeforeEach
    void stubbornProcedure() {
        // Ignores the first cancel: catches query_canceled and sleeps on.
        pool.query("""
                create or replace procedure jobflow_stubborn(p_job_id bigint, p_params jsonb)
                language plpgsql as $$
                begin
                    begin
                        perform pg_sleep(30);
                    exception when query_canceled then
                        perform pg_sleep(30);
                    end;
                end
                $$""").execute().await().atMost(SOON);
    }

    @AfterEach
    void releaseStubbornHandlers() {
        StubbornHandler.GATE.openAll(); // the abandoned threads end here, not whenever
    }

    @Test
    void aJavaHandlerThatIgnoresItsTimeoutEndsTimedOutAndFreesItsSlot() throws Exception {
        assertTimesOut("hung-java", "stubborn");
    }

    @Test
    void aStoredProcedureThatIgnoresTheCancelEndsTimedOutAndItsSessionIsEnded() throws Exception {
        assertTimesOut("hung-sql", "sql:jobflow_stubborn");
        until("the procedure's session ended", SOON, () -> pool.query(
                "select count(*) as n from pg_stat_activity where query like 'call jobflow_stubborn%'")
                .execute().await().atMost(SOON).iterator().next().getLong("n") == 0);
    }

    private void assertTimesOut(String queue, String type) throws Exception {
        store.putQueue(new QueueSettings(queue, 1, 0, 1, null, null, false)).await().atMost(SOON);
        turns.refresh();
        Job hung = store.submitJob(NewJob.of("hung", "alice", type, Map.of()).onQueue(queue)
                .withTimeout(TIMEOUT_SECONDS)).await().atMost(SOON).job();
        Job next = store.submitJob(NewJob.of("next", "alice", "noop", Map.of()).onQueue(queue)).await().atMost(SOON)
                .job();
        Job running = awaitJob(store, hung.id(), SOON, "running", j -> j.status() == JobStatus.RUNNING);

        Job failed = awaitJob(store, hung.id(), SOON, "failed", j -> j.status() == JobStatus.FAILED);
        assertThat(failed.error()).startsWith("timed out after 1 s");
        assertThat(Duration.between(running.startedAt(), failed.finishedAt()))
                .as("ended within timeout + grace (+ one heartbeat of slack)")
                .isLessThan(Duration.ofSeconds(TIMEOUT_SECONDS).plus(GRACE).plusMillis(700));
        Job after = awaitJob(store, next.id(), SOON, "the next job of the capped queue done",
                j -> j.status() == JobStatus.COMPLETED);
        assertThat(after.startedAt()).isAfter(failed.finishedAt().minusMillis(1));
        until("no local slot held", SOON, () -> slots.busy() == 0);
    }
}
