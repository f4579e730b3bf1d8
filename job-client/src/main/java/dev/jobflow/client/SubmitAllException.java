package dev.jobflow.client;

import java.util.List;

/**
 * {@link JobflowClient#submitAll(List)} stopped at one request. The jobs before it exist; the ones after it were
 * not sent. {@link #requests()} holds every request with the idempotency key it was (or would have been) sent
 * with: passing them to {@code submitAll} again resumes without duplicates (the sent ones come back as they are).
 * The problem is this exception's own ({@link #status()}, {@link #title()}, ...), copied from the failed call,
 * which is also the cause.
 */
public class SubmitAllException extends JobflowException {
    private static final long serialVersionUID = 1L;

    private final transient List<Job> submitted;
    private final transient List<SubmitRequest> requests;
    private final int failedIndex;

    SubmitAllException(JobflowException failure, int failedIndex, List<Job> submitted, List<SubmitRequest> requests) {
        super(failure.status(), failure.type(), failure.title(),
                "request " + failedIndex + " of " + requests.size() + " failed: " + failure.detail(), failure.extras(),
                failure);
        this.failedIndex = failedIndex;
        this.submitted = List.copyOf(submitted);
        this.requests = List.copyOf(requests);
    }

    /** The jobs of the requests before {@link #failedIndex()}, in order. */
    public List<Job> submitted() {
        return submitted;
    }

    /** Every request of the batch, each with its idempotency key: submit them again to resume. */
    public List<SubmitRequest> requests() {
        return requests;
    }

    /** The index of the request that failed. */
    public int failedIndex() {
        return failedIndex;
    }
}
