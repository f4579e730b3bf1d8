package dev.jobflow.core.store;

import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.SubmitResult;

/**
 * The jobs as job-api sees them: submit, read, list, cancel, and the queue's figures. Every state
 * change also writes its progress message to the rooms {@code job:{id}}, {@code user:{owner}} and
 * {@code jobs} in the same transaction.
 */
public interface JobCatalog {

    /**
     * Writes the job and enqueues it atomically (a success means both are durable, a failure
     * neither). A caller's idempotency key that names an earlier job returns that job instead.
     *
     * @throws IdempotencyKeyReusedException if the caller's key was used for a different request
     */
    Uni<SubmitResult> submitJob(NewJob job);

    /** The job with this id, if there is one. */
    Uni<Optional<Job>> findJob(long id);

    /** Jobs newest first, filtered by status and owner, one keyset page ({@link JobQuery#beforeId()}). */
    Uni<JobPage> listJobs(JobQuery query);

    /**
     * Cancels a queued job at once; flags a running one so its handler stops within a heartbeat.
     * Cancelling a cancelled job returns it unchanged.
     *
     * @throws JobNotFoundException if there is no such job
     * @throws JobStateException if the job already completed or failed
     */
    Uni<Job> cancelJob(long id);

    /** Ready, delayed and running jobs, the oldest ready job's age, and the live dispatchers' slots. */
    Uni<QueueStats> queueStats();
}
