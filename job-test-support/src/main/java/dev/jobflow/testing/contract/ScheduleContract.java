package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.Schedule;
import dev.jobflow.core.model.SchedulePass;
import dev.jobflow.core.schedule.ScheduleExpressionException;
import dev.jobflow.core.store.QueueNotFoundException;
import dev.jobflow.core.store.ScheduleNotFoundException;

/**
 * Schedules (issue 13), for every backend: exactly one job per due time whatever the number of
 * passes, the overlap and misfire rules, time zones. Time is injected: each pass is given its
 * "now", and a schedule's next time is set with SQL where a test needs a given day.
 */
public abstract class ScheduleContract extends BackendContract {
    private static final Duration MISFIRE = Duration.ofMinutes(1);

    protected ScheduleContract() {
        super("schedules");
    }

    private static Schedule every(String name, int seconds, Schedule.Overlap overlap) {
        return Schedule.define(name, null, "demo", Map.of("duration", 1), "ops", null,
                "FREQ=SECONDLY;INTERVAL=" + seconds, "UTC", overlap, Schedule.Misfire.RUN_ONCE, true);
    }

    private Schedule put(Schedule schedule) {
        return await(store().putSchedule(schedule));
    }

    private SchedulePass pass(Instant now) {
        return await(store().fireDueSchedules(now, MISFIRE));
    }

    private List<Job> jobs() {
        return await(store().listJobs(new JobQuery(null, null, null, 500))).items().reversed();
    }

    /** Sets the schedule's next fire time, as if it had been computed for that day. */
    private void nextFireAt(String name, Instant at) {
        fixture().update("update job_schedules set next_fire_at = ? where name = ?", Timestamp.from(at), name);
    }

    @Test
    void aScheduleIsStoredWithItsNextFireTimeAndCanBeReadListedAndDropped() {
        Instant before = Instant.now();
        Schedule stored = put(every("tick", 5, Schedule.Overlap.ALLOW));
        assertThat(stored.nextFireAt()).isAfter(before).isBefore(before.plusSeconds(7));
        assertThat(stored.owner()).isEqualTo("ops");
        assertThat(stored.params()).containsEntry("duration", 1);
        assertThat(await(store().listSchedules())).extracting(Schedule::name).containsExactly("tick");
        assertThat(await(store().deleteSchedule("tick"))).isTrue();
        assertThat(await(store().deleteSchedule("tick"))).isFalse();
        assertThat(await(store().findSchedule("tick"))).isEmpty();
    }

    @Test
    void aBadExpressionOrQueueIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> put(Schedule.define("bad", null, "demo", null, "ops", null, "FREQ=FORTNIGHTLY",
                "UTC", null, null, true))).isInstanceOf(ScheduleExpressionException.class);
        assertThatThrownBy(() -> put(Schedule.define("bad", null, "demo", null, "ops", null, "FREQ=MINUTELY",
                "Mars/Olympus", null, null, true))).isInstanceOf(ScheduleExpressionException.class)
                .hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> put(Schedule.define("bad", "nope", "demo", null, "ops", null, "FREQ=MINUTELY",
                "UTC", null, null, true))).isInstanceOf(QueueNotFoundException.class);
        assertThat(await(store().listSchedules())).isEmpty();
    }

    @Test
    void everyDueTimeMakesExactlyOneJobWhateverTheNumberOfPasses() {
        Schedule tick = put(every("tick", 5, Schedule.Overlap.ALLOW));
        Instant first = tick.nextFireAt();
        Instant now = first.plusSeconds(11); // due: first, +5, +10
        List<Uni<SchedulePass>> passes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            passes.add(store().fireDueSchedules(now, MISFIRE));
        }
        int made = Uni.join().all(passes).andFailFast().await().atMost(Duration.ofSeconds(30)).stream()
                .mapToInt(SchedulePass::jobs).sum();
        assertThat(made).isEqualTo(3);
        assertThat(pass(now).jobs()).as("nothing left due").isZero();
        List<Job> jobs = jobs();
        assertThat(jobs).extracting(Job::scheduledFor)
                .containsExactly(first, first.plusSeconds(5), first.plusSeconds(10));
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.scheduleName()).isEqualTo("tick");
            assertThat(job.owner()).isEqualTo("ops");
            assertThat(job.queue()).isEqualTo("default");
        });
        Schedule after = await(store().findSchedule("tick")).orElseThrow();
        assertThat(after.nextFireAt()).isEqualTo(first.plusSeconds(15));
        assertThat(after.lastFireAt()).isEqualTo(first.plusSeconds(10));
        assertThat(after.lastJobId()).isEqualTo(jobs.get(2).id());
        assertThat(after.lastJobStatus()).isEqualTo(JobStatus.QUEUED);
        assertThat(pass(now).nextDue()).isEqualTo(first.plusSeconds(15));
    }

    @Test
    void overlapSkipPassesDueTimesWhileThePreviousJobIsQueuedOrRunning() {
        put(every("tick", 5, Schedule.Overlap.SKIP));
        // Started a minute ago: its jobs are ready to claim.
        Instant first = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        fixture().update("update job_schedules set anchor_at = ?, next_fire_at = ? where name = 'tick'",
                Timestamp.from(first), Timestamp.from(first));
        assertThat(pass(first).jobs()).isEqualTo(1);
        assertThat(pass(first.plusSeconds(5)).jobs()).as("the first still queued").isZero();
        var claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, Duration.ofSeconds(30)))).get(0);
        assertThat(pass(first.plusSeconds(10)).jobs()).as("the first running").isZero();
        await(store().completeJob(claimed.lease()));
        assertThat(pass(first.plusSeconds(15)).jobs()).isEqualTo(1);
        assertThat(jobs()).extracting(Job::scheduledFor).containsExactly(first, first.plusSeconds(15));
    }

    @Test
    void missedTimesRunOnceOrAreSkippedAsTheMisfireRuleSays() {
        // Due every 10 minutes from about now; the pass runs 5 minutes after a due time, so every due
        // time it sees is more than the misfire window (1 minute) old.
        Instant now = Instant.now().plusSeconds(3900);
        put(Schedule.define("once", null, "demo", null, "ops", null, "FREQ=MINUTELY;INTERVAL=10", "UTC",
                Schedule.Overlap.ALLOW, Schedule.Misfire.RUN_ONCE, true));
        put(Schedule.define("skip", null, "demo", null, "ops", null, "FREQ=MINUTELY;INTERVAL=10", "UTC",
                Schedule.Overlap.ALLOW, Schedule.Misfire.SKIP, true));
        nextFireAt("once", now.minus(Duration.ofMinutes(30)));
        nextFireAt("skip", now.minus(Duration.ofMinutes(30)));
        assertThat(pass(now).jobs()).as("3 missed: one for 'once', none for 'skip'").isEqualTo(1);
        assertThat(jobs()).extracting(Job::scheduleName).containsExactly("once");
        assertThat(await(store().findSchedule("skip")).orElseThrow().nextFireAt()).isAfter(now);
        assertThat(await(store().findSchedule("once")).orElseThrow().nextFireAt()).isAfter(now);
    }

    /**
     * Europe/Berlin springs forward on 2027-03-28 (02:00 → 03:00) and falls back on 2027-10-31
     * (03:00 → 02:00): a daily 02:30 job runs once on each of those days, not zero or two times.
     */
    @Test
    void aDailyJobInTheDstHourRunsOnceOnTheDaysTheClockChanges() {
        put(Schedule.define("nightly", null, "demo", null, "ops", "30 2 * * *", null, "Europe/Berlin", Schedule.Overlap.ALLOW,
                Schedule.Misfire.SKIP, true));
        // Each pass runs at the moment the previous one said is due next: the clock of a scheduler
        // that never oversleeps, three days around each change.
        for (Instant first : List.of(Instant.parse("2027-03-27T01:30:00Z"), Instant.parse("2027-10-30T00:30:00Z"))) {
            nextFireAt("nightly", first);
            Instant now = first;
            while (now.isBefore(first.plus(Duration.ofDays(3)))) {
                now = pass(now).nextDue();
            }
        }
        assertThat(jobs()).extracting(Job::scheduledFor).containsExactly(
                Instant.parse("2027-03-27T01:30:00Z"), // 02:30 CET
                Instant.parse("2027-03-28T01:30:00Z"), // 02:30 does not exist: 03:30 CEST, once
                Instant.parse("2027-03-29T00:30:00Z"), // 02:30 CEST
                Instant.parse("2027-03-30T00:30:00Z"),
                Instant.parse("2027-10-30T00:30:00Z"), // 02:30 CEST
                Instant.parse("2027-10-31T00:30:00Z"), // 02:30 happens twice: the first, once
                Instant.parse("2027-11-01T01:30:00Z")); // 02:30 CET
    }

    @Test
    void runNowFiresOnceWhateverTheExpressionAndAnUnknownScheduleIsRefused() {
        put(Schedule.define("manual", null, "demo", null, "ops", null, "FREQ=YEARLY", "UTC", null, null, false));
        Job job = await(store().runScheduleNow("manual"));
        assertThat(job.scheduleName()).isEqualTo("manual");
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(await(store().findSchedule("manual")).orElseThrow().lastJobId()).isEqualTo(job.id());
        assertThatThrownBy(() -> await(store().runScheduleNow("nope"))).isInstanceOf(ScheduleNotFoundException.class);
    }

    @Test
    void aDisabledScheduleDoesNotFireAndOneWrittenWithABadExpressionIsDisabledWithTheReason() {
        Schedule off = put(Schedule.define("off", null, "demo", null, "ops", null, "FREQ=SECONDLY", "UTC", null, null,
                false));
        fixture().update("insert into job_schedules (name, queue, type, owner, calendar) values ('dba', 'default', 'demo', "
                + "'dba', 'FREQ=NEVERLY')");
        Instant later = off.nextFireAt().plusSeconds(30);
        assertThat(pass(later).jobs()).isZero();
        Schedule dba = await(store().findSchedule("dba")).orElseThrow();
        assertThat(dba.enabled()).isFalse();
        assertThat(dba.lastError()).contains("FREQ");
    }
}
