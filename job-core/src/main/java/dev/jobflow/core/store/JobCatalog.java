package dev.jobflow.core.store;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.model.AuditPage;
import dev.jobflow.core.model.BulkAction;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobFilter;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobRunRecord;
import dev.jobflow.core.model.LogPage;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.QueueStatus;
import dev.jobflow.core.model.Schedule;
import dev.jobflow.core.model.SubmitResult;
import dev.jobflow.core.params.JobType;

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
     * A unique key held by another job of the same queue returns that job too (not created), and
     * nothing is written. The queue's defaults fill what the job leaves unset.
     *
     * @throws IdempotencyKeyReusedException if the caller's key was used for a different request
     * @throws QueueNotFoundException if the job names a queue that does not exist (nothing written)
     */
    default Uni<SubmitResult> submitJob(NewJob job) {
        return submitJob(job, null);
    }

    /**
     * {@link #submitJob(NewJob)}, recording {@code audit} (unless null) in the audit log in the same
     * transaction when the job is created, with the target {@code jobs/<id>}: the job and its audit
     * row are durable together or not at all. Nothing is recorded when no job is created (an earlier
     * job returned, an unknown queue).
     */
    Uni<SubmitResult> submitJob(NewJob job, AuditEntry audit);

    /**
     * Writes all the jobs and enqueues them in one transaction: all or none. When every job's
     * idempotency key names an earlier job of the caller (a retried batch), those jobs are returned
     * instead (not created) and nothing is written. Unique jobs are not taken here.
     *
     * @return one result per job, in the order given
     * @throws BatchItemException naming the first job that stops the batch (an unknown queue, a key
     *         used for a different request); nothing was written
     * @throws IllegalArgumentException if a job has a unique key
     */
    Uni<List<SubmitResult>> submitJobs(List<NewJob> jobs);

    /** The job with this id, if there is one. */
    Uni<Optional<Job>> findJob(long id);

    /**
     * Jobs newest first, filtered by status and owner and, with {@link JobQuery#search()}, by text in
     * their name, type, params or error (case-insensitive, indexed), one keyset page
     * ({@link JobQuery#beforeId()}).
     */
    Uni<JobPage> listJobs(JobQuery query);

    /**
     * Cancels a queued job at once; flags a running one so its handler stops within a heartbeat.
     * Cancelling a cancelled job returns it unchanged.
     *
     * @throws JobNotFoundException if there is no such job
     * @throws JobStateException if the job already completed or failed
     */
    Uni<Job> cancelJob(long id);

    /**
     * Retries a failed or cancelled job in place: QUEUED again under the same id, its attempts
     * counted on (it gets one more if it had used them all); its runs and logs stay.
     *
     * @throws JobNotFoundException if there is no such job
     * @throws JobStateException if the job is queued, running or completed
     */
    Uni<Job> retryJob(long id);

    /**
     * Deletes a finished job with its runs and log lines.
     *
     * @throws JobNotFoundException if there is no such job
     * @throws JobStateException if the job is queued or running (cancel it first)
     */
    Uni<Void> deleteJob(long id);

    /**
     * Applies {@code action} to every job {@code filter} matches that it applies to (retry: failed
     * and cancelled; cancel: queued and running; delete: finished), or with {@code dryRun} only
     * counts them.
     *
     * @return how many jobs it applied (or would apply) to
     */
    Uni<Long> bulk(BulkAction action, JobFilter filter, boolean dryRun);

    /** Ready, delayed and running jobs, the oldest ready job's age, and the live dispatchers' slots. */
    Uni<QueueStats> queueStats();

    /** The attempts of a job, oldest first (empty for a job that never ran or does not exist). */
    Uni<List<JobRunRecord>> listRuns(long jobId);

    /** A job's log lines oldest first, after the line {@code afterId} (null: from the first). */
    Uni<LogPage> listLogs(long jobId, Long afterId, int limit);

    /** Records a write action in the audit log. */
    Uni<Void> audit(AuditEntry entry);

    /** The audit log newest first, filtered by actor and action (null: all), one keyset page. */
    Uni<AuditPage> listAudit(String actor, String action, Long beforeId, int limit);

    /** Every queue with its figures, by name. */
    Uni<List<QueueStatus>> listQueues();

    /** One queue with its figures, if it exists. */
    Uni<Optional<QueueStatus>> findQueue(String name);

    /** Creates the queue or changes its cap and defaults (its paused flag is kept; a new queue runs). */
    Uni<QueueSettings> putQueue(QueueSettings settings);

    /**
     * Pauses a queue (claims start nothing from it; running jobs go on) or resumes it.
     *
     * @throws QueueNotFoundException if there is no such queue
     */
    Uni<QueueSettings> pauseQueue(String name, boolean paused);

    /**
     * Creates or replaces a schedule's definition and computes its next fire time from now.
     *
     * @throws dev.jobflow.core.schedule.ScheduleExpressionException if its expression or zone is wrong
     * @throws QueueNotFoundException if its queue does not exist
     */
    Uni<Schedule> putSchedule(Schedule definition);

    /** Every schedule, by name, with next and last fire, last job and its status. */
    Uni<List<Schedule>> listSchedules();

    Uni<Optional<Schedule>> findSchedule(String name);

    /** Drops a schedule (its jobs stay); whether there was one. */
    Uni<Boolean> deleteSchedule(String name);

    /**
     * Fires a schedule once, now, whatever its expression and enabled flag say.
     *
     * @throws ScheduleNotFoundException if there is no such schedule
     */
    Uni<Job> runScheduleNow(String name);

    /**
     * The job types the dispatchers registered ({@link JobQueue#registerJobTypes}), by type, with their
     * declared parameters; a type no dispatcher registered for the retention of forgotten replicas is gone.
     */
    Uni<List<JobType>> listJobTypes();
}
