package dev.jobflow.core.store;

import dev.jobflow.core.model.Lease;

/** A fenced update came from an owner whose lease is no longer the job's current one. */
public class LeaseLostException extends JobflowException {
    private final Lease lease;

    public LeaseLostException(Lease lease) {
        super("lease lost: job " + lease.jobId() + " is no longer held by " + lease.owner() + " with token "
                + lease.token());
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }
}
