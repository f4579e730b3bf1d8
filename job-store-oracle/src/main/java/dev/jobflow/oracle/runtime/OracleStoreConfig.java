package dev.jobflow.oracle.runtime;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the Oracle backend (used only when {@code jobflow.store.backend=oracle}). The
 * connection comes from {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username}
 * and {@code quarkus.datasource.password}, as for PostgreSQL; {@code jobflow.store.pool-size} sizes
 * the reactive pool. Sessions per replica: pool-size + aq-sessions + one per ready watch (one per
 * dispatcher replica).
 */
@ConfigMapping(prefix = "jobflow.store.oracle")
public interface OracleStoreConfig {

    /** JDBC sessions for AQ dequeues (claims and long polls), each on a virtual thread. */
    @WithDefault("2")
    int aqSessions();

    /**
     * How long one wait of the ready watch (the session that wakes a dispatcher) lasts before it
     * looks again; bounds how long closing the watch can take. Whole seconds.
     */
    @WithDefault("5s")
    Duration watchWait();

    /**
     * The schema that owns the Jobflow objects, when the services log in as a service user that is
     * not the owner (docs/oracle-install.md, "Service user"). Every session then works in that
     * schema and the AQ calls name the queue with it. Unset (the default): the login user is the
     * owner.
     */
    Optional<String> schema();
}
