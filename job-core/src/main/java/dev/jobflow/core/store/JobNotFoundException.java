package dev.jobflow.core.store;

public class JobNotFoundException extends JobflowException {
    private final long jobId;

    public JobNotFoundException(long jobId) {
        super("job " + jobId + " does not exist");
        this.jobId = jobId;
    }

    public long jobId() {
        return jobId;
    }
}
