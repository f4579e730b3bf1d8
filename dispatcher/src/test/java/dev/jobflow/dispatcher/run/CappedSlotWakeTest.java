package dev.jobflow.dispatcher.run;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.dispatcher.Jobs.submit;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.testing.PostgresTestResource;

/**
 * Under a global cap, who tells the other replicas that a capped slot is free: not a running
 * replica (it claims the slot again itself; a wake-up per job cost ~8 % of the throughput with three
 * replicas), but a draining one (it will not claim again, so the replicas the cap held back must).
 * The test listens for ready notifications as another replica would.
 */
@QuarkusTest
@TestProfile(CappedSlotWakeTest.Capped.class)
@WithTestResource(PostgresTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CappedSlotWakeTest {
    private static final Duration SOON = Duration.ofSeconds(15);

    public static class Capped implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobflow.dispatcher.global-cap", "2");
        }
    }

    @Inject
    JobStore store;
    @Inject
    Slots slots;

    private final AtomicInteger wakes = new AtomicInteger();

    @Test
    @Order(1)
    void aRunningReplicaDoesNotWakeTheOthersWhenItsCappedJobEnds() throws Exception {
        long before = slots.cappedSlotWakes();
        Job job = submit(store, "demo", Map.of("duration", 0.5, "step", 0.1), 1);
        awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        // the slot is freed (and any wake-up sent) before the run leaves the slot set
        until("the slot freed", SOON, () -> slots.busy() == 0);
        assertThat(slots.cappedSlotWakes() - before).as("wake-ups after the capped job ended").isZero();
    }

    @Test
    @Order(2)
    void aDrainingReplicaWakesTheOthersForEachCappedSlotItsJobsFree() throws Exception {
        try (AutoCloseable subscription = store.subscribeReady(wakes::incrementAndGet).await().atMost(SOON)) {
            until("the listener connected", SOON, () -> wakes.get() > 0); // a wake-up on subscribe
            Job job = submit(store, "demo", Map.of("duration", 1, "step", 0.1), 1);
            awaitJob(store, job.id(), SOON, "running", j -> j.status() == JobStatus.RUNNING);
            until("the job in this replica's slot", SOON, () -> slots.busy() == 1); // claimed, then started
            long before = slots.cappedSlotWakes();
            int heard = wakes.get();

            assertThat(slots.drain(Duration.ofSeconds(10))).as("handed back").isZero();

            assertThat(store.findJob(job.id()).await().atMost(SOON).orElseThrow().status())
                    .isEqualTo(JobStatus.COMPLETED);
            assertThat(slots.cappedSlotWakes() - before).as("wake-ups the draining replica sent").isEqualTo(1);
            until("the other replicas heard it", SOON, () -> wakes.get() > heard);
        }
    }
}
