package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobRunRecord;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.LogLine;
import dev.jobflow.core.model.LogPage;
import dev.jobflow.core.model.NewJob;

/**
 * Run history, results and log lines (issue 14), for every backend: one run row per attempt
 * however it ended, a result kept with the job, log lines fenced, bounded, paged and sent to the
 * job's room.
 */
public abstract class RunHistoryContract extends BackendContract {
    private static final Duration LEASE = Duration.ofSeconds(30);

    protected RunHistoryContract() {
        super("runs");
    }

    private Job submit(String name, int attempts) {
        return await(store().submitJob(NewJob.of(name, "alice", "demo", Map.of()).withMaxAttempts(attempts))).job();
    }

    private ClaimedJob claim(String owner) {
        return await(store().claimJobs(ClaimRequest.of(owner, 1, LEASE))).get(0);
    }

    @Test
    void everyAttemptLeavesOneRunWithItsReplicaOutcomeAndError() {
        Job job = submit("flaky", 3);
        ClaimedJob first = claim("d1");
        await(store().failJob(first.lease(), Failure.retryAt("IllegalStateException: boom <- caused by IOException: gone",
                Instant.now().minusSeconds(1))));
        ClaimedJob second = claim("d2");
        await(store().releaseJob(second.lease()));
        ClaimedJob third = claim("d3");
        await(store().completeJob(third.lease(), "{\"rows\": 42}"));

        List<JobRunRecord> runs = await(store().listRuns(job.id()));
        assertThat(runs).extracting(JobRunRecord::attempt, JobRunRecord::replica, JobRunRecord::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "d1", "FAILED"),
                        org.assertj.core.groups.Tuple.tuple(2, "d2", "RELEASED"),
                        org.assertj.core.groups.Tuple.tuple(2, "d3", "COMPLETED"));
        assertThat(runs.get(0).error()).contains("caused by IOException: gone");
        assertThat(runs.get(2).error()).isNull();
        assertThat(runs).allSatisfy(run -> assertThat(run.endedAt()).isAfterOrEqualTo(run.startedAt()));
        assertThat(await(store().findJob(job.id())).orElseThrow().result()).isEqualTo(Map.of("rows", 42));
        assertThat(await(store().listRuns(999_999))).isEmpty();
    }

    @Test
    void aCancelledRunAndAResultOfAnyJsonValue() {
        Job job = submit("stopped", 1);
        ClaimedJob claimed = claim("d1");
        await(store().cancelJob(job.id()));
        await(store().cancelRunningJob(claimed.lease()));
        assertThat(await(store().listRuns(job.id()))).extracting(JobRunRecord::outcome).containsExactly("CANCELLED");

        submit("scalar", 1);
        ClaimedJob scalar = claim("d1");
        assertThat(afterEnd(store().completeJob(scalar.lease(), "\"done\""), scalar.job().id()).result()).isEqualTo("done");
        submit("list", 1);
        ClaimedJob list = claim("d1");
        assertThat(afterEnd(store().completeJob(list.lease(), "[1, 2]"), list.job().id()).result()).isEqualTo(List.of(1, 2));
        submit("too big", 1);
        ClaimedJob big = claim("d1");
        assertThatThrownBy(() -> await(store().completeJob(big.lease(), "\"" + "x".repeat(4000) + "\"")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLinesAreFencedPagedBoundedAndSentToTheJobsRoom() {
        Job job = submit("chatty", 1);
        ClaimedJob claimed = claim("d1");
        for (int i = 1; i <= 5; i++) {
            assertThat(await(store().appendLog(claimed.lease(), i == 5 ? "WARN" : "INFO", "line " + i))).isTrue();
        }
        LogPage first = await(store().listLogs(job.id(), null, 3));
        assertThat(first.items()).extracting(LogLine::message).containsExactly("line 1", "line 2", "line 3");
        assertThat(first.nextAfterId()).isNotNull();
        LogPage rest = await(store().listLogs(job.id(), first.nextAfterId(), 3));
        assertThat(rest.items()).extracting(LogLine::message).containsExactly("line 4", "line 5");
        assertThat(rest.items().get(1).level()).isEqualTo("WARN");
        assertThat(rest.items().get(0).attempt()).isEqualTo(1);
        assertThat(rest.nextAfterId()).isNull();

        List<LogEntry> room = await(progressLog().roomHistory("job:" + job.id(), 0, 100)).stream()
                .filter(e -> e.payload().containsKey("log")).toList();
        assertThat(room).extracting(e -> e.payload().getJsonObject("log").getString("message"))
                .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");

        await(store().completeJob(claimed.lease(), null));
        assertThat(await(store().appendLog(claimed.lease(), "INFO", "after the end"))).as("fenced").isFalse();
        assertThat(await(store().listLogs(job.id(), null, 100)).items()).hasSize(5);
    }

    @Test
    void aJobKeepsItsFirstLinesAndOneMarkerWhenItWritesTooMany() {
        Job job = submit("flood", 1);
        ClaimedJob claimed = claim("d1");
        for (int i = 1; i <= 1003; i++) {
            await(store().appendLog(claimed.lease(), "DEBUG", "line " + i));
        }
        List<LogLine> kept = await(store().listLogs(job.id(), null, 2000)).items();
        assertThat(kept).hasSize(1001);
        assertThat(kept.get(999).message()).isEqualTo("line 1000");
        assertThat(kept.get(1000).level()).isEqualTo("WARN");
        assertThat(kept.get(1000).message()).contains("log lines dropped");
        assertThat(await(store().appendLog(claimed.lease(), "INFO", "x".repeat(3000)))).isTrue();
    }
}
