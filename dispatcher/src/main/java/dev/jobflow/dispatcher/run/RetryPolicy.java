package dev.jobflow.dispatcher.run;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * {@code min(max, base * 2^(n-1))}, so retries of many jobs that failed together spread out.
 */
public record RetryPolicy(Duration base, Duration max) {

    public Duration delayAfter(int attempt) {
        long baseMs = Math.max(1, base.toMillis());
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), baseMs << doublings);
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    public Instant retryAt(int attempt) {
        return Instant.now().plus(delayAfter(attempt));
    }
}
