package dev.jobflow.core.store;

import dev.jobflow.core.model.JobStatus;

/** The operation does not apply to the job in its current status (e.g. cancel a completed job). */
public class JobStateException extends JobflowException {
    private final long jobId;
    private final JobStatus status;

    public JobStateException(long jobId, JobStatus status, String operation) {
        super("job " + jobId + " is " + status + ": cannot " + operation);
        this.jobId = jobId;
        this.status = status;
    }

    public long jobId() {
        return jobId;
    }

    public JobStatus status() {
        return status;
    }
}
