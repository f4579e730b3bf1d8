package dev.jobflow.hub.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/** Start-up validation of {@link HubConfig}: a hub with settings that cannot work does not start. */
@ApplicationScoped
public class HubConfigCheck {

    void atStart(@Observes StartupEvent event, HubConfig config) {
        validate(config);
    }

    /** @throws ConfigurationException listing every problem found */
    public static void validate(HubConfig config) {
        List<String> problems = new ArrayList<>();
        positive(problems, "tail.poll-min", config.tail().pollMin());
        positive(problems, "tail.poll-max", config.tail().pollMax());
        if (config.tail().pollMax().compareTo(config.tail().pollMin()) < 0) {
            problems.add("jobflow.hub.tail.poll-max must be at least tail.poll-min");
        }
        atLeast(problems, "tail.batch", config.tail().batch(), 1);
        positive(problems, "tail.hole-warn-after", config.tail().holeWarnAfter());
        positive(problems, "retention.max-age", config.retention().maxAge());
        atLeast(problems, "retention.max-count", config.retention().maxCount(), 1);
        positive(problems, "retention.interval", config.retention().interval());
        atLeast(problems, "ws.outbox-frames", config.ws().outboxFrames(), 1);
        atLeast(problems, "ws.outbox-bytes", config.ws().outboxBytes(), 1024);
        atLeast(problems, "ws.max-rooms", config.ws().maxRooms(), 1);
        atLeast(problems, "ws.max-connections-per-subject", config.ws().maxConnectionsPerSubject(), 1);
        atLeast(problems, "ws.resume-max", config.ws().resumeMax(), 0);
        positive(problems, "ws.auth-timeout", config.ws().authTimeout());
        atLeast(problems, "send.max-message-bytes", config.send().maxMessageBytes(), 2);
        atLeast(problems, "send.max-rooms", config.send().maxRooms(), 1);
        atLeast(problems, "send.rate-per-key", config.send().ratePerKey(), 1);
        config.auth().tokenSecret().ifPresent(secret -> {
            if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
                problems.add("jobflow.hub.auth.token-secret must be at least 32 bytes (JOBFLOW_TOKEN_SECRET)");
            }
        });
        if (config.auth().tokenSecret().isPresent() && config.auth().tokenJwksUrl().isPresent()) {
            problems.add("set one of jobflow.hub.auth.token-secret (JOBFLOW_TOKEN_SECRET, HS256) and "
                    + "jobflow.hub.auth.token-jwks-url (JOBFLOW_TOKEN_JWKS_URL, job-api's public keys), not both");
        }
        if (config.auth().issuer().isBlank()) {
            problems.add("jobflow.hub.auth.issuer must not be blank");
        }
        if (config.drain().period().isNegative()) {
            problems.add("jobflow.hub.drain.period must not be negative");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("invalid progress-hub configuration: " + String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add("jobflow.hub." + name + " must be positive, was " + value);
        }
    }

    private static void atLeast(List<String> problems, String name, long value, long min) {
        if (value < min) {
            problems.add("jobflow.hub." + name + " must be at least " + min + ", was " + value);
        }
    }
}
