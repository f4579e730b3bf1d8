package dev.jobflow.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * A unique job's key within its queue. Without a {@code period}, the key is held while its job is
 * QUEUED or RUNNING; with one, for that long after the first submit, whatever the job does. A
 * submit whose key is held returns the holder instead of making a second job.
 */
public record UniqueKey(String key, Duration period) {
    public UniqueKey {
        Objects.requireNonNull(key, "key");
        if (period != null && (period.isNegative() || period.isZero())) {
            throw new IllegalArgumentException("a unique period must be positive");
        }
    }

    /** Held while the job is queued or running. */
    public static UniqueKey whileActive(String key) {
        return new UniqueKey(key, null);
    }

    /** Held for {@code period} after the first submit. */
    public static UniqueKey forPeriod(String key, Duration period) {
        return new UniqueKey(key, Objects.requireNonNull(period, "period"));
    }
}
