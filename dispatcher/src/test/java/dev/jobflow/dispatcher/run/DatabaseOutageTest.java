package dev.jobflow.dispatcher.run;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.dispatcher.Jobs.submit;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.PostgresTestResource;
import dev.jobflow.testing.TestDatabase;

/**
 * Jobs that finish while the database is away (every connection ended, new ones refused, as in a
 * restart) end exactly once: the dispatcher retries the end of the attempt until the database
 * answers, keeps the slot meanwhile, and does not let the reaper re-run a job that succeeded.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.TwoSlots.class)
@WithTestResource(PostgresTestResource.class)
class DatabaseOutageTest {
    private static final Duration SOON = Duration.ofSeconds(20);
    private static final Duration OUTAGE = Duration.ofMillis(2500);
    private static final int SLOTS = 2;

    public static class TwoSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A lease longer than the outage: the replica keeps its jobs through it.
            return Map.of("jobflow.dispatcher.slots", String.valueOf(SLOTS), "jobflow.dispatcher.lease-length", "8s");
        }
    }

    @Inject
    JobStore store;
    @Inject
    ProgressLog progressLog;
    @Inject
    Pool pool;

    @Test
    void jobsThatFinishDuringAnOutageEndExactlyOnceAndHoldTheirSlotUntilRecorded() throws Exception {
        String database = pool.query("select current_database()").execute().await().atMost(SOON).iterator().next()
                .getString(0);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3 * SLOTS; i++) {
            // one attempt only: a job the reaper re-ran after it succeeded would end FAILED
            jobs.add(submit(store, "demo", Map.of("duration", 1.5, "step", 0.3), 1));
        }
        awaitJob(store, jobs.get(0).id(), SOON, "running", j -> j.progressPct() > 0);
        awaitJob(store, jobs.get(1).id(), SOON, "running", j -> j.progressPct() > 0);

        TestDatabase.refuseConnections(database);
        Instant back;
        try {
            Thread.sleep(OUTAGE.toMillis()); // the outage itself is what is under test
        } finally {
            TestDatabase.acceptConnections(database);
            back = Instant.now();
        }

        int[] mostRunning = { 0 };
        until("every job ended", SOON, () -> {
            List<String> statuses = new ArrayList<>();
            pool.query("select status from jobs").execute().await().atMost(SOON)
                    .forEach(row -> statuses.add(row.getString(0)));
            mostRunning[0] = Math.max(mostRunning[0], (int) statuses.stream().filter("RUNNING"::equals).count());
            return statuses.stream().allMatch(s -> s.equals("COMPLETED") || s.equals("FAILED"));
        });

        assertThat(mostRunning[0]).as("jobs RUNNING at once after the outage (slots)").isLessThanOrEqualTo(SLOTS);
        for (Job submitted : jobs) {
            Job job = awaitJob(store, submitted.id(), SOON, "ended", j -> j.finishedAt() != null);
            assertThat(job.status()).as("job %d: %s", job.id(), job.error()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.attempts()).as("job %d ran once", job.id()).isEqualTo(1);
            long completions = progressLog.roomHistory("job:" + job.id(), 0, 1000).await().atMost(SOON).stream()
                    .filter(e -> "COMPLETED".equals(e.payload().getString("status"))).count();
            assertThat(completions).as("job %d completed once", job.id()).isEqualTo(1);
        }
        for (Job first : jobs.subList(0, SLOTS)) {
            Job job = awaitJob(store, first.id(), SOON, "ended", j -> j.finishedAt() != null);
            assertThat(Duration.between(back, job.finishedAt()))
                    .as("job %d: its end recorded soon after the database came back", job.id())
                    .isLessThan(Duration.ofSeconds(3));
        }
    }
}
