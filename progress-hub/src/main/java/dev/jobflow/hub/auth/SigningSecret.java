package dev.jobflow.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.jobflow.core.store.Credentials;
import dev.jobflow.hub.config.HubConfig;

/**
 * The HS256 key tokens are verified with: the configured secret, or else a random one created once
 * and shared through the database with job-api (so a local start needs no configuration); none when
 * job-api signs with a key pair ({@code jobflow.hub.auth.token-jwks-url}). The secret itself is never
 * logged.
 */
@Startup
@ApplicationScoped
public class SigningSecret {
    private static final Logger LOG = Logger.getLogger(SigningSecret.class);
    private static final int MIN_BYTES = 32;

    private final SecretKey key;

    SigningSecret(HubConfig config, Credentials credentials) {
        if (config.auth().tokenJwksUrl().isPresent()) {
            LOG.infof("job-api's tokens: verified with its public keys at %s; no shared secret",
                    config.auth().tokenJwksUrl().get());
            key = null;
            return;
        }
        String secret = config.auth().tokenSecret().orElse(null);
        if (secret == null) {
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            secret = credentials.sharedSigningSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(random)).await()
                    .atMost(Duration.ofSeconds(30));
            LOG.info("token signing secret: not configured, using the one shared through the database "
                    + "(set JOBFLOW_TOKEN_SECRET in production)");
        } else {
            LOG.info("token signing secret: configured");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException("jobflow.hub.auth.token-secret must be at least " + MIN_BYTES + " bytes");
        }
        key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** The HS256 key; null when job-api's tokens are verified with its public keys instead. */
    public SecretKey key() {
        return key;
    }
}
