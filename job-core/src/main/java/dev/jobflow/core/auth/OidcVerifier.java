package dev.jobflow.core.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.NewJob;

/**
 * Verifies OIDC bearer tokens (JWTs an identity provider such as Keycloak, Entra ID or Okta signed)
 * against the provider's published keys: signature (RS/PS/ES algorithms only: never {@code none},
 * never a shared-secret HMAC), issuer, audience and expiry. The keys come from the JWKS the provider's
 * discovery document names ({@code <issuer>/.well-known/openid-configuration}, or a configured JWKS
 * URL), are cached, and are fetched again when a token names a key id not in the cache: a provider
 * that rotates its keys is followed without a restart. Blocking: call it off the event loop.
 * Nothing of a token is ever logged or put in an exception's message.
 */
public final class OidcVerifier {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] ALGORITHMS = { AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384 };

    /** A token that is not valid here; the message says why without quoting it. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }

    /** The provider cannot be reached (discovery or keys): the token can be neither accepted nor refused. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /**
     * Who a valid token names.
     *
     * @param user the value of the user claim
     * @param groups the values of the groups claim (empty when absent)
     */
    public record Identity(String user, Set<String> groups, Instant expiresAt) {
    }

    private final String issuer;
    private final String audience;
    private final Optional<String> jwksUrl;
    private final String userClaim;
    private final String groupsClaim;
    private volatile JwtConsumer consumer;

    /**
     * @param issuer the provider's issuer URL, exactly as its tokens' {@code iss}
     * @param audience the {@code aud} a token must carry (the client id or API name the provider puts there)
     * @param jwksUrl the key set's URL when discovery should not be used
     * @param userClaim the claim naming the user (e.g. {@code preferred_username}, {@code email}, {@code sub})
     * @param groupsClaim the claim listing the user's groups or roles (e.g. {@code groups}, {@code roles})
     */
    public OidcVerifier(String issuer, String audience, Optional<String> jwksUrl, String userClaim, String groupsClaim) {
        this.issuer = issuer;
        this.audience = audience;
        this.jwksUrl = jwksUrl;
        this.userClaim = userClaim;
        this.groupsClaim = groupsClaim;
    }

    /** Whether a bearer credential has the shape of a JWT (three dot-separated parts); API keys do not. */
    public static boolean looksLikeJwt(String credential) {
        return credential != null && credential.chars().filter(c -> c == '.').count() == 2;
    }

    /** Who a valid token names: its user and groups claims. */
    public Identity verify(String token) throws Refused {
        JwtClaims claims = claims(token);
        try {
            Object user = claims.getClaimValue(userClaim);
            if (!(user instanceof String name) || name.isBlank()) {
                throw new Refused("the token has no " + userClaim + " claim");
            }
            if (!name.matches(NewJob.OWNER_PATTERN)) {
                throw new Refused("the token's " + userClaim + " is not a valid user name (1-100 letters, digits or "
                        + "_ . @ -)");
            }
            return new Identity(name, groups(claims.getClaimValue(groupsClaim)),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (MalformedClaimException e) {
            throw new Refused("the token's claims are malformed");
        }
    }

    /** The claims of a valid token (signature, issuer, audience, expiry and subject checked). */
    public JwtClaims claims(String token) throws Refused {
        try {
            return consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.getCause() instanceof UnresolvableKeyException unresolvable
                    && unresolvable.getCause() instanceof IOException io) {
                throw new Unavailable("the identity provider's keys cannot be fetched", io);
            }
            throw new Refused(reason(e));
        }
    }

    private static Set<String> groups(Object value) {
        if (value instanceof String one) {
            return Set.of(one);
        }
        if (value instanceof Collection<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet());
        }
        return Set.of();
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "the token has expired";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return "the token was not issued by the configured identity provider";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "the token is not meant for this service (audience)";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "the token's signature is missing or does not verify";
        }
        return "the token is not a valid token of the identity provider";
    }

    private JwtConsumer consumer() {
        JwtConsumer built = consumer;
        if (built == null) {
            synchronized (this) {
                if (consumer == null) {
                    HttpsJwks keys = new HttpsJwks(jwksUrl.orElseGet(this::discoverJwksUri));
                    keys.setDefaultCacheDuration(300);
                    consumer = new JwtConsumerBuilder()
                            .setRequireExpirationTime()
                            .setAllowedClockSkewInSeconds(30)
                            .setRequireSubject()
                            .setExpectedIssuer(issuer)
                            .setExpectedAudience(audience)
                            .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, ALGORITHMS))
                            .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(keys))
                            .build();
                }
                built = consumer;
            }
        }
        return built;
    }

    /** The {@code jwks_uri} of the issuer's discovery document. */
    private String discoverJwksUri() {
        String url = issuer.replaceFirst("/+$", "") + "/.well-known/openid-configuration";
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new Unavailable("the identity provider's discovery document answered " + response.statusCode(),
                        null);
            }
            String jwks = new JsonObject(response.body()).getString("jwks_uri");
            if (jwks == null || jwks.isBlank()) {
                throw new Unavailable("the identity provider's discovery document names no jwks_uri", null);
            }
            return jwks;
        } catch (IOException | DecodeException | ClassCastException e) {
            throw new Unavailable("the identity provider's discovery document cannot be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while reading the identity provider's discovery document", e);
        }
    }

    /** For messages: which provider, never a token. */
    public String issuer() {
        return issuer;
    }

}
