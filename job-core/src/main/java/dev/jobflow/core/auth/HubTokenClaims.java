package dev.jobflow.core.auth;

/**
 * The claims of a progress-hub subscriber token, as job-api signs them and the hub reads them: one
 * definition for both sides.
 */
public final class HubTokenClaims {
    /** The audience every hub token carries ({@code aud}); the hub verifies it for key-pair tokens. */
    public static final String AUDIENCE = "jobflow-hub";
    /** Exact room names the token grants. */
    public static final String ROOMS = "rooms";
    /** Room name prefixes the token grants. */
    public static final String ROOM_PREFIXES = "room_prefixes";
    /** {@code true}: the rooms {@code job:{id}} of the subject's own jobs (the hub checks each owner). */
    public static final String OWN_JOBS = "own_jobs";

    private HubTokenClaims() {
    }
}
