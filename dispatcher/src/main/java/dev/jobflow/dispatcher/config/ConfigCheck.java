package dev.jobflow.dispatcher.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.configuration.ConfigurationException;

/** Start-up validation of {@link DispatcherConfig}: a dispatcher with unsafe settings does not start. */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    /** @throws ConfigurationException listing every problem found */
    public static void validate(DispatcherConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.slots() < 1) {
            problems.add("jobflow.dispatcher.slots must be at least 1, was " + config.slots());
        }
        config.globalCap().ifPresent(cap -> {
            if (cap < 1) {
                problems.add("jobflow.dispatcher.global-cap must be at least 1, was " + cap);
            }
        });
        positive(problems, "poll-wait", config.pollWait());
        positive(problems, "cycle-length", config.cycleLength());
        positive(problems, "lease-length", config.leaseLength());
        positive(problems, "heartbeat-interval", config.heartbeatInterval());
        positive(problems, "reaper-interval", config.reaperInterval());
        positive(problems, "retry-backoff-base", config.retryBackoffBase());
        if (config.coalescingDelay().isNegative() || config.drainGrace().isNegative()
                || config.progressInterval().isNegative()) {
            problems.add("jobflow.dispatcher.coalescing-delay, drain-grace and progress-interval must not be negative");
        }
        if (config.heartbeatInterval().multipliedBy(2).compareTo(config.leaseLength()) > 0) {
            problems.add("jobflow.dispatcher.heartbeat-interval (" + config.heartbeatInterval()
                    + ") must be at most half of lease-length (" + config.leaseLength()
                    + "), or a live replica loses its leases");
        }
        if (config.reaperInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("jobflow.dispatcher.reaper-interval must be at least 1s (quarkus-scheduler's finest interval)");
        }
        if (config.retryBackoffMax().compareTo(config.retryBackoffBase()) < 0) {
            problems.add("jobflow.dispatcher.retry-backoff-max must be at least retry-backoff-base");
        }
        if (config.coalescingDelay().compareTo(config.pollWait()) >= 0) {
            problems.add("jobflow.dispatcher.coalescing-delay must be shorter than poll-wait");
        }
        positive(problems, "misfire-after", config.misfireAfter());
        positive(problems, "retention.interval", config.retention().interval());
        positive(problems, "retention.jobs-max-age", config.retention().jobsMaxAge());
        positive(problems, "retention.cycles-max-age", config.retention().cyclesMaxAge());
        positive(problems, "retention.replicas-max-age", config.retention().replicasMaxAge());
        positive(problems, "retention.events-max-age", config.retention().eventsMaxAge());
        positive(problems, "events.interval", config.events().interval());
        positive(problems, "events.send-timeout", config.events().sendTimeout());
        positive(problems, "webhooks.interval", config.webhooks().interval());
        positive(problems, "webhooks.timeout", config.webhooks().timeout());
        positive(problems, "webhooks.backoff-base", config.webhooks().backoffBase());
        positive(problems, "webhooks.backoff-max", config.webhooks().backoffMax());
        if (config.events().batch() < 1 || config.webhooks().batch() < 1 || config.webhooks().maxAttempts() < 1) {
            problems.add("jobflow.dispatcher.events.batch, webhooks.batch and webhooks.max-attempts must be positive");
        }
        if (config.retention().batch() < 1 || config.retention().jobsMaxCount() < 0) {
            problems.add("jobflow.dispatcher.retention.batch must be positive and jobs-max-count not negative");
        }
        Duration heartbeat = config.heartbeatInterval().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : config.heartbeatInterval();
        if (config.retention().replicasMaxAge().compareTo(heartbeat.multipliedBy(3)) < 0) {
            problems.add("jobflow.dispatcher.retention.replicas-max-age (" + config.retention().replicasMaxAge()
                    + ") must be at least three heartbeat intervals (" + heartbeat.multipliedBy(3)
                    + "), or the row of a live replica is pruned between its heartbeats");
        }
        if (config.retention().interval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("jobflow.dispatcher.retention.interval must be at least 1s");
        }
        if (config.timeoutGrace().isNegative()) {
            problems.add("jobflow.dispatcher.timeout-grace must not be negative");
        }
        config.queueSlots().forEach((queue, n) -> {
            if (n == null || n < 1 || n > config.slots()) {
                problems.add("jobflow.dispatcher.queue-slots." + queue + " must be between 1 and slots (" + config.slots()
                        + "), was " + n);
            }
        });
        config.queues().ifPresent(queues -> {
            if (queues.stream().anyMatch(String::isBlank)) {
                problems.add("jobflow.dispatcher.queues must not name an empty queue");
            }
        });
        config.replicaId().ifPresent(id -> {
            if (id.isBlank() || id.length() > 200) {
                problems.add("jobflow.dispatcher.replica-id must be 1-200 characters");
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationException("invalid dispatcher configuration: " + String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add("jobflow.dispatcher." + name + " must be positive, was " + value);
        }
    }
}
