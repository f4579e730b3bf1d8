package dev.jobflow.api.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

import dev.jobflow.api.auth.Callers;
import dev.jobflow.api.auth.Role;
import dev.jobflow.api.auth.TokenSigningKey;

/** Start-up validation of {@link ApiConfig}: a job-api with settings that cannot work does not start. */
@ApplicationScoped
public class ApiConfigCheck {

    void atStart(@Observes StartupEvent event, ApiConfig config) {
        validate(config);
    }

    /** @throws ConfigurationException listing every problem found */
    public static void validate(ApiConfig config) {
        List<String> problems = new ArrayList<>();
        config.auth().anonymousUser().ifPresent(user -> {
            if (!user.matches(Callers.USER_PATTERN)) {
                problems.add("jobflow.api.auth.anonymous-user must be 1-100 letters, digits or _ . @ -");
            }
        });
        if (Role.named(config.auth().anonymousRole()).isEmpty()) {
            problems.add("jobflow.api.auth.anonymous-role must be viewer, operator or admin");
        }
        if (config.auth().groupsHeader().isBlank()) {
            problems.add("jobflow.api.auth.groups-header must not be blank");
        }
        if (config.auth().userHeader().isBlank()) {
            problems.add("jobflow.api.auth.user-header must not be blank");
        }
        if (config.metrics().refresh().toMillis() < 100) {
            problems.add("jobflow.api.metrics.refresh must be at least 100ms, was " + config.metrics().refresh());
        }
        if (config.page().hubUrl().isBlank()) {
            problems.add("jobflow.api.page.hub-url must not be blank (JOBFLOW_HUB_URL)");
        }
        config.tokens().secret().ifPresent(secret -> {
            if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
                problems.add("jobflow.api.tokens.secret must be at least 32 bytes (JOBFLOW_TOKEN_SECRET)");
            }
        });
        config.tokens().signingKey().ifPresent(pem -> {
            try {
                TokenSigningKey.fromPem(pem);
            } catch (IllegalArgumentException e) {
                problems.add("jobflow.api.tokens.signing-key (JOBFLOW_TOKEN_SIGNING_KEY): " + e.getMessage());
            }
        });
        if (config.tokens().ttl().isZero() || config.tokens().ttl().isNegative()) {
            problems.add("jobflow.api.tokens.ttl must be positive, was " + config.tokens().ttl());
        }
        if (config.tokens().issuer().isBlank()) {
            problems.add("jobflow.api.tokens.issuer must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("invalid job-api configuration: " + String.join("; ", problems));
        }
    }
}
