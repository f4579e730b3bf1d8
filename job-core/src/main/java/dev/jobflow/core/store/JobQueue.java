package dev.jobflow.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.model.PruneResult;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.core.model.SchedulePass;
import dev.jobflow.core.params.JobTypeSpec;

/**
 * The queue as the dispatcher works it: claims under leases and caps, lease renewals, the fenced
 * end of each attempt, recovery of expired leases, the replicas and their cycles, and wake-ups.
 *
 * <p>
 * Operations that take a {@link Lease} are fenced: they change the job only while it is RUNNING
 * under that lease's token, and fail with {@link LeaseLostException} otherwise. An attempt's end
 * ({@link #completeJob}, {@link #failJob}, {@link #cancelRunningJob}, {@link #releaseJob}) answers
 * nothing else: the dispatcher holds the job, and reading its row back would be a round trip (Oracle)
 * or every column of it (PostgreSQL) that nobody reads.
 */
public interface JobQueue {

    /**
     * Claims jobs for {@code request.owner()}: up to {@code request.max()} ready jobs, by priority
     * then age, each with a fresh fencing token and a lease of {@code request.leaseFor()}. Never
     * returns a job another claimer holds. With a global cap, the database never lets more than
     * that many jobs be RUNNING at once across all claimers that pass a cap (expired but not yet
     * reaped leases still count). Only {@code request.queue()} is read: its cap always holds, and a
     * paused queue gives nothing.
     */
    Uni<List<ClaimedJob>> claimJobs(ClaimRequest request);

    /** The earliest {@code run_at} of a queued job that is not ready yet, if any. */
    Uni<Optional<Instant>> nextDelayedRunAt();

    /** Renews the lease; tells whether the job should go on, stop for a cancel, or stop silently. */
    Uni<LeaseState> heartbeatJob(Lease lease, Duration leaseFor);

    /** Records progress (0–100 and an optional message); renews the lease like a heartbeat. */
    Uni<LeaseState> reportProgress(Lease lease, int pct, String message, Duration leaseFor);

    /** Ends the attempt as COMPLETED (a result set by the handler's stored procedure is kept). */
    default Uni<Void> completeJob(Lease lease) {
        return completeJob(lease, null);
    }

    /**
     * Ends the attempt as COMPLETED with the handler's result, a JSON value as text (at most
     * {@link ColumnLimits#RESULT_BYTES}); null keeps a result set through {@code jobflow_set_result}.
     */
    Uni<Void> completeJob(Lease lease, String resultJson);

    /**
     * Appends a log line of the running job, visible at once and sent to its room
     * {@code job:{id}}; the first lines up to the job's limit are kept, then a marker. Level is
     * DEBUG, INFO, WARN or ERROR.
     *
     * @return false when the lease is no longer the job's (nothing written)
     */
    Uni<Boolean> appendLog(Lease lease, String level, String message);

    /**
     * Ends an attempt that failed: back to the queue at the failure's retry time while attempts
     * remain, FAILED otherwise; a failure without retry is FAILED at once.
     */
    Uni<Void> failJob(Lease lease, Failure failure);

    /** Ends a running job whose cancellation the handler has honoured. */
    Uni<Void> cancelRunningJob(Lease lease);

    /** Hands a claimed job back for immediate retry elsewhere, without spending an attempt. */
    Uni<Void> releaseJob(Lease lease);

    /**
     * Returns every RUNNING job whose lease expired to the queue (attempt spent) or fails it when
     * attempts are exhausted; a cancel-requested one ends CANCELLED. Safe to run from many replicas.
     *
     * @return how many jobs it recovered
     */
    Uni<Integer> reapExpiredLeases();

    /** Every queue's settings (the dispatcher claims from each in turn). */
    Uni<List<QueueSettings>> queues();

    /**
     * Makes the jobs of every enabled schedule that fell due by {@code now}: exactly one per due
     * time, whatever the number of replicas calling this at once (the database refuses a second job
     * for the same schedule and time). Due times older than {@code misfireAfter} were missed: a
     * schedule then runs once for them or skips them, as its misfire rule says. With overlap
     * {@code skip}, a due time passes without a job while the previous one is queued or running.
     */
    Uni<SchedulePass> fireDueSchedules(Instant now, Duration misfireAfter);

    /**
     * One retention pass, by whichever replica locks the retention row first (the others skip):
     * removes what {@code policy} says, in bounded batches, never a queued or running job.
     */
    Uni<PruneResult> prune(RetentionPolicy policy);

    /**
     * Registers (or refreshes) the job types this replica runs, with their declared parameters: the
     * last replica to register a type names its declaration, and the type is known to job-api's submit
     * until retention forgets it with the replicas ({@link RetentionPolicy#replicasMaxAge}).
     */
    Uni<Void> registerJobTypes(String replicaId, List<JobTypeSpec> types);

    /** Registers or refreshes a dispatcher replica and its slots (for capacity). */
    Uni<Void> heartbeatReplica(String replicaId, int slots, boolean draining);

    /** Forgets a replica that stops (its slots no longer count toward capacity). */
    Uni<Void> removeReplica(String replicaId);

    /** Records one dispatch cycle (replica, start, end, polls, claimed, completed, failed, rate). */
    Uni<Void> recordCycle(CycleRecord cycle);

    /**
     * Tells waiting dispatchers that jobs may be claimable (e.g. a capped slot was freed);
     * coalesced: many calls in a short time cost one notification.
     */
    void wakeDispatchers();

    /** Calls {@code listener} (on no particular thread) whenever jobs may have become ready. */
    Uni<AutoCloseable> subscribeReady(Runnable listener);
}
