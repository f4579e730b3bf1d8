package dev.jobflow.dispatcher.cycle;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
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

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.testing.PostgresTestResource;

/** Each queue gets its turn on a replica: a long queue never starves a short one (issue 13). */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class QueueTurnsTest {
    private static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    JobStore store;
    @Inject
    QueueTurns turns;

    @Test
    void aShortQueueRunsBesideALongOneInsteadOfAfterIt() throws Exception {
        store.putQueue(QueueSettings.named("long")).await().atMost(SOON);
        store.putQueue(QueueSettings.named("short")).await().atMost(SOON);
        turns.refresh();
        List<Job> longJobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            longJobs.add(submit("long", i));
        }
        List<Job> shortJobs = List.of(submit("short", 0), submit("short", 1));

        Instant lastShortStart = Instant.MIN;
        for (Job job : shortJobs) {
            Job done = awaitJob(store, job.id(), SOON, "short job done", j -> j.status() == JobStatus.COMPLETED);
            lastShortStart = done.startedAt().isAfter(lastShortStart) ? done.startedAt() : lastShortStart;
        }
        Instant shortStarted = lastShortStart;
        List<Job> longAfter = new ArrayList<>();
        for (Job job : longJobs) {
            longAfter.add(awaitJob(store, job.id(), SOON, "long job done", j -> j.status() == JobStatus.COMPLETED));
        }
        // 4 slots, 0.5 s jobs: in queue order the short jobs would start after all 24 long ones.
        assertThat(longAfter.stream().filter(j -> j.startedAt().isAfter(shortStarted)).count())
                .as("long jobs started after both short ones").isGreaterThanOrEqualTo(12);
    }

    private Job submit(String queue, int i) {
        return store.submitJob(NewJob.of(queue + i, "alice", "demo", Map.of("duration", 0.5, "step", 0.25))
                .onQueue(queue)).await().atMost(SOON).job();
    }
}
