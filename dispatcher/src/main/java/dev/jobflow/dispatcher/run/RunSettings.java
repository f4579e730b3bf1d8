package dev.jobflow.dispatcher.run;

import java.time.Duration;

import dev.jobflow.dispatcher.config.DispatcherConfig;

/** The settings a running job needs, taken once from the configuration. */
public record RunSettings(Duration leaseLength, Duration heartbeatInterval, RetryPolicy retryPolicy,
        Duration timeoutGrace, Duration progressInterval) {

    public static RunSettings of(DispatcherConfig config) {
        return new RunSettings(config.leaseLength(), config.heartbeatInterval(),
                new RetryPolicy(config.retryBackoffBase(), config.retryBackoffMax()), config.timeoutGrace(),
                config.progressInterval());
    }

    /** These settings with a queue's own first retry delay (its backoff, still capped by the maximum). */
    public RunSettings withBackoff(Duration base) {
        return new RunSettings(leaseLength, heartbeatInterval, new RetryPolicy(base, retryPolicy.max()), timeoutGrace,
                progressInterval);
    }
}
