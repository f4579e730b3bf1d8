package dev.jobflow.hub.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

import dev.jobflow.hub.config.HubConfig;

/**
 * Verifies subscriber tokens (HS256 JWT, smallrye-jwt): signature, issuer and expiry, then reads the
 * grant from the claims {@code rooms} (exact room names), {@code room_prefixes} and {@code own_jobs}.
 */
@Startup
@ApplicationScoped
public class TokenVerifier {
    public static final String ROOMS_CLAIM = "rooms";
    public static final String PREFIXES_CLAIM = "room_prefixes";
    /** {@code true}: the rooms {@code job:{id}} of the subject's own jobs ({@link JobOwners}). */
    public static final String OWN_JOBS_CLAIM = "own_jobs";

    private final DefaultJWTParser parser;

    TokenVerifier(HubConfig config, SigningSecret secret) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(secret.key(), config.auth().issuer());
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        info.setExpGracePeriodSecs(0);
        info.setRequiredClaims(Set.of("sub", "exp"));
        parser = new DefaultJWTParser(info);
    }

    public Grant verify(String token) {
        if (token == null || token.isBlank()) {
            throw new AuthException("no token");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            // the parser's messages can quote claims, never the token; keep it short anyway
            throw new AuthException("token refused (invalid signature, issuer or format, or expired)");
        }
        Instant expires = Instant.ofEpochSecond(jwt.getExpirationTime());
        if (!expires.isAfter(Instant.now())) {
            throw new AuthException("token expired");
        }
        return new Grant(jwt.getSubject(), new LinkedHashSet<>(strings(jwt.getClaim(ROOMS_CLAIM))),
                List.copyOf(strings(jwt.getClaim(PREFIXES_CLAIM))), isTrue(jwt.getClaim(OWN_JOBS_CLAIM)), expires);
    }

    private static boolean isTrue(Object claim) {
        return claim == JsonValue.TRUE || Boolean.TRUE.equals(claim);
    }

    private static List<String> strings(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString s && !s.getString().isBlank()) {
                    values.add(s.getString());
                }
            }
        } else if (claim instanceof Iterable<?> items) {
            items.forEach(item -> values.add(String.valueOf(item)));
        }
        return values;
    }
}
