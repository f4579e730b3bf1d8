package dev.jobflow.core.store;

/**
 * One job of a batch submit stops the whole batch ({@link #index()} counts from 0); the cause says
 * why ({@link QueueNotFoundException}, {@link IdempotencyKeyReusedException}). Nothing was written.
 */
public class BatchItemException extends JobflowException {
    private final int index;

    public BatchItemException(int index, JobflowException cause) {
        super("job " + index + " of the batch: " + cause.getMessage(), cause);
        this.index = index;
    }

    public int index() {
        return index;
    }

    @Override
    public synchronized JobflowException getCause() {
        return (JobflowException) super.getCause();
    }
}
