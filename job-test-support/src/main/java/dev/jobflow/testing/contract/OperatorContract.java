package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.core.model.BulkAction;
import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobFilter;
import dev.jobflow.core.model.JobRunRecord;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.JobStateException;
import dev.jobflow.core.store.LeaseLostException;

/**
 * Operator actions (issue 14), for every backend: retry in place (same id, attempts counted on,
 * a stale owner fenced off), delete of finished jobs, bulk retry / cancel / delete by filter with a
 * dry-run count that matches what is then done.
 */
public abstract class OperatorContract extends BackendContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final JobFilter ALL = new JobFilter(null, null, null, null, null, null, null);

    protected OperatorContract() {
        super("operator");
    }

    private Job submit(String name, String type) {
        return await(store().submitJob(NewJob.of(name, "alice", type, Map.of()).withMaxAttempts(1))).job();
    }

    private ClaimedJob claim() {
        return await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
    }

    private Job failed(String name, String error) {
        Job job = submit(name, "fail");
        await(store().failJob(claim().lease(), Failure.withoutRetry(error)));
        return job;
    }

    @Test
    void aFailedJobIsRetriedInPlaceAndAStaleOwnerCannotCompleteIt() {
        Job job = submit("flaky", "fail");
        ClaimedJob first = claim();
        await(store().failJob(first.lease(), Failure.withoutRetry("boom")));

        Job retried = await(store().retryJob(job.id()));
        assertThat(retried.id()).isEqualTo(job.id());
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempts()).as("counted on").isEqualTo(1);
        assertThat(retried.maxAttempts()).as("one more").isEqualTo(2);
        ClaimedJob second = claim();
        assertThat(second.job().id()).isEqualTo(job.id());
        assertThat(second.job().attempts()).isEqualTo(2);
        assertThatThrownBy(() -> await(store().completeJob(first.lease()))).isInstanceOf(LeaseLostException.class);
        await(store().completeJob(second.lease()));
        assertThat(await(store().listRuns(job.id()))).extracting(JobRunRecord::outcome)
                .containsExactly("FAILED", "COMPLETED");

        assertThatThrownBy(() -> await(store().retryJob(job.id()))).isInstanceOf(JobStateException.class)
                .hasMessageContaining("COMPLETED");
        assertThatThrownBy(() -> await(store().retryJob(999_999))).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void onlyAFinishedJobIsDeletedWithItsRuns() {
        Job queued = submit("queued", "demo");
        assertThatThrownBy(() -> await(store().deleteJob(queued.id()))).isInstanceOf(JobStateException.class);
        await(store().cancelJob(queued.id()));
        await(store().deleteJob(queued.id()));
        assertThat(await(store().findJob(queued.id()))).isEmpty();
        assertThatThrownBy(() -> await(store().deleteJob(queued.id()))).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void bulkActionsByIdsTouchOnlyTheNamedJobsTheOtherFieldsStillNarrow() {
        Job a = failed("a", "boom");
        Job b = failed("b", "boom");
        Job c = failed("c", "boom");
        Job waiting = submit("waiting", "demo");
        JobFilter named = new JobFilter(null, null, null, null, null, null, null,
                java.util.List.of(a.id(), c.id(), waiting.id()));

        assertThat(await(store().bulk(BulkAction.RETRY, named, true))).as("waiting is not retried").isEqualTo(2);
        assertThat(await(store().bulk(BulkAction.RETRY, named, false))).isEqualTo(2);
        assertThat(await(store().findJob(a.id())).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(await(store().findJob(c.id())).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(await(store().findJob(b.id())).orElseThrow().status()).as("not named").isEqualTo(JobStatus.FAILED);

        JobFilter namedNotAlice = new JobFilter(null, null, null, "bob", null, null, null, java.util.List.of(a.id()));
        assertThat(await(store().bulk(BulkAction.CANCEL, namedNotAlice, true))).as("owner narrows").isZero();
        assertThat(await(store().bulk(BulkAction.DELETE, new JobFilter(null, null, null, null, null, null, null,
                java.util.List.of(b.id(), 999_999L)), false))).isEqualTo(1);
        assertThat(await(store().findJob(b.id()))).isEmpty();
        assertThat(await(store().bulk(BulkAction.CANCEL, new JobFilter(null, null, null, null, null, null, null,
                java.util.List.of()), true))).as("no ids: nothing").isZero();
    }

    @Test
    void bulkActionsByFilterDoWhatTheirDryRunCounted() {
        failed("a", "timeout talking to the ledger");
        failed("b", "timeout talking to the ledger");
        failed("c", "disk full");
        submit("waiting", "demo");
        JobFilter timeouts = new JobFilter(null, JobStatus.FAILED, null, "alice", Instant.now().plusSeconds(60),
                Instant.now().minusSeconds(600), "timeout");

        assertThat(await(store().bulk(BulkAction.RETRY, timeouts, true))).isEqualTo(2);
        assertThat(await(store().bulk(BulkAction.RETRY, timeouts, false))).isEqualTo(2);
        assertThat(await(store().bulk(BulkAction.RETRY, timeouts, true))).as("now queued").isZero();

        assertThat(await(store().bulk(BulkAction.CANCEL, ALL, true))).as("queued: 2 retried + waiting").isEqualTo(3);
        assertThat(await(store().bulk(BulkAction.CANCEL, ALL, false))).isEqualTo(3);
        assertThat(await(store().bulk(BulkAction.DELETE, new JobFilter(null, null, "nope", null, null, null, null), true)))
                .isZero();
        assertThat(await(store().bulk(BulkAction.DELETE, ALL, true))).isEqualTo(4);
        assertThat(await(store().bulk(BulkAction.DELETE, ALL, false))).isEqualTo(4);
        assertThat(await(store().bulk(BulkAction.DELETE, ALL, true))).isZero();
    }
}
