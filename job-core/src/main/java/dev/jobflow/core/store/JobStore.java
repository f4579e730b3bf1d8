package dev.jobflow.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.SubmitResult;

/**
 * The store/queue port: everything the services need from the database about jobs, one adapter
 * per backend. Every state change of a job also writes its progress message to the rooms
 * {@code job:{id}}, {@code user:{owner}} and {@code jobs} in the same transaction.
 *
 * <p>
 * Operations that take a {@link Lease} are fenced: they change the job only while it is RUNNING
 * under that lease's token, and fail with {@link LeaseLostException} otherwise.
 */
public interface JobStore {

    /** Writes the job and enqueues it atomically; an existing idempotency key returns that job. */
    Uni<SubmitResult> submitJob(NewJob job);

    Uni<Optional<Job>> findJob(long id);

    Uni<JobPage> listJobs(JobQuery query);

    /**
     * Cancels a queued job at once; flags a running one so its handler stops within a heartbeat.
     * Cancelling a cancelled job returns it unchanged.
     *
     * @throws JobNotFoundException if there is no such job
     * @throws JobStateException if the job already completed or failed
     */
    Uni<Job> cancelJob(long id);

    Uni<QueueStats> queueStats();

    /**
     * The name of the job-api caller key whose SHA-256 (hex) is {@code keySha256}, unless that key
     * was revoked (table {@code job_api_keys}; only hashes are stored).
     */
    Uni<Optional<String>> jobApiKeyName(String keySha256);

    /**
     * Claims up to {@code max} ready jobs, by priority then age, for {@code owner}, each with a
     * fresh fencing token and a lease of {@code leaseFor}. Never returns a job another claimer holds.
     * With a {@code globalCap}, the database never lets more than that many jobs be RUNNING at once
     * across all claimers that pass a cap (expired but not yet reaped leases still count).
     */
    Uni<List<ClaimedJob>> claimJobs(String owner, int max, Duration leaseFor, OptionalInt globalCap);

    /** {@link #claimJobs(String, int, Duration, OptionalInt)} without a global cap. */
    default Uni<List<ClaimedJob>> claimJobs(String owner, int max, Duration leaseFor) {
        return claimJobs(owner, max, leaseFor, OptionalInt.empty());
    }

    /** The earliest {@code run_at} of a queued job that is not ready yet, if any. */
    Uni<Optional<Instant>> nextDelayedRunAt();

    /** Renews the lease; tells whether the job should go on, stop for a cancel, or stop silently. */
    Uni<LeaseState> heartbeatJob(Lease lease, Duration leaseFor);

    /** Records progress (0–100 and an optional message); renews the lease like a heartbeat. */
    Uni<LeaseState> reportProgress(Lease lease, int pct, String message, Duration leaseFor);

    Uni<Job> completeJob(Lease lease);

    /**
     * Ends an attempt that failed: back to the queue at {@code retryAt} while attempts remain,
     * FAILED otherwise. A null {@code retryAt} fails the job at once (no retry, e.g. unknown type).
     */
    Uni<Job> failJob(Lease lease, String error, Instant retryAt);

    /** Ends a running job whose cancellation the handler has honoured. */
    Uni<Job> cancelRunningJob(Lease lease);

    /** Hands a claimed job back for immediate retry elsewhere, without spending an attempt. */
    Uni<Job> releaseJob(Lease lease);

    /**
     * Returns every RUNNING job whose lease expired to the queue (attempt spent) or fails it when
     * attempts are exhausted; a cancel-requested one ends CANCELLED. Safe to run from many replicas.
     *
     * @return how many jobs it recovered
     */
    Uni<Integer> reapExpiredLeases();

    /** Registers or refreshes a dispatcher replica and its slots (for capacity). */
    Uni<Void> heartbeatReplica(String replicaId, int slots, boolean draining);

    Uni<Void> removeReplica(String replicaId);

    Uni<Void> recordCycle(CycleRecord cycle);

    /**
     * Tells waiting dispatchers that jobs may be claimable (e.g. a capped slot was freed);
     * coalesced: many calls in a short time cost one notification.
     */
    void wakeDispatchers();

    /** Calls {@code listener} (on no particular thread) whenever jobs may have become ready. */
    Uni<AutoCloseable> subscribeReady(Runnable listener);
}
