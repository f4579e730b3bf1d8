package dev.jobflow.api.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Subscriber tokens issued by job-api for the progress hub (prefix {@code jobflow.api.tokens}). */
@ConfigMapping(prefix = "jobflow.api.tokens")
public interface TokenConfig {

    /**
     * HS256 secret (at least 32 bytes), the same as the hub's {@code jobflow.hub.auth.token-secret}; unset:
     * the random one both services share through the database.
     */
    Optional<String> secret();

    /** How long a token is valid; clients refresh before it ends. */
    @WithDefault("15m")
    Duration ttl();

    /** The issuer claim; must match the hub's {@code jobflow.hub.auth.issuer}. */
    @WithDefault("jobflow")
    String issuer();
}
