package dev.jobflow.api.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of job-api (the store's own settings live under {@code jobflow.store}). */
@ConfigMapping(prefix = "jobflow.api")
public interface ApiConfig {

    /**
     * The progress-hub's base URL as the browser reaches it; the job-monitor page connects its
     * WebSocket there. Env {@code JOBFLOW_HUB_URL}; default {@code http://localhost:8082}.
     */
    @WithDefault("http://localhost:8082")
    String hubUrl();

    /**
     * How often the queue gauges on /q/metrics ({@code jobflow_queue_*}) are refreshed from the
     * database. Env {@code JOBFLOW_API_METRICS_REFRESH}; default {@code 5s}.
     */
    @WithDefault("5s")
    Duration metricsRefresh();

    /** Subscriber tokens for the progress-hub. */
    Tokens tokens();

    interface Tokens {
        /**
         * HS256 secret (at least 32 bytes) shared with the hubs, env {@code JOBFLOW_TOKEN_SECRET}.
         * Unset (default): the random one kept in the database, which the hubs use too.
         */
        Optional<String> secret();

        /** How long an issued token is valid; clients refresh before it expires. Default 15m. */
        @WithDefault("15m")
        Duration ttl();

        /** The issuer claim; must match the hubs' {@code jobflow.hub.auth.issuer}. Default {@code jobflow}. */
        @WithDefault("jobflow")
        String issuer();
    }
}
