package dev.jobflow.core.model;

import java.util.Objects;

/**
 * A named queue as stored: its cap (at most that many of its jobs RUNNING across all replicas;
 * null: no limit), the defaults a submit to it takes when it gives none (priority, attempts,
 * first retry delay, timeout; null backoff or timeout: the dispatcher's retry backoff, no
 * timeout), and whether it is paused (claims start nothing from it; running jobs go on).
 */
public record QueueSettings(
        String name,
        Integer cap,
        int priority,
        int maxAttempts,
        Integer backoffSeconds,
        Integer timeoutSeconds,
        boolean paused) {

    public QueueSettings {
        Objects.requireNonNull(name, "name");
        if (cap != null && cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** A queue as {@code PUT} creates it when the body gives nothing: no cap, priority 0, 3 attempts. */
    public static QueueSettings named(String name) {
        return new QueueSettings(name, null, 0, 3, null, null, false);
    }
}
