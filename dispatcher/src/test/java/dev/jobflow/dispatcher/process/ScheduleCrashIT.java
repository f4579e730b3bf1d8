package dev.jobflow.dispatcher.process;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * Schedules under crashes (issue 13): 3 dispatcher processes make the jobs of a schedule due every
 * second for a minute while one of them is SIGKILLed every 10 fires and restarted. Every due time
 * from the first job to the last has exactly one job: none missing, none twice. No leader: each
 * replica runs the scheduler pass, and the database's unique (schedule_name, scheduled_for) decides.
 * <p>
 * Its minute is mostly waiting for the fires: it runs next to the other crash tests (a late pass on
 * a busy machine still makes every due time's job: a due time is missed only after
 * {@code misfire-after}, 1 minute).
 */
@Execution(ExecutionMode.CONCURRENT)
class ScheduleCrashIT {
    private static final int FIRES = 60;

    @Test
    void everyDueTimeHasExactlyOneJobWhileReplicasAreKilledAndRestarted() throws Exception {
        try (TestDatabase db = TestDatabase.create("schedcrash");
                Fleet fleet = new Fleet(db, Map.of(
                        "JOBFLOW_DISPATCHER_SLOTS", "4",
                        "JOBFLOW_DISPATCHER_LEASE_LENGTH", "4s",
                        "JOBFLOW_DISPATCHER_HEARTBEAT_INTERVAL", "1s",
                        "JOBFLOW_DISPATCHER_REAPER_INTERVAL", "1s",
                        "JOBFLOW_DISPATCHER_POLL_WAIT", "5s"))) {
            List<String> ids = new ArrayList<>(List.of("s0-g0", "s1-g0", "s2-g0"));
            List<ServiceProcess> live = fleet.startAll(ids);
            // As a DBA moves a DBMS_SCHEDULER job over: one call (overlap allowed: every second counts).
            fleet.queryLong("select 1 from (select jobflow_create_schedule('tick', 'noop', '{}'::jsonb, null,"
                    + " 'FREQ=SECONDLY;INTERVAL=1', 'UTC', 'default', 'allow', 'run-once', true, 'fleet')) made");

            int kills = 0;
            int generation = 1;
            for (int fired = 10; fired < FIRES; fired += 10) {
                int target = fired;
                until(target + " scheduled jobs", Duration.ofSeconds(60), () -> ticks(fleet) >= target);
                // a ready victim while another replica is ready (restarts are slow on a busy machine)
                List<Integer> ready = new ArrayList<>();
                until("two replicas ready", Duration.ofSeconds(90), () -> {
                    ready.clear();
                    for (int i = 0; i < live.size(); i++) {
                        if (live.get(i).isReady()) {
                            ready.add(i);
                        }
                    }
                    return ready.size() >= 2;
                });
                int victim = ready.get(kills % ready.size());
                live.get(victim).kill();
                kills++;
                ids.set(victim, "s" + victim + "-g" + generation++);
                live.set(victim, fleet.launch(ids.get(victim))); // restarts in the background
            }
            until(FIRES + " scheduled jobs", Duration.ofSeconds(60), () -> ticks(fleet) >= FIRES);
            fleet.queryLong("select count(*) from (select jobflow_drop_schedule('tick')) dropped");

            long jobs = ticks(fleet);
            long distinct = fleet.queryLong("select count(distinct scheduled_for) from jobs where schedule_name = 'tick'");
            long span = fleet.queryLong("select (extract(epoch from max(scheduled_for) - min(scheduled_for)))::bigint"
                    + " from jobs where schedule_name = 'tick'");
            long offGrid = fleet.queryLong("select count(*) from jobs where schedule_name = 'tick'"
                    + " and scheduled_for <> date_trunc('second', scheduled_for)");
            System.out.printf("SCHEDULE CRASH TEST: %d kills, %d jobs, %d due times, span %d s%n", kills, jobs, distinct,
                    span);
            assertThat(kills).as("replicas killed").isEqualTo(FIRES / 10 - 1);
            assertThat(jobs).as("jobs").isGreaterThanOrEqualTo(FIRES);
            assertThat(distinct).as("no due time twice").isEqualTo(jobs);
            assertThat(span + 1).as("no due time missing between the first and the last").isEqualTo(jobs);
            assertThat(offGrid).as("every job at a whole second").isZero();
        }
    }

    private static long ticks(Fleet fleet) {
        try {
            return fleet.queryLong("select count(*) from jobs where schedule_name = 'tick'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
