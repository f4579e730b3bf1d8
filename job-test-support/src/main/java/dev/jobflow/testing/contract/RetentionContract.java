package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.PruneResult;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.core.model.UniqueKey;
import dev.jobflow.core.params.JobTypeSpec;

/**
 * Retention (issue 14), for every backend: finished jobs go by age and by count, with their runs
 * and log lines, in bounded batches, never a queued or running one; two passes at once do not
 * conflict (one prunes, the other skips); cycle rows and ended unique keys go too.
 */
public abstract class RetentionContract extends BackendContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration DAY = Duration.ofDays(1);

    protected RetentionContract() {
        super("retention");
    }

    private Job submit(String name) {
        return await(store().submitJob(NewJob.of(name, "alice", "demo", Map.of()))).job();
    }

    /** Completes one claimed job and dates its end {@code daysAgo} back. */
    private Job finished(String name, int daysAgo) {
        Job job = submit(name);
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        await(store().appendLog(claimed.lease(), "INFO", "ran"));
        await(store().completeJob(claimed.lease(), null));
        fixture().update("update jobs set finished_at = finished_at - interval '" + daysAgo + "' day where id = ?",
                job.id());
        return job;
    }

    private List<Long> ids() {
        return await(store().listJobs(new dev.jobflow.core.model.JobQuery(null, null, null, 500))).items().stream()
                .map(Job::id).toList();
    }

    @Test
    void oldFinishedJobsGoWithTheirRunsAndLogsButNeverAQueuedOrRunningOne() {
        Job old = finished("old", 10);
        Job recent = finished("recent", 1);
        Job running = submit("running");
        await(store().claimJobs(ClaimRequest.of("d2", 1, LEASE)));
        Job queued = submit("queued");
        fixture().update("update jobs set created_at = created_at - interval '30' day, run_at = run_at - interval '30' day"
                + " where id in (?, ?)", running.id(), queued.id());

        PruneResult result = await(store().prune(new RetentionPolicy(Duration.ofDays(7), 1000, DAY, DAY, DAY, 100)));
        assertThat(result.ran()).isTrue();
        assertThat(result.jobs()).isEqualTo(1);
        assertThat(ids()).containsExactlyInAnyOrder(recent.id(), running.id(), queued.id());
        assertThat(await(store().listRuns(old.id()))).isEmpty();
        assertThat(await(store().listLogs(old.id(), null, 10)).items()).isEmpty();
        assertThat(await(store().findJob(running.id())).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void beyondTheCountTheOldestFinishedJobsGoInBoundedBatches() {
        for (int i = 0; i < 5; i++) {
            finished("f" + i, 0);
        }
        Job queued = submit("queued");
        RetentionPolicy keepTwo = new RetentionPolicy(Duration.ofDays(7), 2, DAY, DAY, DAY, 2);
        PruneResult first = await(store().prune(keepTwo));
        assertThat(first.jobs()).as("one batch").isEqualTo(2);
        assertThat(first.full()).isTrue();
        assertThat(await(store().prune(keepTwo)).jobs()).isEqualTo(1);
        assertThat(await(store().prune(keepTwo)).jobs()).isZero();
        assertThat(ids()).hasSize(3).contains(queued.id());
    }

    @Test
    void aPassSkipsWhileAnotherHoldsTheRetentionLockAndPrunesOnceItIsFree() {
        finished("old", 10);
        RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(7), 1000, DAY, DAY, DAY, 1000);
        // another replica's pass, as it holds the lock: an open transaction that locked the row
        PruneResult whileHeld = fixture().pool().withTransaction(conn -> conn
                .query("select name from maintenance_locks where name = 'retention' for update").execute()
                .flatMap(locked -> store().prune(policy)))
                .await().atMost(Duration.ofSeconds(30));
        assertThat(whileHeld).isEqualTo(PruneResult.SKIPPED);
        assertThat(ids()).hasSize(1);
        assertThat(await(store().prune(policy)).jobs()).isEqualTo(1);
        assertThat(ids()).isEmpty();
    }

    @Test
    void twoPassesAtOnceDoNotConflictAndRemoveEachRowOnce() {
        for (int i = 0; i < 6; i++) {
            finished("f" + i, 10);
        }
        RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(7), 1000, DAY, DAY, DAY, 1000);
        List<PruneResult> passes = Uni.join().all(List.of(store().prune(policy), store().prune(policy), store().prune(policy)))
                .andFailFast().await().atMost(Duration.ofSeconds(30));
        assertThat(passes.stream().mapToInt(PruneResult::jobs).sum()).isEqualTo(6);
        assertThat(passes).anyMatch(PruneResult::ran);
        assertThat(ids()).isEmpty();
    }

    @Test
    void cycleRowsEndedUniqueKeysAndForgottenReplicasGo() {
        await(store().recordCycle(new dev.jobflow.core.model.CycleRecord("d1", java.time.Instant.now().minus(
                Duration.ofDays(3)), java.time.Instant.now().minus(Duration.ofDays(3)), 1, 0, 0, 0)));
        await(store().recordCycle(new dev.jobflow.core.model.CycleRecord("d1", java.time.Instant.now(),
                java.time.Instant.now(), 1, 0, 0, 0)));
        await(store().submitJob(NewJob.of("u", "alice", "demo", Map.of())
                .withUnique(UniqueKey.forPeriod("k", Duration.ofHours(1)))));
        fixture().update("update job_unique_keys set expires_at = current_timestamp - interval '1' second");
        await(store().heartbeatReplica("gone", 1, false));
        fixture().update("update dispatcher_replicas set last_seen_at = current_timestamp - interval '2' day");
        await(store().heartbeatReplica("alive", 1, false));
        await(store().registerJobTypes("gone", List.of(JobTypeSpec.undeclared("old-type"))));
        fixture().update("update job_types set registered_at = current_timestamp - interval '2' day");
        await(store().registerJobTypes("alive", List.of(JobTypeSpec.undeclared("live-type"))));

        PruneResult result = await(store().prune(new RetentionPolicy(Duration.ofDays(7), 1000, DAY, DAY, DAY, 100)));
        assertThat(result.cycles()).isEqualTo(1);
        assertThat(result.uniqueKeys()).isEqualTo(1);
        assertThat(result.replicas()).isEqualTo(1);
        assertThat(result.jobs()).isZero();
        assertThat(await(store().listJobTypes())).extracting(t -> t.type()).containsExactly("live-type");
        await(store().audit(dev.jobflow.core.model.AuditEntry.of("ops", "key", "POST /api/v1/jobs", "jobs/1", "status 201")));
        fixture().update("update audit_log set at = current_timestamp - interval '2' day");
        await(store().audit(dev.jobflow.core.model.AuditEntry.of("ops", "key", "POST /api/v1/jobs", "jobs/2", "status 201")));
        assertThat(await(store().prune(new RetentionPolicy(Duration.ofDays(7), 1000, DAY, DAY, DAY, 100))).audit())
                .isEqualTo(1);
        assertThat(await(store().listAudit(null, null, null, 10)).items()).extracting(e -> e.target())
                .containsExactly("jobs/2");
    }
}
