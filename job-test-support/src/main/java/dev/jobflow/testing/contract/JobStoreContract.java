package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.auth.JobApiKey;
import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.SubmitResult;
import dev.jobflow.core.model.UniqueKey;
import dev.jobflow.core.params.JobType;
import dev.jobflow.core.params.JobTypeSpec;
import dev.jobflow.core.params.ParamSpec;
import dev.jobflow.core.store.BatchItemException;
import dev.jobflow.core.store.ColumnLimits;
import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.IdempotencyKeyReusedException;
import dev.jobflow.core.store.IdempotencyKeysMixedException;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.JobStateException;
import dev.jobflow.core.store.LeaseLostException;
import dev.jobflow.core.store.QueueNotFoundException;
import dev.jobflow.testing.Await;

/**
 * The contract every store/queue adapter must meet (invariants 1–8 and 11 of the design brief).
 * A backend's test extends this and only opens its {@link dev.jobflow.testing.StoreFixture}: the
 * ports on an empty, migrated database that is fresh for each test. When behaviour changes, this
 * suite changes first.
 */
public abstract class JobStoreContract extends BackendContract {
    protected static final Duration LEASE = Duration.ofSeconds(30);

    protected JobStoreContract() {
        super("contract");
    }

    /** The keys and the shared secret, on the same database. */
    protected Credentials credentials() {
        return fixture().credentials();
    }

    /** Stores a job-api caller key (its SHA-256, as an operator does with SQL). */
    protected void addJobApiKey(String name, String sha256) {
        fixture().update("insert into job_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    protected void revokeJobApiKey(String name) {
        fixture().update("update job_api_keys set revoked_at = current_timestamp where name = ?", name);
    }

    /** Stores a producer key of the hub's send API (its SHA-256, as an operator does with SQL). */
    protected void addProducerKey(String name, String sha256) {
        fixture().update("insert into progress_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    protected void revokeProducerKey(String name) {
        fixture().update("update progress_api_keys set revoked_at = current_timestamp where name = ?", name);
    }

    /** Inserts a job of owner alice whose params are the given text, as a DBA's SQL would. */
    protected abstract void insertJobWithParams(String name, String params) throws Exception;

    /**
     * Inserts a queued job of owner alice whose params the services cannot read as a JSON object,
     * past the checks (as a row written before V012): the backend drops or disables its check first.
     */
    protected abstract void insertJobWithUnreadableParams(String name) throws Exception;

    protected NewJob job(String name) {
        return NewJob.of(name, "alice", "demo", Map.of("duration", 1));
    }

    protected Job submit(NewJob job) {
        return await(store().submitJob(job)).job();
    }

    @Test
    void submitWritesAQueuedJobThatCanBeReadBack() {
        SubmitResult result = await(store().submitJob(
                new NewJob("load", "bob", "demo", Map.of("duration", 5, "nested", Map.of("a", List.of(1, 2))), 3, 4,
                        null, null)));
        Job job = result.job();

        assertThat(result.created()).isTrue();
        assertThat(job.id()).isPositive();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.progressPct()).isZero();
        assertThat(job.attempts()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(4);
        assertThat(job.priority()).isEqualTo(3);
        assertThat(job.params()).containsEntry("duration", 5).containsEntry("nested", Map.of("a", List.of(1, 2)));
        assertThat(job.createdAt()).isNotNull();
        assertThat(await(store().findJob(job.id()))).contains(job);
        assertThat(await(store().findJob(job.id() + 1000))).isEmpty();
    }

    @Test
    void anIdempotencyKeyReturnsTheCallersExistingJobInsteadOfADuplicate() {
        IdempotencyKey key = new IdempotencyKey("key:billing", "key-1");
        NewJob request = new NewJob("a", "alice", "demo", Map.of("x", 1, "y", List.of(2)), 0, 3, null, key);
        SubmitResult created = await(store().submitJob(request));
        // the same request again, its params in another order: the same job
        SubmitResult again = await(store().submitJob(new NewJob("a", "alice", "demo",
                new java.util.LinkedHashMap<>(Map.of("y", List.of(2), "x", 1)), 0, 3, null, key)));

        assertThat(created.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.job()).isEqualTo(created.job());
        assertThat(await(store().listJobs(new JobQuery(null, null, null, 10))).items()).hasSize(1);
    }

    @Test
    void anIdempotencyKeyBelongsToItsCaller() {
        SubmitResult bobs = await(store().submitJob(new NewJob("for bob", "bob", "demo", Map.of("secret", "b"), 0, 3,
                null, new IdempotencyKey("key:billing", "shared-key-1"))));
        SubmitResult carols = await(store().submitJob(new NewJob("for carol", "carol", "noop", Map.of(), 0, 3, null,
                new IdempotencyKey("user:carol", "shared-key-1"))));

        assertThat(carols.created()).as("another caller's key of the same text is another key").isTrue();
        assertThat(carols.job().id()).isNotEqualTo(bobs.job().id());
        assertThat(carols.job().owner()).isEqualTo("carol");
        assertThat(await(store().listJobs(new JobQuery(null, null, null, 10))).items()).hasSize(2);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherRequestIsRefusedAndWritesNothing() {
        IdempotencyKey key = new IdempotencyKey("user:alice", "key-2");
        Job first = await(store().submitJob(new NewJob("a", "alice", "demo", Map.of("duration", 5), 0, 3, null, key)))
                .job();

        assertThatThrownBy(() -> await(store().submitJob(new NewJob("a", "alice", "demo", Map.of("duration", 6), 0, 3,
                null, key)))).isInstanceOf(IdempotencyKeyReusedException.class)
                .satisfies(e -> assertThat(((IdempotencyKeyReusedException) e).jobId()).isEqualTo(first.id()));
        assertThat(await(store().listJobs(new JobQuery(null, null, null, 10))).items()).containsExactly(first);
    }

    @Test
    void aBatchIsWrittenWholeInItsOrderWithTheQueuesDefaults() {
        List<NewJob> batch = List.of(job("b0"), new NewJob("b1", "bob", "demo", Map.of("n", 1), 7, 5, null, null),
                job("b2"));

        List<SubmitResult> results = await(store().submitJobs(batch));

        assertThat(results).hasSize(3).allMatch(SubmitResult::created);
        assertThat(results).extracting(r -> r.job().name()).containsExactly("b0", "b1", "b2");
        assertThat(results).extracting(r -> r.job().id()).isSorted().doesNotHaveDuplicates();
        assertThat(results.get(1).job().priority()).isEqualTo(7);
        assertThat(results.get(1).job().maxAttempts()).isEqualTo(5);
        assertThat(results.get(1).job().params()).containsEntry("n", 1);
        assertThat(results.get(0).job().maxAttempts()).as("the queue's default").isEqualTo(3);
        assertThat(results).allMatch(r -> r.job().status() == JobStatus.QUEUED);
        assertThat(await(store().listJobs(new JobQuery(null, null, null, 10))).items()).hasSize(3);
    }

    @Test
    void aBatchWithAnUnknownQueueWritesNothingAndNamesTheJob() {
        List<NewJob> batch = List.of(job("ok"), job("ok too"), job("lost").onQueue("no-such-queue"));

        assertThatThrownBy(() -> await(store().submitJobs(batch))).isInstanceOf(BatchItemException.class)
                .satisfies(e -> {
                    assertThat(((BatchItemException) e).index()).isEqualTo(2);
                    assertThat(((BatchItemException) e).getCause()).isInstanceOf(QueueNotFoundException.class);
                });
        assertThat(await(store().listJobs(new JobQuery(null, null, null, 10))).items()).isEmpty();
    }

    @Test
    void aRetriedBatchReturnsItsJobsAndAChangedOneIsRefusedWritingNothing() {
        List<NewJob> batch = List.of(keyed("k#0", Map.of("n", 0)), keyed("k#1", Map.of("n", 1)));
        List<SubmitResult> first = await(store().submitJobs(batch));

        List<SubmitResult> again = await(store().submitJobs(batch));
        assertThat(again).noneMatch(SubmitResult::created);
        assertThat(again).extracting(SubmitResult::job).containsExactlyElementsOf(
                first.stream().map(SubmitResult::job).toList());

        assertThatThrownBy(() -> await(store().submitJobs(List.of(keyed("k#0", Map.of("n", 0)),
                keyed("k#1", Map.of("n", 99)))))).isInstanceOf(BatchItemException.class).satisfies(e -> {
                    assertThat(((BatchItemException) e).index()).isEqualTo(1);
                    assertThat(((BatchItemException) e).getCause()).isInstanceOf(IdempotencyKeyReusedException.class);
                });
        assertThatThrownBy(() -> await(store().submitJobs(List.of(keyed("k#0", Map.of("n", 0)),
                keyed("k#2", Map.of("n", 2)))))).isInstanceOf(BatchItemException.class).satisfies(e -> assertThat(
                        ((BatchItemException) e).getCause()).isInstanceOf(IdempotencyKeysMixedException.class));
        assertThat(await(store().listJobs(new JobQuery(null, null, null, 10))).items()).hasSize(2);
    }

    @Test
    void aCreatedJobsAuditRowIsWrittenWithItAndNothingIsRecordedForWhatWasNotCreated() {
        AuditEntry audit = AuditEntry.of("billing", "key", "POST /api/v1/jobs", null, "status 201");
        SubmitResult created = await(store().submitJob(keyed("audited", Map.of()), audit));
        assertThat(created.created()).isTrue();
        List<AuditEntry> rows = await(store().listAudit(null, null, null, 10)).items();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.actor()).isEqualTo("billing");
            assertThat(row.via()).isEqualTo("key");
            assertThat(row.action()).isEqualTo("POST /api/v1/jobs");
            assertThat(row.target()).isEqualTo("jobs/" + created.job().id());
            assertThat(row.detail()).isEqualTo("status 201");
        });
        // the earlier job returned, an unknown queue, a unique key held: no job created, nothing recorded
        assertThat(await(store().submitJob(keyed("audited", Map.of()), audit)).created()).isFalse();
        assertThatThrownBy(() -> await(store().submitJob(job("lost").onQueue("no-such-queue"), audit)))
                .isInstanceOf(QueueNotFoundException.class);
        NewJob unique = new NewJob("unique", "alice", "demo", Map.of(), null, null, null, null, null, null,
                new UniqueKey("report", null));
        assertThat(await(store().submitJob(unique, audit)).created()).isTrue();
        assertThat(await(store().submitJob(unique, audit)).created()).isFalse();
        assertThat(await(store().listAudit(null, null, null, 10)).items()).hasSize(2);
        // without an entry, a submit records nothing
        submit(job("unaudited"));
        assertThat(await(store().listAudit(null, null, null, 10)).items()).hasSize(2);
    }

    private static NewJob keyed(String key, Map<String, Object> params) {
        return new NewJob("keyed", "alice", "demo", params, 0, 3, null, new IdempotencyKey("user:alice", key));
    }

    @Test
    void listIsNewestFirstPagedAndFiltered() {
        Job a = submit(job("a"));
        Job b = submit(NewJob.of("b", "carol", "demo", Map.of()));
        Job c = submit(job("c"));
        await(store().cancelJob(b.id()));

        JobPage first = await(store().listJobs(new JobQuery(null, null, null, 2)));
        assertThat(first.items()).extracting(Job::id).containsExactly(c.id(), b.id());
        JobPage second = await(store().listJobs(new JobQuery(null, null, first.nextBeforeId(), 2)));
        assertThat(second.items()).extracting(Job::id).containsExactly(a.id());
        assertThat(second.nextBeforeId()).isNull();

        assertThat(await(store().listJobs(new JobQuery(null, "alice", null, 10))).items()).extracting(Job::id)
                .containsExactly(c.id(), a.id());
        assertThat(await(store().listJobs(new JobQuery(JobStatus.CANCELLED, null, null, 10))).items())
                .extracting(Job::id).containsExactly(b.id());
    }

    @Test
    void claimTakesReadyJobsByPriorityThenAgeAndNeverTwice() {
        Job low = submit(job("low"));
        Job high = submit(new NewJob("high", "alice", "demo", Map.of(), 5, 3, null, null));
        Job low2 = submit(job("low2"));

        List<ClaimedJob> first = await(store().claimJobs(ClaimRequest.of("d1", 2, LEASE)));
        assertThat(first).extracting(c -> c.job().id()).containsExactly(high.id(), low.id());
        assertThat(first).allSatisfy(c -> {
            assertThat(c.job().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(c.job().attempts()).isEqualTo(1);
            assertThat(c.job().leaseOwner()).isEqualTo("d1");
            assertThat(c.lease().owner()).isEqualTo("d1");
        });
        assertThat(first.get(0).lease().token()).isNotEqualTo(first.get(1).lease().token());

        List<ClaimedJob> second = await(store().claimJobs(ClaimRequest.of("d2", 5, LEASE)));
        assertThat(second).extracting(c -> c.job().id()).containsExactly(low2.id());
        assertThat(await(store().claimJobs(ClaimRequest.of("d3", 5, LEASE)))).isEmpty();
    }

    @Test
    void theSubmitsTraceContextIsWrittenWithTheJobAndReadAtItsClaim() {
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Job traced = submit(job("traced").withTraceParent(parent));
        Job untraced = submit(job("untraced"));

        List<ClaimedJob> claimed = await(store().claimJobs(ClaimRequest.of("d1", 2, LEASE)));
        assertThat(claimed).extracting(c -> c.job().id()).containsExactly(traced.id(), untraced.id());
        assertThat(claimed).extracting(ClaimedJob::traceParent).containsExactly(parent, null);
    }

    @Test
    void delayedJobsAreNotClaimedBeforeTheirTime() {
        Instant later = Instant.now().plusSeconds(3600);
        Job delayed = submit(new NewJob("later", "alice", "demo", Map.of(), 0, 3, later, null));

        assertThat(await(store().claimJobs(ClaimRequest.of("d1", 5, LEASE)))).isEmpty();
        assertThat(await(store().nextDelayedRunAt())).hasValueSatisfying(
                at -> assertThat(Duration.between(later, at).abs()).isLessThan(Duration.ofMillis(1)));
        QueueStats stats = await(store().queueStats());
        assertThat(stats.delayed()).isEqualTo(1);
        assertThat(stats.ready()).isZero();
        assertThat(await(store().findJob(delayed.id())).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void concurrentEndsEachAnswerTheirOwnJobAndALostLeaseAmongThemFailsAlone() {
        int n = 24;
        for (int i = 0; i < n; i++) {
            submit(job("end-" + i));
        }
        List<ClaimedJob> claimed = await(store().claimJobs(ClaimRequest.of("d1", n, LEASE)));
        assertThat(claimed).hasSize(n);
        Lease lost = claimed.get(n / 2).lease();
        List<Uni<Object>> ends = new ArrayList<>();
        for (ClaimedJob job : claimed) {
            Lease lease = job.lease() == lost ? new Lease(lost.jobId(), "d1", lost.token() - 1) : job.lease();
            ends.add(store().completeJob(lease, "\"job " + lease.jobId() + "\"").map(done -> (Object) "completed")
                    .onFailure(LeaseLostException.class).recoverWithItem(e -> "lost " + lease.jobId()));
        }
        List<Object> answers = await(Uni.join().all(ends).andFailFast());

        for (int i = 0; i < n; i++) {
            long id = claimed.get(i).lease().jobId();
            if (i == n / 2) {
                assertThat(answers.get(i)).isEqualTo("lost " + id);
                assertThat(await(store().findJob(id)).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            } else {
                assertThat(answers.get(i)).isEqualTo("completed");
                Job done = await(store().findJob(id)).orElseThrow();
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.result()).as("the job's own result").isEqualTo("job " + id);
            }
        }
    }

    @Test
    void completingNeedsTheCurrentLeaseAndReportsAHundredPercent() {
        submit(job("x"));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        Lease stale = new Lease(claimed.lease().jobId(), "d1", claimed.lease().token() - 1);

        assertThatThrownBy(() -> await(store().completeJob(stale))).isInstanceOf(LeaseLostException.class);
        assertThat(await(store().reportProgress(stale, 50, "half", LEASE))).isEqualTo(LeaseState.LOST);

        assertThat(await(store().reportProgress(claimed.lease(), 40, "loading", LEASE))).isEqualTo(LeaseState.HELD);
        Job done = afterEnd(store().completeJob(claimed.lease()), claimed.job().id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.progressPct()).isEqualTo(100);
        assertThat(done.finishedAt()).isNotNull();
        assertThatThrownBy(() -> await(store().completeJob(claimed.lease()))).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void cancelEndsAQueuedJobAtOnceAndFlagsARunningOne() {
        Job queued = submit(job("q"));
        Job cancelled = await(store().cancelJob(queued.id()));
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(await(store().cancelJob(queued.id())).status()).isEqualTo(JobStatus.CANCELLED);

        submit(job("r"));
        ClaimedJob running = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        assertThat(await(store().cancelJob(running.job().id())).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(await(store().heartbeatJob(running.lease(), LEASE))).isEqualTo(LeaseState.CANCEL_REQUESTED);
        assertThat(afterEnd(store().cancelRunningJob(running.lease()), running.job().id()).status())
                .isEqualTo(JobStatus.CANCELLED);

        assertThatThrownBy(() -> await(store().cancelJob(999_999_999L))).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void aCancelledQueuedJobIsDroppedByTheNextClaimWhichStillTakesTheOthers() {
        Job cancelled = submit(job("cancel me"));
        Job other = submit(job("other"));
        await(store().cancelJob(cancelled.id()));

        assertThat(await(store().claimJobs(ClaimRequest.of("d1", 10, LEASE)))).extracting(c -> c.job().id())
                .containsExactly(other.id());
        assertThat(await(store().claimJobs(ClaimRequest.of("d2", 10, LEASE)))).isEmpty();
        assertThat(await(store().findJob(cancelled.id())).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    /**
     * Cancel and a claim meet on one job row (issue 16): a slow transaction holds the row while a
     * claim (on Oracle: its message already dequeued) and a cancel wait for it; once it ends, both
     * finish, whichever gets the row first. Neither waits for the other (Oracle's cancel used to
     * dequeue the message the claim held locked), and the job is either cancelled or running with
     * its cancel flagged, never lost; the other job is claimed.
     */
    @Test
    void aCancelDuringAClaimNeitherDeadlocksNorLosesTheJob() throws Exception {
        Job target = submit(job("cancel me while claimed"));
        Job other = submit(job("other"));
        List<ClaimedJob> claimed;
        Job cancelled;
        io.vertx.mutiny.sqlclient.SqlConnection holder = fixture().pool().getConnection().await().atMost(Await.STORE);
        try {
            io.vertx.mutiny.sqlclient.Transaction slow = holder.begin().await().atMost(Await.STORE);
            holder.query("select id from jobs where id = " + target.id() + " for update").execute().await()
                    .atMost(Await.STORE);
            java.util.concurrent.CompletableFuture<List<ClaimedJob>> claim = store()
                    .claimJobs(ClaimRequest.of("d1", 10, LEASE)).subscribeAsCompletionStage();
            java.util.concurrent.CompletableFuture<Job> cancel = store().cancelJob(target.id()).subscribeAsCompletionStage();
            // PostgreSQL's claim skips the locked row and returns; Oracle's waits for it with its message held.
            until("the cancel (and a claim that did not skip the row) waits for the job row", Await.STORE,
                    () -> fixture().sessionsWaitingForALock() >= (claim.isDone() ? 1 : 2));
            slow.rollback().await().atMost(Await.STORE);
            claimed = claim.get(Await.STORE.toSeconds(), TimeUnit.SECONDS);
            cancelled = cancel.get(Await.STORE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            holder.close().await().atMost(Await.STORE);
        }

        List<Long> ids = new java.util.ArrayList<>(claimed.stream().map(c -> c.job().id()).toList());
        Job after = await(store().findJob(target.id())).orElseThrow();
        if (ids.contains(target.id())) {
            assertThat(cancelled.status()).as("the claim took the row first").isEqualTo(JobStatus.RUNNING);
            assertThat(after.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(after.cancelRequested()).isTrue();
        } else {
            assertThat(cancelled.status()).as("the cancel took the row first").isEqualTo(JobStatus.CANCELLED);
            assertThat(after.status()).isEqualTo(JobStatus.CANCELLED);
        }
        await(store().claimJobs(ClaimRequest.of("d2", 10, LEASE))).forEach(c -> ids.add(c.job().id()));
        assertThat(ids).as("every claim of both rounds").doesNotHaveDuplicates().contains(other.id());
        assertThat(await(store().queueStats()).ready()).isZero();
    }

    @Test
    void cancellingAFinishedJobIsRefusedAndChangesNothing() {
        submit(job("x"));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        await(store().completeJob(claimed.lease()));

        assertThatThrownBy(() -> await(store().cancelJob(claimed.job().id()))).isInstanceOf(JobStateException.class);
        assertThat(await(store().findJob(claimed.job().id())).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aFailedAttemptIsRetriedUntilAttemptsAreExhausted() {
        submit(new NewJob("flaky", "alice", "demo", Map.of(), 0, 2, null, null));
        ClaimedJob first = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        Job retried = afterEnd(store().failJob(first.lease(), Failure.retryAt("boom", Instant.now())), first.job().id());
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.error()).isEqualTo("boom");

        ClaimedJob second = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        assertThat(second.job().attempts()).isEqualTo(2);
        assertThat(second.lease().token()).isGreaterThan(first.lease().token());
        Job failed = afterEnd(store().failJob(second.lease(), Failure.retryAt("boom again", Instant.now())), second.job().id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.finishedAt()).isNotNull();
    }

    @Test
    void aLongMultiByteErrorIsStoredTruncatedToTheColumnsBytes() {
        submit(new NewJob("long error", "alice", "demo", Map.of(), 0, 1, null, null));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        String error = "é€😀".repeat(2000); // 2 + 3 + 4 bytes per repeat: 18,000 bytes, 8,000 chars

        Job failed = afterEnd(store().failJob(claimed.lease(), Failure.withoutRetry(error)), claimed.job().id());

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(ColumnLimits.ERROR_BYTES).isGreaterThan(ColumnLimits.ERROR_BYTES - 4);
        assertThat(error).startsWith(failed.error());
        assertThat(await(store().findJob(failed.id())).orElseThrow().error()).isEqualTo(failed.error());
    }

    @Test
    void aLongMultiByteProgressMessageIsStoredTruncatedAndStillPublished() {
        Job job = submit(job("long message"));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        String message = "\"€😀".repeat(1000); // quotes escape in the JSON payload, the rest is 3 and 4 bytes

        assertThat(await(store().reportProgress(claimed.lease(), 30, message, LEASE))).isEqualTo(LeaseState.HELD);

        String stored = await(store().findJob(job.id())).orElseThrow().progressMessage();
        assertThat(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(ColumnLimits.PROGRESS_MESSAGE_BYTES)
                .isGreaterThan(ColumnLimits.PROGRESS_MESSAGE_BYTES - 8);
        assertThat(message).startsWith(stored);
        List<LogEntry> history = await(progressLog().roomHistory("job:" + job.id(), 0, 100));
        assertThat(history).extracting(e -> e.payload().getInteger("pct")).contains(30);
    }

    @Test
    void paramsThatAreNotAStrictJsonObjectAreRefusedAndWriteNothing() throws Exception {
        for (String params : List.of("{a: 1}", "{'a':1}", "1", "\"x\"", "[1]")) {
            assertThatThrownBy(() -> insertJobWithParams("bad", params)).as(params).isInstanceOf(Exception.class);
        }
        insertJobWithParams("good", "{\"duration\": 1}");
        assertThat(await(store().claimJobs(ClaimRequest.of("d1", 10, LEASE)))).extracting(c -> c.job().name())
                .containsExactly("good");
    }

    @Test
    void aJobWhoseParamsCannotBeReadFailsAndDoesNotStopTheClaimOfOthers() throws Exception {
        insertJobWithUnreadableParams("unreadable");
        Job good = submit(job("good"));

        assertThat(await(store().claimJobs(ClaimRequest.of("d1", 10, LEASE)))).extracting(c -> c.job().id())
                .containsExactly(good.id());

        assertThat(await(store().claimJobs(ClaimRequest.of("d2", 10, LEASE)))).as("the unreadable job is not offered again")
                .isEmpty();
        assertThat(await(store().queueStats()).ready()).isZero();
        assertThat(await(progressLog().roomHistory("user:alice", 0, 100)))
                .extracting(e -> e.payload().getString("status")).contains("FAILED");
    }

    @Test
    void aRetryWaitsForItsRetryTime() {
        submit(job("later"));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        await(store().failJob(claimed.lease(), Failure.retryAt("boom", Instant.now().plusSeconds(3600))));
        assertThat(await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE)))).isEmpty();
    }

    @Test
    void anExpiredLeaseIsReapedBackToTheQueueAndTheOldOwnerIsFencedOff() throws Exception {
        submit(job("x"));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("dead", 1, Duration.ofMillis(50)))).get(0);
        Thread.sleep(100); // the lease must expire on the database clock: nothing to signal
        assertThat(await(store().reapExpiredLeases())).isEqualTo(1);

        Job back = await(store().findJob(claimed.job().id())).orElseThrow();
        assertThat(back.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(back.error()).contains("expired");
        ClaimedJob again = await(store().claimJobs(ClaimRequest.of("alive", 1, LEASE))).get(0);
        assertThat(again.job().attempts()).isEqualTo(2);
        assertThatThrownBy(() -> await(store().completeJob(claimed.lease()))).isInstanceOf(LeaseLostException.class);
        assertThat(afterEnd(store().completeJob(again.lease()), again.job().id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void releaseHandsAJobBackWithoutSpendingAnAttempt() {
        Job job = submit(job("x"));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("draining", 1, LEASE))).get(0);
        Job released = afterEnd(store().releaseJob(claimed.lease()), claimed.job().id());
        assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(await(store().claimJobs(ClaimRequest.of("other", 1, LEASE)))).extracting(c -> c.job().id())
                .containsExactly(job.id());
    }

    @Test
    void queueStatsCountReadyRunningAndCapacity() {
        submit(job("a"));
        submit(job("b"));
        submit(job("c"));
        await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE)));
        await(store().heartbeatReplica("d1", 4, false));
        await(store().heartbeatReplica("d2", 2, false));
        await(store().heartbeatReplica("d3", 8, true));

        QueueStats stats = await(store().queueStats());
        assertThat(stats.ready()).isEqualTo(2);
        assertThat(stats.running()).isEqualTo(1);
        assertThat(stats.delayed()).isZero();
        assertThat(stats.oldestReadyAgeSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(stats.capacity()).isEqualTo(6);
        assertThat(stats.replicas()).isEqualTo(2);

        await(store().removeReplica("d1"));
        assertThat(await(store().queueStats()).capacity()).isEqualTo(2);
    }

    @Test
    void jobTypesAreRegisteredWithTheirDeclarationsAndTheLastReplicaWins() {
        List<ParamSpec> demo = List.of(ParamSpec.number("duration").min(0).max(86400).describedAs("seconds, ünïcode"),
                ParamSpec.integer("count").min(1).mandatory(), ParamSpec.string("label").max(20), ParamSpec.bool("dry"));
        await(store().registerJobTypes("d1", List.of(new JobTypeSpec("demo", demo), JobTypeSpec.undeclared("sql:x"))));
        assertThat(await(store().listJobTypes())).extracting(JobType::type).containsExactly("demo", "sql:x");
        JobType read = await(store().listJobTypes()).get(0);
        assertThat(read.params()).isEqualTo(demo);
        assertThat(read.replicaId()).isEqualTo("d1");
        assertThat(read.registeredAt()).isNotNull();
        assertThat(await(store().listJobTypes()).get(1).params()).isNull();

        await(store().registerJobTypes("d2", List.of(new JobTypeSpec("demo", List.of(ParamSpec.number("duration"))))));
        JobType again = await(store().listJobTypes()).get(0);
        assertThat(again.params()).containsExactly(ParamSpec.number("duration"));
        assertThat(again.replicaId()).isEqualTo("d2");
        assertThat(again.registeredAt()).isAfterOrEqualTo(read.registeredAt());
    }

    @Test
    void theEndOfAJobDoesNotRepeatItsLastStepsMessage() {
        for (String end : List.of("COMPLETED", "FAILED", "CANCELLED")) {
            Job job = submit(new NewJob("x", "alice", "demo", Map.of(), 0, 1, null, null));
            ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
            await(store().reportProgress(claimed.lease(), 90, "step 9 of 10", LEASE));
            switch (end) {
                case "COMPLETED" -> await(store().completeJob(claimed.lease()));
                case "FAILED" -> await(store().failJob(claimed.lease(), Failure.withoutRetry("broken")));
                default -> {
                    await(store().cancelJob(job.id()));
                    await(store().cancelRunningJob(claimed.lease()));
                }
            }
            List<LogEntry> history = await(progressLog().roomHistory("job:" + job.id(), 0, 100));
            LogEntry last = history.get(history.size() - 1);
            assertThat(last.payload().getString("status")).isEqualTo(end);
            assertThat(last.payload().containsKey("message")).as(end + ": " + last.payload()).isFalse();
            assertThat(await(store().findJob(job.id())).orElseThrow().progressMessage()).as(end).isNull();
        }
    }

    @Test
    void everyStatusChangeWritesItsMessageToTheJobsRoomsInTheSameStep() {
        Job job = submit(job("x"));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        await(store().reportProgress(claimed.lease(), 50, null, LEASE));
        await(store().heartbeatJob(claimed.lease(), LEASE));
        await(store().completeJob(claimed.lease()));

        // one entry per change (V023), in the job's room, naming the owner whose rooms it also belongs to
        List<LogEntry> all = await(progressLog().readAfter(0, 100));
        assertThat(all).extracting(LogEntry::offset).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(e -> e.payload().getString("status") + "@" + e.payload().getInteger("pct"))
                .containsExactly("QUEUED@0", "RUNNING@0", "RUNNING@50", "COMPLETED@100");
        assertThat(all).allSatisfy(e -> assertThat(e.rooms()).containsExactly("job:" + job.id(), "user:alice", "jobs"));
        assertThat(await(progressLog().headOffset())).isEqualTo(all.get(all.size() - 1).offset());
        assertThat(await(progressLog().readTail(0, 100)).entries()).containsExactlyElementsOf(all);

        for (String room : List.of("job:" + job.id(), "user:alice", "jobs")) {
            List<LogEntry> history = await(progressLog().roomHistory(room, 0, 100));
            assertThat(history).extracting(e -> e.payload().getString("status") + "@" + e.payload().getInteger("pct"))
                    .as(room).containsExactly("QUEUED@0", "RUNNING@0", "RUNNING@50", "COMPLETED@100");
            assertThat(history).as(room).extracting(LogEntry::offset).containsExactlyElementsOf(
                    all.stream().map(LogEntry::offset).toList());
            assertThat(history).as(room).allSatisfy(e -> {
                assertThat(e.room()).isEqualTo(room);
                assertThat(e.rooms()).containsExactly(room);
                assertThat(e.payload().getLong("job_id")).isEqualTo(job.id());
            });
            assertThat(await(progressLog().roomHistory(room, all.get(1).offset(), 2))).as(room + " from an offset")
                    .extracting(LogEntry::offset).containsExactly(all.get(2).offset(), all.get(3).offset());
            assertThat(await(progressLog().latest(room))).as(room).hasValueSatisfying(latest -> {
                assertThat(latest.offset()).isEqualTo(all.get(3).offset());
                assertThat(latest.room()).isEqualTo(room);
            });
        }
        assertThat(await(progressLog().roomHistory("user:bob", 0, 100))).as("another owner's room").isEmpty();
    }

    @Test
    void aMessageSentToAnOwnersRoomIsReadInOffsetOrderWithTheJobEventsOfThatOwner() {
        Job first = submit(job("first"));
        List<String> rooms = List.of("user:alice", "jobs");
        List<Long> sent = await(progressLog().publish(rooms, new io.vertx.core.json.JsonObject().put("note", "hello")));
        Job second = submit(job("second"));

        for (String room : rooms) {
            List<LogEntry> history = await(progressLog().roomHistory(room, 0, 100));
            assertThat(history).as(room).extracting(LogEntry::offset).isSorted().doesNotHaveDuplicates();
            assertThat(history).as(room).extracting(e -> e.payload().getLong("job_id", -1L))
                    .containsExactly(first.id(), -1L, second.id());
            assertThat(history.get(1).offset()).isEqualTo(sent.get(rooms.indexOf(room)));
            assertThat(await(progressLog().roomHistory(room, 0, 2))).as(room + ", the first two").hasSize(2);
        }
    }

    @Test
    void publishedMessagesAreReadBackInOffsetOrderPerRoom() {
        List<Long> offsets = await(progressLog().publish(List.of("a", "b"),
                new io.vertx.core.json.JsonObject().put("n", 1)));
        await(progressLog().publish(List.of("a"), new io.vertx.core.json.JsonObject().put("n", 2)));

        assertThat(offsets).hasSize(2);
        assertThat(offsets.get(1)).isGreaterThan(offsets.get(0));
        assertThat(await(progressLog().roomHistory("a", 0, 10))).extracting(e -> e.payload().getInteger("n"))
                .containsExactly(1, 2);
        assertThat(await(progressLog().roomHistory("a", offsets.get(0), 10))).extracting(e -> e.payload().getInteger("n"))
                .containsExactly(2);
        assertThat(await(progressLog().epoch())).isNotBlank();
    }

    @Test
    void aWaitingDispatcherIsWokenWhenWorkArrives() throws Exception {
        CountDownLatch woken = new CountDownLatch(2); // once on subscribe, once for the submit
        AutoCloseable subscription = await(store().subscribeReady(woken::countDown));
        try {
            submit(job("wake"));
            assertThat(woken.await(5, TimeUnit.SECONDS)).as("woken by the submit").isTrue();
        } finally {
            subscription.close();
        }
    }

    @Test
    void aWaitingDispatcherIsWokenWhenAJobIsQueuedAgainWhoeverQueuesIt() throws Exception {
        Semaphore woken = new Semaphore(0);
        AutoCloseable subscription = await(store().subscribeReady(woken::release));
        try {
            Job job = submit(job("again"));
            assertThat(woken.tryAcquire(2, 5, TimeUnit.SECONDS)).as("on subscribing and by the submit").isTrue();
            ClaimedJob first = await(store().claimJobs(ClaimRequest.of("d", 1, LEASE))).get(0);
            woken.drainPermits();
            await(store().failJob(first.lease(), Failure.retryAt("boom", Instant.now())));
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("by a failed attempt's retry").isTrue();

            ClaimedJob second = await(store().claimJobs(ClaimRequest.of("d", 1, LEASE))).get(0);
            woken.drainPermits();
            await(store().releaseJob(second.lease()));
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("by a hand-back").isTrue();

            ClaimedJob third = await(store().claimJobs(ClaimRequest.of("d", 1, LEASE))).get(0);
            await(store().failJob(third.lease(), Failure.withoutRetry("for good")));
            woken.drainPermits();
            await(store().retryJob(job.id()));
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("by an operator's retry").isTrue();

            // a DBA's own SQL, past the services: the database itself tells the dispatchers
            ClaimedJob fourth = await(store().claimJobs(ClaimRequest.of("d", 1, LEASE))).get(0);
            await(store().failJob(fourth.lease(), Failure.withoutRetry("for good again")));
            woken.drainPermits();
            fixture().update("update jobs set status = 'QUEUED', finished_at = null where id = ?", job.id());
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("by a DBA's update").isTrue();

            // the job waits in a paused queue; resuming the queue makes it claimable
            await(store().pauseQueue("default", true));
            woken.drainPermits();
            await(store().pauseQueue("default", false));
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("by a resumed queue").isTrue();
        } finally {
            subscription.close();
        }
    }

    @Test
    void claimersNeverShareAJob() throws Exception {
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            submit(job("j" + i));
        }
        List<Uni<List<ClaimedJob>>> claims = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claims.add(store().claimJobs(ClaimRequest.of("d" + i, 40, LEASE)));
        }
        List<Long> ids = Uni.join().all(claims).andFailFast().await().atMost(Duration.ofSeconds(30)).stream()
                .flatMap(List::stream).map(c -> c.job().id()).collect(Collectors.toList());
        assertThat(ids).hasSize(jobs).doesNotHaveDuplicates();
    }

    @Test
    void theGlobalCapLimitsRunningJobsAcrossClaimers() {
        for (int i = 0; i < 10; i++) {
            submit(job("j" + i));
        }
        OptionalInt cap = OptionalInt.of(5);
        assertThat(await(store().claimJobs(new ClaimRequest("d1", 3, LEASE, cap)))).hasSize(3);
        assertThat(await(store().claimJobs(new ClaimRequest("d2", 3, LEASE, cap)))).hasSize(2);
        List<ClaimedJob> none = await(store().claimJobs(new ClaimRequest("d3", 3, LEASE, cap)));
        assertThat(none).isEmpty();
        assertThat(await(store().queueStats()).running()).isEqualTo(5);

        ClaimedJob any = await(store().claimJobs(ClaimRequest.of("d4", 1, LEASE))).get(0); // uncapped claimers are not limited
        await(store().completeJob(any.lease()));
        assertThat(await(store().claimJobs(new ClaimRequest("d3", 3, LEASE, cap)))).isEmpty(); // still 5 running
        assertThat(await(store().listJobs(new JobQuery(JobStatus.RUNNING, null, null, 10))).items()).hasSize(5);
    }

    @Test
    void aFreedSlotUnderTheCapCanBeClaimedAgain() {
        for (int i = 0; i < 4; i++) {
            submit(job("j" + i));
        }
        OptionalInt cap = OptionalInt.of(2);
        List<ClaimedJob> first = await(store().claimJobs(new ClaimRequest("d1", 4, LEASE, cap)));
        assertThat(first).hasSize(2);
        await(store().completeJob(first.get(0).lease()));
        await(store().failJob(first.get(1).lease(), Failure.retryAt("boom", Instant.now().plusSeconds(3600))));
        assertThat(await(store().claimJobs(new ClaimRequest("d2", 4, LEASE, cap)))).hasSize(2);
        assertThat(await(store().claimJobs(new ClaimRequest("d3", 4, LEASE, cap)))).isEmpty();
    }

    @Test
    void everyWayOutOfRunningFreesItsCappedSlot() throws Exception {
        for (int i = 0; i < 10; i++) {
            submit(job("j" + i));
        }
        OptionalInt cap = OptionalInt.of(3);
        List<ClaimedJob> held = await(store().claimJobs(new ClaimRequest("d1", 3, Duration.ofMillis(50), cap)));
        assertThat(held).hasSize(3);
        assertThat(await(store().claimJobs(new ClaimRequest("d2", 3, LEASE, cap)))).isEmpty();

        awaitReaped(3); // a dead owner's slots come back with the reaper
        List<ClaimedJob> next = await(store().claimJobs(new ClaimRequest("d2", 3, LEASE, cap)));
        assertThat(next).hasSize(3);
        await(store().releaseJob(next.get(0).lease()));
        await(store().cancelJob(next.get(1).job().id()));
        await(store().cancelRunningJob(next.get(1).lease()));
        await(store().failJob(next.get(2).lease(), Failure.withoutRetry("boom")));
        assertThat(await(store().claimJobs(new ClaimRequest("d3", 5, LEASE, cap)))).as("released, cancelled, failed")
                .hasSize(3);
        assertThat(await(store().claimJobs(new ClaimRequest("d4", 5, LEASE, cap)))).isEmpty();
    }

    @Test
    void aLoweredCapCountsTheJobsAlreadyRunning() {
        for (int i = 0; i < 10; i++) {
            submit(job("j" + i));
        }
        List<ClaimedJob> four = await(store().claimJobs(new ClaimRequest("d1", 4, LEASE, OptionalInt.of(4))));
        assertThat(four).hasSize(4);
        assertThat(await(store().claimJobs(new ClaimRequest("d2", 4, LEASE, OptionalInt.of(2))))).isEmpty();
        for (ClaimedJob claimed : four.subList(0, 3)) {
            await(store().completeJob(claimed.lease()));
        }
        assertThat(await(store().claimJobs(new ClaimRequest("d2", 4, LEASE, OptionalInt.of(2))))).hasSize(1);
        assertThat(await(store().queueStats()).running()).isEqualTo(2);
    }

    /**
     * Claimers that complete what they claim and claim again, all under one cap. A claimer counts
     * its jobs after the claim returned (committed) and uncounts them before completing, so the
     * count never exceeds the jobs RUNNING in the database: over the cap means the cap broke.
     */
    @Test
    void cappedClaimersUnderChurnNeverHoldMoreThanTheCap() throws Exception {
        int total = 600;
        int capN = 5;
        List<Uni<SubmitResult>> submits = new java.util.ArrayList<>();
        for (int i = 0; i < total; i++) {
            submits.add(store().submitJob(NewJob.of("j" + i, "alice", "noop", Map.of())));
        }
        Uni.join().all(submits).andFailFast().await().atMost(Duration.ofSeconds(60));
        java.util.Set<Long> completed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger holding = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> claimers = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            String owner = "claimer-" + c;
            claimers.add(Thread.ofVirtual().start(() -> {
                while (completed.size() < total) {
                    List<ClaimedJob> batch = await(store().claimJobs(new ClaimRequest(owner, 3, LEASE, OptionalInt.of(capN))));
                    most.accumulateAndGet(holding.addAndGet(batch.size()), Math::max);
                    for (ClaimedJob claimed : batch) {
                        if (!completed.add(claimed.job().id())) {
                            duplicates.incrementAndGet();
                        }
                        holding.decrementAndGet();
                        await(store().completeJob(claimed.lease()));
                    }
                }
            }));
        }
        for (Thread claimer : claimers) {
            assertThat(claimer.join(Duration.ofSeconds(120))).as("claimer finished").isTrue();
        }
        assertThat(duplicates).hasValue(0);
        assertThat(completed).hasSize(total);
        assertThat(most.get()).as("most jobs held at once").isBetween(1, capN);
    }

    @Test
    void concurrentCappedClaimersNeverExceedTheCapTogether() {
        for (int i = 0; i < 100; i++) {
            submit(job("j" + i));
        }
        List<Uni<List<ClaimedJob>>> claims = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claims.add(store().claimJobs(new ClaimRequest("d" + i, 10, LEASE, OptionalInt.of(7))));
        }
        List<Long> ids = Uni.join().all(claims).andFailFast().await().atMost(Duration.ofSeconds(30)).stream()
                .flatMap(List::stream).map(c -> c.job().id()).collect(Collectors.toList());
        assertThat(ids).hasSize(7).doesNotHaveDuplicates();
        assertThat(await(store().queueStats()).running()).isEqualTo(7);
    }

    @Test
    void aFailureWithoutRetryTimeFailsAtOnceWhateverTheAttemptsLeft() {
        submit(new NewJob("unknown", "alice", "no-such-type", Map.of(), 0, 5, null, null));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))).get(0);
        Job failed = afterEnd(store().failJob(claimed.lease(), Failure.withoutRetry("unknown job type")), claimed.job().id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).isEqualTo("unknown job type");
        assertThat(await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE)))).isEmpty();
    }

    @Test
    void aStaleOwnerCanNeitherFailReleaseCancelNorHeartbeat() throws Exception {
        submit(job("x"));
        ClaimedJob old = await(store().claimJobs(ClaimRequest.of("old", 1, Duration.ofMillis(50)))).get(0);
        awaitReaped(1);
        ClaimedJob current = await(store().claimJobs(ClaimRequest.of("new", 1, LEASE))).get(0);

        assertThat(await(store().heartbeatJob(old.lease(), LEASE))).isEqualTo(LeaseState.LOST);
        assertThatThrownBy(() -> await(store().failJob(old.lease(), Failure.retryAt("x", Instant.now()))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> await(store().releaseJob(old.lease()))).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> await(store().cancelRunningJob(old.lease()))).isInstanceOf(LeaseLostException.class);
        Job now = await(store().findJob(current.job().id())).orElseThrow();
        assertThat(now.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(now.leaseOwner()).isEqualTo("new");
    }

    @Test
    void anExpiredLeaseWithNoAttemptsLeftFailsAndACancelledOneEndsCancelled() throws Exception {
        Job once = submit(new NewJob("once", "alice", "demo", Map.of(), 0, 1, null, null));
        Job cancelled = submit(job("cancelled"));
        List<ClaimedJob> claimed = await(store().claimJobs(ClaimRequest.of("dead", 2, Duration.ofMillis(50))));
        assertThat(claimed).hasSize(2);
        await(store().cancelJob(cancelled.id()));
        awaitReaped(2);

        assertThat(await(store().findJob(once.id())).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(await(store().findJob(cancelled.id())).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(await(store().queueStats()).running()).isZero();
    }

    @Test
    void aDelayedJobBecomesClaimableAtItsTime() throws Exception {
        Job job = submit(new NewJob("soon", "alice", "demo", Map.of(), 0, 3, Instant.now().plusMillis(300), null));
        assertThat(await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE)))).isEmpty();
        // the database clock must pass run_at
        List<ClaimedJob> claimed = until("claimable", Duration.ofSeconds(10),
                () -> await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE))), c -> !c.isEmpty());
        assertThat(claimed).extracting(c -> c.job().id()).containsExactly(job.id());
    }

    /**
     * The competing-claimer test: 4 claimers take and complete 10,000 jobs concurrently; every job
     * is completed exactly once, none is lost.
     */
    @Test
    void fourCompetingClaimersCompleteTenThousandJobsExactlyOnce() throws Exception {
        int total = 10_000;
        for (int batch = 0; batch < total; batch += 500) {
            List<Uni<SubmitResult>> submits = new java.util.ArrayList<>();
            for (int i = batch; i < batch + 500; i++) {
                submits.add(store().submitJob(NewJob.of("j" + i, "alice", "noop", Map.of())));
            }
            Uni.join().all(submits).andFailFast().await().atMost(Duration.ofSeconds(60));
        }
        java.util.Set<Long> completed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> claimers = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String owner = "claimer-" + c;
            claimers.add(Thread.ofVirtual().start(() -> {
                while (true) {
                    List<ClaimedJob> batch = await(store().claimJobs(new ClaimRequest(owner, 25, LEASE, OptionalInt.of(64))));
                    if (batch.isEmpty() && await(store().queueStats()).ready() == 0) {
                        return;
                    }
                    List<Uni<Void>> done = new java.util.ArrayList<>();
                    for (ClaimedJob claimed : batch) {
                        if (!completed.add(claimed.job().id())) {
                            duplicates.incrementAndGet();
                        }
                        done.add(store().completeJob(claimed.lease()));
                    }
                    if (!done.isEmpty()) {
                        Uni.join().all(done).andFailFast().await().atMost(Duration.ofSeconds(30));
                    }
                }
            }));
        }
        for (Thread claimer : claimers) {
            assertThat(claimer.join(Duration.ofSeconds(120))).as("claimer finished").isTrue();
        }
        assertThat(duplicates).hasValue(0);
        assertThat(completed).hasSize(total);
        QueueStats stats = await(store().queueStats());
        assertThat(stats.ready() + stats.running() + stats.delayed()).isZero();
    }

    /** Reaps until {@code count} jobs were recovered; leases expire on the database clock. */
    protected void awaitReaped(int count) throws InterruptedException {
        int[] reaped = { 0 };
        until(count + " jobs reaped", Duration.ofSeconds(10), () -> (reaped[0] += await(store().reapExpiredLeases())) >= count);
        assertThat(reaped[0]).as("jobs reaped").isEqualTo(count);
    }

    @Test
    void reapedAndReleasedJobsKeepTheirPlaceInTheQueue() throws Exception {
        Job first = submit(job("first"));
        Job second = submit(job("second"));
        submit(job("third"));
        ClaimedJob dead = await(store().claimJobs(ClaimRequest.of("dead", 1, Duration.ofMillis(50)))).get(0);
        assertThat(dead.job().id()).isEqualTo(first.id());
        awaitReaped(1);
        assertThat(await(store().claimJobs(ClaimRequest.of("alive", 1, LEASE)))).extracting(c -> c.job().id())
                .containsExactly(first.id());

        ClaimedJob draining = await(store().claimJobs(ClaimRequest.of("draining", 1, LEASE))).get(0);
        assertThat(draining.job().id()).isEqualTo(second.id());
        await(store().releaseJob(draining.lease()));
        assertThat(await(store().claimJobs(ClaimRequest.of("other", 1, LEASE)))).extracting(c -> c.job().id())
                .containsExactly(second.id());
    }

    @Test
    void jobApiKeysAreFoundByHashUntilRevoked() throws Exception {
        String sha = "c".repeat(64);
        addJobApiKey("billing", sha);
        addJobApiKey("reports", "d".repeat(64));
        // a key's role (V020): admin unless named, as keys from before roles could do everything
        fixture().update("update job_api_keys set role = 'viewer' where name = ?", "reports");
        assertThat(await(credentials().jobApiKey(sha))).contains(new JobApiKey("billing", "admin"));
        assertThat(await(credentials().jobApiKey("d".repeat(64)))).contains(new JobApiKey("reports", "viewer"));
        assertThat(await(credentials().jobApiKey("e".repeat(64)))).isEmpty();
        // the hub's producer keys are a different table: one of them is no job-api key, and back
        assertThat(await(credentials().producerKeyName(sha))).isEmpty();

        revokeJobApiKey("billing");
        assertThat(await(credentials().jobApiKey(sha))).isEmpty();
        assertThat(await(credentials().jobApiKey("d".repeat(64)))).contains(new JobApiKey("reports", "viewer"));
    }

    @Test
    void anOperatorKeyMayBeLimitedToQueuesAndNoOtherKeyMay() throws Exception {
        addJobApiKey("night-shift", "f".repeat(64));
        fixture().update("update job_api_keys set role = 'operator', queues = ? where name = ?", "reports,billing",
                "night-shift");
        assertThat(await(credentials().jobApiKey("f".repeat(64))))
                .contains(new JobApiKey("night-shift", "operator", Set.of("reports", "billing")));
        // only an operator key has queues (V024), and only well-formed names; the row stays as it was
        for (String[] bad : new String[][] { { "admin", "reports" }, { "viewer", "reports" },
                { "operator", "reports,,billing" }, { "operator", "Reports" }, { "operator", "reports, billing" } }) {
            assertThatThrownBy(() -> fixture().update("update job_api_keys set role = ?, queues = ? where name = ?",
                    bad[0], bad[1], "night-shift")).as("%s with %s", bad[0], bad[1]).isInstanceOf(Exception.class);
        }
        assertThat(await(credentials().jobApiKey("f".repeat(64))))
                .contains(new JobApiKey("night-shift", "operator", Set.of("reports", "billing")));
    }

    @Test
    void producerKeysAreFoundByHashUntilRevoked() throws Exception {
        String sha = "a".repeat(64);
        addProducerKey("loader", sha);
        assertThat(await(credentials().producerKeyName(sha))).contains("loader");
        assertThat(await(credentials().producerKeyName("b".repeat(64)))).isEmpty();
        assertThat(await(credentials().jobApiKey(sha))).isEmpty();
        revokeProducerKey("loader");
        assertThat(await(credentials().producerKeyName(sha))).isEmpty();
    }

    @Test
    void theKeysFingerprintChangesWithEveryChangeToTheKeysAndOnlyThen() {
        List<String> seen = new ArrayList<>();
        seen.add(await(credentials().keysFingerprint()));
        assertThat(await(credentials().keysFingerprint())).as("nothing changed").isEqualTo(seen.get(0));
        addJobApiKey("watched", "9".repeat(64));
        seen.add(await(credentials().keysFingerprint()));
        fixture().update("update job_api_keys set role = 'operator' where name = ?", "watched");
        seen.add(await(credentials().keysFingerprint()));
        fixture().update("update job_api_keys set queues = 'reports' where name = ?", "watched");
        seen.add(await(credentials().keysFingerprint()));
        revokeJobApiKey("watched");
        seen.add(await(credentials().keysFingerprint()));
        addProducerKey("watched", "8".repeat(64));
        seen.add(await(credentials().keysFingerprint()));
        revokeProducerKey("watched");
        seen.add(await(credentials().keysFingerprint()));
        fixture().update("delete from job_api_keys where name = ?", "watched");
        seen.add(await(credentials().keysFingerprint()));
        assertThat(seen).as("a new fingerprint after each change").doesNotHaveDuplicates();
        submit(job("not a key"));
        assertThat(await(credentials().keysFingerprint())).as("a write to another table is no change")
                .isEqualTo(seen.get(seen.size() - 1));
    }

    @Test
    void theSharedSigningSecretIsTheFirstOneStored() {
        assertThat(await(credentials().sharedSigningSecret("first-secret-value"))).isEqualTo("first-secret-value");
        assertThat(await(credentials().sharedSigningSecret("second-secret-value"))).isEqualTo("first-secret-value");
    }
}
