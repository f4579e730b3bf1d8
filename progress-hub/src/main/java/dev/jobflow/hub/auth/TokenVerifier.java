package dev.jobflow.hub.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.jobflow.core.auth.OidcVerifier;
import dev.jobflow.core.model.LogEntry;
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
    private final Optional<OidcVerifier> provider;
    private final HubConfig.Oidc oidc;

    TokenVerifier(HubConfig config, SigningSecret secret) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(secret.key(), config.auth().issuer());
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        info.setExpGracePeriodSecs(0);
        info.setRequiredClaims(Set.of("sub", "exp"));
        parser = new DefaultJWTParser(info);
        oidc = config.auth().oidc();
        provider = oidc.verifier();
    }

    /**
     * Whether {@code token} is the identity provider's (OIDC configured, signed with a public-key
     * algorithm) rather than one job-api signed (HS256): verify it with {@link #verifyProvider}.
     */
    public boolean isProviderToken(String token) {
        if (provider.isEmpty() || !OidcVerifier.looksLikeJwt(token)) {
            return false;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                    StandardCharsets.UTF_8);
            Object alg = new io.vertx.core.json.JsonObject(header).getValue("alg");
            return alg instanceof String name && !name.startsWith("HS");
        } catch (RuntimeException e) {
            return false; // not a readable header: the HS256 path refuses it
        }
    }

    /**
     * The grant of a provider token: {@code user:<user>}, the user's own job rooms, and {@code jobs}
     * for members of the all-jobs groups. Verified on a worker thread (the provider's keys may have
     * to be fetched); fails with {@link AuthException}.
     */
    public Uni<Grant> verifyProvider(String token) {
        OidcVerifier verifier = provider.orElseThrow();
        return Uni.createFrom().<Grant> emitter(emitter -> {
            try {
                OidcVerifier.Identity identity = verifier.verify(token);
                Set<String> rooms = new LinkedHashSet<>();
                rooms.add(LogEntry.ownerRoom(identity.user()));
                if (identity.groups().stream().anyMatch(oidc.allJobsGroups()::contains)) {
                    rooms.add(LogEntry.ALL_JOBS_ROOM);
                }
                emitter.complete(new Grant(identity.user(), rooms, List.of(), true, identity.expiresAt()));
            } catch (OidcVerifier.Refused e) {
                emitter.fail(new AuthException(e.getMessage()));
            } catch (OidcVerifier.Unavailable e) {
                emitter.fail(new AuthException("the identity provider cannot be reached; retry"));
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
