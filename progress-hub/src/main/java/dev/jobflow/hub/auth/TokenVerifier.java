package dev.jobflow.hub.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.auth.HubTokenClaims;
import dev.jobflow.core.auth.OidcVerifier;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.hub.config.HubConfig;

/**
 * Verifies subscriber tokens, then reads the grant from the claims {@code rooms} (exact room names),
 * {@code room_prefixes} and {@code own_jobs}. job-api's tokens are HS256 with the shared secret
 * (smallrye-jwt, checked on the event loop), or RS256/ES256 verified with the public keys job-api
 * publishes ({@code token-jwks-url}; then HS256 is refused). A person may also bring the identity
 * provider's own token (OIDC). Tokens signed with a public-key algorithm are verified on a worker
 * thread, as their keys may have to be fetched: {@link #needsKeys} and {@link #verifyWithKeys}.
 */
@Startup
@ApplicationScoped
public class TokenVerifier {
    private final SigningSecret secret;
    /** HS256 tokens of job-api, once the secret is known; stays null when its tokens are verified with its public keys. */
    private volatile DefaultJWTParser parser;
    /** job-api's RS256/ES256 tokens, against its JWKS. */
    private final Optional<OidcVerifier> jobApiKeys;
    private final Optional<OidcVerifier> provider;
    private final HubConfig.Oidc oidc;
    private final String issuer;

    TokenVerifier(HubConfig config, SigningSecret secret) {
        issuer = config.auth().issuer();
        this.secret = secret;
        jobApiKeys = config.auth().tokenJwksUrl()
                .map(url -> new OidcVerifier(issuer, HubTokenClaims.AUDIENCE, Optional.of(url), "sub",
                        "groups"));
        oidc = config.auth().oidc();
        provider = oidc.verifier();
    }

    /**
     * Whether {@code token} is signed with a public-key algorithm (job-api's key pair, or the identity
     * provider's) that this hub verifies: then {@link #verifyWithKeys}, else {@link #verify}.
     */
    public boolean needsKeys(String token) {
        if ((provider.isEmpty() && jobApiKeys.isEmpty()) || !OidcVerifier.looksLikeJwt(token)) {
            return false;
        }
        return part(token, 0).getValue("alg") instanceof String alg && !alg.startsWith("HS");
    }

    /**
     * The grant of a token signed with a public-key algorithm: job-api's (its issuer) as its claims
     * say; the identity provider's: {@code user:<user>}, the user's own job rooms, and {@code jobs}
     * for members of the all-jobs groups. Verified on a worker thread; fails with {@link AuthException}.
     */
    public Uni<Grant> verifyWithKeys(String token) {
        boolean ours = jobApiKeys.isPresent() && issuer.equals(part(token, 1).getValue("iss"));
        return Uni.createFrom().<Grant> emitter(emitter -> {
            try {
                emitter.complete(ours ? jobApiGrant(jobApiKeys.get().claims(token)) : providerGrant(token));
            } catch (OidcVerifier.Refused e) {
                emitter.fail(new AuthException(e.getMessage()));
            } catch (OidcVerifier.Unavailable e) {
                emitter.fail(new AuthException(ours ? "job-api's public keys cannot be fetched; retry"
                        : "the identity provider cannot be reached; retry"));
            } catch (MalformedClaimException e) {
                emitter.fail(new AuthException("the token's claims are malformed"));
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Grant providerGrant(String token) throws OidcVerifier.Refused {
        if (provider.isEmpty()) {
            throw new OidcVerifier.Refused("no identity provider is configured here: only job-api's tokens are taken");
        }
        OidcVerifier.Identity identity = provider.get().verify(token);
        Set<String> rooms = new LinkedHashSet<>();
        rooms.add(LogEntry.ownerRoom(identity.user()));
        if (identity.groups().stream().anyMatch(oidc.allJobsGroups()::contains)) {
            rooms.add(LogEntry.ALL_JOBS_ROOM);
        }
        return new Grant(identity.user(), rooms, List.of(), true, identity.expiresAt());
    }

    private static Grant jobApiGrant(JwtClaims claims) throws MalformedClaimException {
        return new Grant(claims.getSubject(), new LinkedHashSet<>(strings(claims.getClaimValue(HubTokenClaims.ROOMS))),
                List.copyOf(strings(claims.getClaimValue(HubTokenClaims.ROOM_PREFIXES))),
                isTrue(claims.getClaimValue(HubTokenClaims.OWN_JOBS)),
                Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
    }

    /** The unverified header (0) or payload (1) of a JWT-shaped token, to choose how to verify it; empty if unreadable. */
    private static JsonObject part(String token, int index) {
        try {
            String[] parts = token.split("\\.", 3);
            return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[index]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return new JsonObject(); // not readable: the verification that follows refuses it
        }
    }

    /** An HS256 token of job-api (on the calling thread: no key to fetch). */
    public Grant verify(String token) {
        if (token == null || token.isBlank()) {
            throw new AuthException("no token");
        }
        JsonWebToken jwt;
        try {
            jwt = parser().parse(token);
        } catch (ParseException e) {
            // the parser's messages can quote claims, never the token; keep it short anyway
            throw new AuthException("token refused (invalid signature, issuer or format, or expired)");
        }
        Instant expires = Instant.ofEpochSecond(jwt.getExpirationTime());
        if (!expires.isAfter(Instant.now())) {
            throw new AuthException("token expired");
        }
        return new Grant(jwt.getSubject(), new LinkedHashSet<>(strings(jwt.getClaim(HubTokenClaims.ROOMS))),
                List.copyOf(strings(jwt.getClaim(HubTokenClaims.ROOM_PREFIXES))), isTrue(jwt.getClaim(HubTokenClaims.OWN_JOBS)),
                expires);
    }

    private DefaultJWTParser parser() {
        DefaultJWTParser hs256 = parser;
        if (hs256 != null) {
            return hs256;
        }
        if (!secret.hmac()) {
            throw new AuthException("token refused: this hub takes job-api's tokens signed with its key pair only");
        }
        SecretKey key = secret.key();
        if (key == null) {
            throw new AuthException("the hub is starting: it has not read the token signing secret yet; retry");
        }
        JWTAuthContextInfo info = new JWTAuthContextInfo(key, issuer);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        info.setExpGracePeriodSecs(0);
        info.setRequiredClaims(Set.of("sub", "exp"));
        hs256 = new DefaultJWTParser(info);
        parser = hs256;
        return hs256;
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
            items.forEach(item -> {
                if (item instanceof String s && !s.isBlank()) {
                    values.add(s);
                }
            });
        }
        return values;
    }
}
