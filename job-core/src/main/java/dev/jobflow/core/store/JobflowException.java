package dev.jobflow.core.store;

/** Base of the store's exceptions; each carries the ids involved. Mapped to HTTP only at the edge. */
public abstract class JobflowException extends RuntimeException {
    protected JobflowException(String message) {
        super(message);
    }

    protected JobflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
