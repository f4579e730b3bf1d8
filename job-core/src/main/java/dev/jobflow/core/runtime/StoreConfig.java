package dev.jobflow.core.runtime;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Store settings shared by every service. The connection itself comes from
 * {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username} and
 * {@code quarkus.datasource.password} (also used by the migrations).
 */
@ConfigMapping(prefix = "jobflow.store")
public interface StoreConfig {

    /**
     * Which backend the store talks to: {@code postgresql} (built in) or {@code oracle} (needs the
     * job-store-oracle module on the service's classpath; see {@link StoreBackend}).
     */
    @WithDefault("postgresql")
    Backend backend();

    /** Connections of the reactive pool. */
    @WithDefault("16")
    int poolSize();

    /** A dispatcher replica not seen for this long no longer counts toward queue capacity. */
    @WithDefault("30s")
    Duration replicaTtl();

    /**
     * A dispatcher replica not seen for this long is no longer listed ({@code GET /api/v1/dispatchers},
     * the page): replicas that died or were scaled away are forgotten.
     */
    @WithDefault("10m")
    Duration replicaForgetAfter();

    /**
     * How long an idempotency key names the job it made; after that the same key makes a new job
     * (as with Stripe's and others' keys, a retry window, not a forever ledger). Default 24h.
     */
    @WithDefault("24h")
    Duration idempotencyKeyTtl();

    enum Backend {
        POSTGRESQL,
        ORACLE
    }
}
