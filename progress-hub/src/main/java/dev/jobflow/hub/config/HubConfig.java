package dev.jobflow.hub.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.jobflow.core.auth.OidcConfig;

/** Every setting of the progress hub (prefix {@code jobflow.hub}); docs/progress-hub.md lists them. */
@ConfigMapping(prefix = "jobflow.hub")
public interface HubConfig {

    Tail tail();

    Retention retention();

    Ws ws();

    Send send();

    Auth auth();

    Drain drain();

    interface Tail {
        /** Shortest pause between two reads of the log (while messages flow or a hole is open). */
        @WithDefault("10ms")
        Duration pollMin();

        /** Longest pause between two reads when the log is idle (the pause doubles up to this). */
        @WithDefault("200ms")
        Duration pollMax();

        /** Rows read per poll. */
        @WithDefault("500")
        int batch();

        /** Log a warning when a hole has been waiting for its writer this long. */
        @WithDefault("10s")
        Duration holeWarnAfter();
    }

    interface Retention {
        /** Messages older than this are deleted. */
        @WithDefault("24h")
        Duration maxAge();

        /** At most this many messages are kept (all rooms together). */
        @WithDefault("1000000")
        long maxCount();

        /** How often a replica trims (every replica may; the work is idempotent). */
        @WithDefault("1m")
        Duration interval();
    }

    interface Ws {
        /** Frames queued per connection before the slow-consumer rule applies. */
        @WithDefault("256")
        int outboxFrames();

        /** Bytes queued per connection before the slow-consumer rule applies. */
        @WithDefault("1048576")
        int outboxBytes();

        /**
         * Room prefixes whose messages supersede each other: when a connection's outbox is full, a queued
         * message of the same room is replaced by the newer one instead of closing the connection.
         */
        @WithDefault("job:")
        List<String> coalescePrefixes();

        /** Rooms one connection may subscribe at once. */
        @WithDefault("100")
        int maxRooms();

        /** Open connections per subscriber (token subject) on this replica. */
        @WithDefault("20")
        int maxConnectionsPerSubject();

        /** A resume replays at most this many messages of a room; beyond it answers recovered=false. */
        @WithDefault("1000")
        int resumeMax();

        /** A connection that has not authenticated by then is closed (4401). */
        @WithDefault("10s")
        Duration authTimeout();
    }

    interface Send {
        /** Largest accepted message (JSON, bytes) on POST /api/v1/messages. */
        @WithDefault("16384")
        int maxMessageBytes();

        /** Rooms per send. */
        @WithDefault("50")
        int maxRooms();

        /** Sends per second per API key on this replica (token bucket, burst of the same size). */
        @WithDefault("200")
        int ratePerKey();
    }

    interface Auth {
        /** HS256 secret (at least 32 bytes) shared with job-api; unset: a random one kept in the database. */
        Optional<String> tokenSecret();

        /**
         * job-api's JWKS ({@code http://<job-api>/api/v1/tokens/jwks}) when it signs tokens RS256/ES256
         * ({@code jobflow.api.tokens.signing-key}): tokens are verified with those public keys (fetched
         * again for a key id not yet seen) and HS256 tokens are refused; no secret is read or shared.
         * Env {@code JOBFLOW_TOKEN_JWKS_URL}; unset: HS256 with {@link #tokenSecret()}.
         */
        Optional<String> tokenJwksUrl();

        /** The issuer tokens must carry. */
        @WithDefault("jobflow")
        String issuer();

        /** People connecting with their identity provider's own token (docs/security.md). */
        Oidc oidc();
    }

    /**
     * A person may connect with their identity provider's bearer JWT instead of a token from job-api:
     * verified against the provider's JWKS (issuer, audience, expiry, signature), it grants
     * {@code user:<user>}, the rooms of the user's own jobs, and {@code jobs} to members of
     * {@link #allJobsGroups()}. Off unless an issuer is set.
     */
    interface Oidc extends OidcConfig {
        /** Groups whose members may watch every job (the room {@code jobs}): job-api's operators and admins. */
        @WithDefault("jobflow-operator,jobflow-admin")
        List<String> allJobsGroups();
    }

    interface Drain {
        /** On SIGTERM: connections are closed with 4503 (reconnect) spread evenly over this period. */
        @WithDefault("10s")
        Duration period();
    }
}
