package dev.jobflow.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.StoreUnavailable;
import dev.jobflow.hub.config.HubConfig;

/**
 * The HS256 key tokens are verified with: the configured secret, or else a random one created once
 * and shared through the database with job-api (so a local start needs no configuration); none when
 * job-api signs with a key pair ({@code jobflow.hub.auth.token-jwks-url}). The secret itself is never
 * logged.
 * <p>
 * The shared secret is read after the start, not during it: a hub started while its database is away
 * (a restart or a failover as the pod starts) stays up and not ready ({@link #ready()}), trying again
 * every second, instead of exiting into a crash loop. Anything else than the database being away when
 * it answers (no credentials table, a refused login) ends the process, as a failed start would.
 */
@ApplicationScoped
public class SigningSecret {
    private static final Logger LOG = Logger.getLogger(SigningSecret.class);
    private static final int MIN_BYTES = 32;
    private static final long RETRY_MS = 1000;

    private final Credentials credentials;
    private final Vertx vertx;
    /** Read from the database: neither configured nor replaced by job-api's public keys. */
    private final boolean shared;
    private volatile SecretKey key;

    SigningSecret(HubConfig config, Credentials credentials, Vertx vertx) {
        this.credentials = credentials;
        this.vertx = vertx;
        if (config.auth().tokenJwksUrl().isPresent()) {
            LOG.infof("job-api's tokens: verified with its public keys at %s; no shared secret",
                    config.auth().tokenJwksUrl().get());
            shared = false;
        } else if (config.auth().tokenSecret().isPresent()) {
            key = hmacKey(config.auth().tokenSecret().get());
            shared = false;
            LOG.info("token signing secret: configured");
        } else {
            shared = true;
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (shared) {
            read(true);
        }
    }

    private void read(boolean first) {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        credentials.sharedSigningSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(random)).subscribe()
                .with(secret -> {
                    key = hmacKey(secret);
                    LOG.info("token signing secret: not configured, using the one shared through the database "
                            + "(set JOBFLOW_TOKEN_SECRET in production)");
                }, failure -> {
                    if (!StoreUnavailable.causedBy(failure)) {
                        LOG.error("cannot read the token signing secret shared through the database", failure);
                        Quarkus.asyncExit(1);
                        return;
                    }
                    if (first) {
                        LOG.warnf("database unavailable at start (%s): not ready until the token signing secret "
                                + "is read; trying again every second", failure.getMessage());
                    } else {
                        LOG.debugf("token signing secret: database still unavailable: %s", failure.getMessage());
                    }
                    vertx.setTimer(RETRY_MS, id -> read(false));
                });
    }

    private static SecretKey hmacKey(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException("jobflow.hub.auth.token-secret must be at least " + MIN_BYTES + " bytes");
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** Whether job-api's HS256 tokens are verified with a shared secret (else with its public keys). */
    public boolean hmac() {
        return shared || key != null;
    }

    /** Whether the key is known (or none is needed): readiness waits for it. */
    public boolean ready() {
        return !hmac() || key != null;
    }

    /** The HS256 key; null when job-api's tokens are verified with its public keys, or until it is read. */
    public SecretKey key() {
        return key;
    }
}
