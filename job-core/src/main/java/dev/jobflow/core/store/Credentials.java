package dev.jobflow.core.store;

import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.auth.JobApiKey;

/**
 * The keys and the secret the services check: job-api's caller keys, the hub's producer keys
 * (only their SHA-256 is stored; a revoked key never matches) and the token signing secret shared
 * through the database when none is configured. Used by job-api and progress-hub.
 */
public interface Credentials {

    /**
     * The job-api caller key (name, role, an operator's queues) with this SHA-256 (hex), unless revoked ({@code job_api_keys}).
     */
    Uni<Optional<JobApiKey>> jobApiKey(String keySha256);

    /** The name of the hub's producer key with this SHA-256 (hex), unless revoked ({@code progress_api_keys}). */
    Uni<Optional<String>> producerKeyName(String keySha256);

    /**
     * The token signing secret every job-api and hub replica shares: {@code candidate} if none was
     * stored yet (then it is stored), else the stored one. Never logged.
     */
    Uni<String> sharedSigningSecret(String candidate);

    /**
     * A value that changes whenever a row of the key tables ({@code job_api_keys},
     * {@code progress_api_keys}) changes: a service that keeps the keys it found reads it to know
     * they still hold ({@link dev.jobflow.core.auth.KeyCache}).
     */
    Uni<String> keysFingerprint();
}
