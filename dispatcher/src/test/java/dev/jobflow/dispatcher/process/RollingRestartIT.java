package dev.jobflow.dispatcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * The rolling-restart test (invariant 10): under load, each of 3 dispatchers in turn gets a
 * surge replacement and then SIGTERM. Jobs allow a single attempt, so a job that failed or lost an
 * attempt because of a restart would end FAILED: none may. Long jobs outlive the drain grace and
 * are handed back for immediate retry elsewhere (a hand-back does not spend the attempt).
 */
class RollingRestartIT {

    @Test
    void sigtermingEveryDispatcherInTurnFailsNoJob() throws Exception {
        try (TestDatabase db = TestDatabase.create("rolling");
                Fleet fleet = new Fleet(db, Map.of(
                        "JOBFLOW_DISPATCHER_SLOTS", "3",
                        "JOBFLOW_DISPATCHER_GLOBAL_CAP", "8",
                        "JOBFLOW_DISPATCHER_DRAIN_GRACE", "1s",
                        // No crash here: a long lease keeps a starved JVM on a busy machine from losing
                        // single-attempt jobs for reasons other than the restarts under test.
                        "JOBFLOW_DISPATCHER_LEASE_LENGTH", "10s",
                        "JOBFLOW_DISPATCHER_HEARTBEAT_INTERVAL", "1s",
                        "JOBFLOW_DISPATCHER_REAPER_INTERVAL", "1s",
                        "JOBFLOW_DISPATCHER_POLL_WAIT", "5s"))) {
            List<ServiceProcess> live = fleet.startAll(List.of("r0-v1", "r1-v1", "r2-v1"));
            fleet.insertJobs(24, "demo", "{\"duration\": 3, \"step\": 0.5}", 1);
            fleet.insertJobs(300, "demo", "{\"duration\": 0.2, \"step\": 0.1}", 1);

            for (int i = 0; i < 3; i++) {
                ServiceProcess replacement = fleet.start("r" + i + "-v2");
                int exit = live.get(i).terminate(Duration.ofSeconds(60));
                System.out.printf("ROLLING: r%d-v1 exited with %d after SIGTERM%n", i, exit);
                live.set(i, replacement);
            }
            assertThat(fleet.awaitAllTerminal(Duration.ofSeconds(90))).as("every job terminal").isTrue();

            // With one attempt allowed, a job queued again can only have been handed back by a drain.
            long handedBack = fleet.queryLong("select count(*) from (select payload ->> 'job_id' from progress_log"
                    + " where job_owner is not null and payload ->> 'status' = 'QUEUED' group by 1 having count(*) > 1) t");
            System.out.printf("ROLLING: %d jobs, %d completed, %d failed, %d handed back by a drain and retried%n",
                    fleet.queryLong("select count(*) from jobs"),
                    fleet.queryLong("select count(*) from jobs where status = 'COMPLETED'"),
                    fleet.queryLong("select count(*) from jobs where status = 'FAILED'"), handedBack);
            assertThat(fleet.queryLong("select count(*) from jobs where status <> 'COMPLETED'")).as("not completed")
                    .isZero();
            assertThat(fleet.queryLong("select count(*) from dispatcher_replicas where replica_id like '%-v1'"))
                    .as("drained replicas left the replica table").isZero();
        }
    }
}
