package dev.jobflow.dispatcher.run;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.dispatcher.Jobs.find;
import static dev.jobflow.dispatcher.Jobs.submit;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.PostgresTestResource;

/** Running jobs in a real dispatcher on a real database: progress, cancel, retries, lease loss. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class JobRunTest {
    private static final Duration SOON = Duration.ofSeconds(15);

    @Inject
    JobStore store;
    @Inject
    ProgressLog progressLog;
    @Inject
    Pool pool;
    @Inject
    Slots slots;

    @Test
    void aDemoJobReachesCompletedWithItsProgressInTheRooms() throws Exception {
        Job job = submit(store, "demo", Map.of("duration", 1.0, "step", 0.2), 3);
        Job done = awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);

        assertThat(done.progressPct()).isEqualTo(100);
        assertThat(done.attempts()).isEqualTo(1);
        var lines = store.listLogs(job.id(), null, 100).await().atMost(SOON).items();
        assertThat(lines).isNotEmpty().first().satisfies(line -> assertThat(line.message()).startsWith("step 1: "));
        // one line per step; how many steps fit depends on how long each sleep took
        assertThat(done.result()).isEqualTo(Map.of("steps", lines.size(), "seconds", 1.0));
        assertThat(store.listRuns(job.id()).await().atMost(SOON)).singleElement()
                .satisfies(run -> assertThat(run.outcome()).isEqualTo("COMPLETED"));
        for (String room : List.of("job:" + job.id(), "user:alice")) {
            List<LogEntry> history = progressLog.roomHistory(room, 0, 1000).await().atMost(SOON).stream()
                    .filter(e -> e.payload().getLong("job_id") == job.id()).toList();
            List<Integer> running = history.stream().filter(e -> "RUNNING".equals(e.payload().getString("status")))
                    .map(e -> e.payload().getInteger("pct")).toList();
            assertThat(running).as(room).hasSizeGreaterThanOrEqualTo(4).isSorted();
            assertThat(running.get(running.size() - 1)).isBetween(60, 99);
            assertThat(history.get(history.size() - 1).payload().getString("status")).isEqualTo("COMPLETED");
            assertThat(history.get(history.size() - 1).payload().getInteger("pct")).isEqualTo(100);
        }
    }

    /**
     * A handler reporting in a tight loop costs a progress write per {@code progress-interval} (100 ms),
     * not a database round trip and a progress-log row per call; what is written stays in order.
     */
    @Test
    void progressReportedInATightLoopIsWrittenOncePerInterval() throws Exception {
        Job job = submit(store, "chatty", Map.of("reports", 5000), 3);
        Job done = awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        long loopMs = ((Number) ((Map<?, ?>) done.result()).get("loop_ms")).longValue();
        List<Integer> written = progressLog.roomHistory("job:" + job.id(), 0, 10_000).await().atMost(SOON).stream()
                .filter(e -> "RUNNING".equals(e.payload().getString("status")))
                .map(e -> e.payload().getInteger("pct")).toList();
        // the claim's RUNNING row, the first report (written at once), one per interval after it
        assertThat(written).as("RUNNING rows of 5,000 reports in %d ms", loopMs).isSorted()
                .hasSizeBetween(2, (int) (loopMs / 100) + 3);
        assertThat(done.progressPct()).isEqualTo(100);
    }

    /** The latest report of a burst is written once the interval has passed, without another report to carry it. */
    @Test
    void theLastReportOfABurstIsWrittenWithoutAnotherToCarryIt() throws Exception {
        Job job = submit(store, "chatty", Map.of("reports", 1000, "hold", true), 3);
        try {
            awaitJob(store, job.id(), SOON, "the last report written",
                    j -> j.progressPct() == 99 && "report 1000".equals(j.progressMessage()));
        } finally {
            ChattyHandler.GATE.openAll();
        }
        awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
    }

    @Test
    void aRunningJobIsCancelledWithinAHeartbeat() throws Exception {
        Job job = submit(store, "demo", Map.of("duration", 60, "step", 0.1), 3);
        awaitJob(store, job.id(), SOON, "running with progress", j -> j.progressPct() > 0);

        long asked = System.nanoTime();
        store.cancelJob(job.id()).await().atMost(SOON);
        Job cancelled = awaitJob(store, job.id(), SOON, "cancelled", j -> j.status() == JobStatus.CANCELLED);
        long tookMs = (System.nanoTime() - asked) / 1_000_000;

        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(tookMs).as("ms from cancel to CANCELLED (heartbeat 300 ms)").isLessThan(1500);
    }

    @Test
    void aFailingJobIsRetriedWithBackoffThenFailed() throws Exception {
        Job job = submit(store, "fail", Map.of(), 3);
        Job failed = awaitJob(store, job.id(), SOON, "failed", j -> j.status() == JobStatus.FAILED);

        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).contains("failing on purpose (attempt 3)");
        assertThat(store.listRuns(job.id()).await().atMost(SOON)).extracting(run -> run.outcome())
                .containsExactly("FAILED", "FAILED", "FAILED");
        List<String> statuses = progressLog.roomHistory("job:" + job.id(), 0, 100).await().atMost(SOON).stream()
                .map(e -> e.payload().getString("status")).toList();
        assertThat(statuses).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "QUEUED", "RUNNING", "FAILED");
    }

    @Test
    void aJobThatSucceedsOnALaterAttemptCompletes() throws Exception {
        Job job = submit(store, "fail", Map.of("succeed_on_attempt", 2), 3);
        Job done = awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(2);
    }

    @Test
    void anUnknownJobTypeFailsAtOnceWithoutRetries() throws Exception {
        Job job = submit(store, "no-such-type", Map.of(), 5);
        Job failed = awaitJob(store, job.id(), SOON, "failed", j -> j.status() == JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).contains("unknown job type 'no-such-type'").contains("demo");
    }

    @Test
    void invalidParamsFailAtOnceWithTheReasonWithoutRetries() throws Exception {
        // Written past job-api's check (a submit ahead of a deploy, or straight into the database):
        // the dispatcher checks the declaration before the handler runs.
        Job declared = submit(store, "demo", Map.of("duration", -5), 3);
        Job failed = awaitJob(store, declared.id(), SOON, "failed", j -> j.status() == JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).contains("invalid params: params.duration must be between 0 and 86400");
        // A handler that finds its input invalid itself (JobInputException): no retry either.
        Job found = submit(store, "picky", Map.of("mode", "bad"), 3);
        Job failedToo = awaitJob(store, found.id(), SOON, "failed", j -> j.status() == JobStatus.FAILED);
        assertThat(failedToo.attempts()).isEqualTo(1);
        assertThat(failedToo.error()).contains("JobInputException: mode must be 'ok', was bad");
    }

    @Test
    void aHandlerWhoseLeaseIsGoneStopsWithoutWriting() throws Exception {
        Job job = submit(store, "demo", Map.of("duration", 60, "step", 0.1), 3);
        awaitJob(store, job.id(), SOON, "running with progress", j -> j.progressPct() > 0);

        // Another owner takes the job over (as after an expiry and a reclaim elsewhere).
        pool.preparedQuery("update jobs set lease_owner = 'usurper', lease_token = nextval('jobs_lease_token_seq'),"
                + " lease_expires_at = now() + interval '1 hour' where id = $1").execute(Tuple.of(job.id()))
                .await().atMost(SOON);
        until("the handler stopped", SOON, () -> slots.busy() == 0);
        Job after = find(store, job.id());
        assertThat(after.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(after.leaseOwner()).isEqualTo("usurper");
        store.cancelJob(job.id()).await().atMost(SOON);
    }

    @Test
    void aJobOfADeadOwnerIsRetriedAfterItsLeaseExpires() throws Exception {
        // Delayed an hour so the live dispatcher leaves it alone until the "dead" replica took it.
        Job job = store.submitJob(new NewJob("orphan", "alice", "noop", Map.of(), 0, 3,
                java.time.Instant.now().plusSeconds(3600), null)).await().atMost(SOON).job();
        pool.preparedQuery("update jobs set status = 'RUNNING', attempts = 1, lease_owner = 'dead', run_at = now(),"
                + " lease_token = nextval('jobs_lease_token_seq'), lease_expires_at = now() + interval '300 milliseconds'"
                + " where id = $1").execute(Tuple.of(job.id())).await().atMost(SOON);

        Job done = awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.error()).isNull();
    }
}
