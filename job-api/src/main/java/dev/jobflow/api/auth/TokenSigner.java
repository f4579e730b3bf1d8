package dev.jobflow.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.config.ApiConfig;
import dev.jobflow.core.store.ProgressLog;

/**
 * Signs progress-hub subscriber tokens: HS256 JWTs with {@code iss}, {@code sub}, {@code iat},
 * {@code exp} and the grant claims {@code rooms} and {@code room_prefixes} the hub reads. The key
 * is the configured secret or the one shared through the database with the hubs; never logged.
 */
@ApplicationScoped
public class TokenSigner {
    private static final int MIN_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final ApiConfig.Tokens config;
    private final ProgressLog log;
    private final ObjectMapper json = new ObjectMapper();
    private volatile SecretKeySpec key;

    TokenSigner(ApiConfig config, ProgressLog log) {
        this.config = config.tokens();
        this.log = log;
    }

    /** A signed token granting exactly these rooms and prefixes, valid for the configured TTL. */
    public Uni<SignedToken> sign(String subject, List<String> rooms, List<String> prefixes) {
        return key().map(k -> {
            Instant now = Instant.now();
            Instant expires = now.plus(config.ttl());
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", config.issuer());
            claims.put("sub", subject);
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", expires.getEpochSecond());
            claims.put("rooms", rooms);
            claims.put("room_prefixes", prefixes);
            String unsigned = HEADER + "." + B64.encodeToString(bytes(claims));
            return new SignedToken(unsigned + "." + B64.encodeToString(hmac(k, unsigned)), expires);
        });
    }

    public record SignedToken(String token, Instant expiresAt) {
    }

    private Uni<SecretKeySpec> key() {
        SecretKeySpec current = key;
        if (current != null) {
            return Uni.createFrom().item(current);
        }
        Uni<String> secret = config.secret().filter(s -> !s.isBlank()).map(s -> Uni.createFrom().item(s))
                .orElseGet(() -> log.sharedSigningSecret(randomSecret()));
        return secret.map(s -> {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_BYTES) {
                throw new IllegalStateException("jobflow.api.tokens.secret must be at least " + MIN_BYTES + " bytes");
            }
            SecretKeySpec made = new SecretKeySpec(bytes, "HmacSHA256");
            key = made;
            return made;
        });
    }

    private static String randomSecret() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return B64.encodeToString(random);
    }

    private byte[] bytes(Map<String, Object> claims) {
        try {
            return json.writeValueAsBytes(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
