package dev.jobflow.api.auth;

import jakarta.enterprise.context.RequestScoped;

/** The {@link Caller} of the current request, set by {@link CallerFilter} on every job-api resource method. */
@RequestScoped
public class CurrentCaller {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no caller: not a job-api resource method");
        }
        return caller;
    }
}
