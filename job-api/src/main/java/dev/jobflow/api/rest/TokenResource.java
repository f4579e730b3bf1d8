package dev.jobflow.api.rest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.Caller;
import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.Callers;
import dev.jobflow.api.auth.CurrentCaller;
import dev.jobflow.api.auth.ForbiddenException;
import dev.jobflow.api.auth.Right;
import dev.jobflow.api.auth.TokenSigningKey;
import dev.jobflow.api.config.ApiConfig;
import dev.jobflow.core.auth.HubTokenClaims;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.Credentials;

/**
 * {@code POST /api/v1/tokens}: a progress-hub token for what a user may watch. A viewer's grants
 * {@code user:{name}} and the rooms {@code job:{id}} of its own jobs (claim {@code own_jobs}: the hub
 * checks each job's owner itself); an operator's or admin's also {@code jobs} and every {@code job:}
 * room. A person (proxy header, anonymous user) gets a token for themselves only; a service with an
 * API key names the user in the body and gets that user's viewer token (or its own, by its role, when
 * it names itself). Signed HS256 with the secret shared with the hubs, or, with
 * {@code jobflow.api.tokens.signing-key}, RS256/ES256 with a key whose public half
 * {@code GET /api/v1/tokens/jwks} publishes (the hubs then hold no secret). Audience {@value HubTokenClaims#AUDIENCE}.
 */
@Path("/api/v1/tokens")
public class TokenResource {
    @Inject
    ApiConfig api;

    @Inject
    CurrentCaller caller;

    @Inject
    Credentials credentials;

    private volatile String sharedSecret;
    private volatile TokenSigningKey signingKey;

    /** The body: {@code {"user": "alice"}}; a person may leave it out (or name themselves). */
    public record TokenRequest(String user) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a progress-hub token", description = "A viewer's grants user:{name} and the job rooms "
            + "of its own jobs (ownJobs); an operator's or admin's also jobs and the job: prefix.")
    @APIResponse(responseCode = "200", description = "token, expiresAt, rooms, roomPrefixes, ownJobs")
    @APIResponse(responseCode = "400", description = "No or invalid user name (problem+json)")
    @APIResponse(responseCode = "401", description = "No identity, or an unknown or revoked key")
    @APIResponse(responseCode = "403", description = "A person asked for another user's token")
    @CallerRequired(Right.SUBMIT)
    public Uni<Response> issue(TokenRequest request) {
        Caller who = caller.get();
        String named = request == null || request.user() == null || request.user().isBlank() ? null : request.user();
        String user = who.userFor(named);
        if (user == null || !user.matches(Callers.USER_PATTERN)) {
            return Uni.createFrom().item(Problem.of(400, "Invalid request",
                    "user must be 1-100 letters, digits or _ . @ - (an API key must name it in the body)")
                    .response());
        }
        if (!who.mayActFor(user)) {
            throw new ForbiddenException("'" + who.name() + "' may get a token only for themselves, not for '" + user
                    + "'");
        }
        Instant expires = Instant.now().plus(api.tokens().ttl());
        // a key naming another user gets that user's view, never its own role's
        // an operator limited to queues watches its own jobs live: no room holds just its queues' jobs
        boolean all = user.equals(who.name()) && who.operatesEveryQueue();
        List<String> rooms = all ? List.of(LogEntry.ownerRoom(user), LogEntry.ALL_JOBS_ROOM)
                : List.of(LogEntry.ownerRoom(user));
        List<String> prefixes = all ? List.of("job:") : List.of();
        JwtClaimsBuilder claims = Jwt.issuer(api.tokens().issuer()).audience(HubTokenClaims.AUDIENCE)
                .subject(user).claim(HubTokenClaims.ROOMS, rooms).claim(HubTokenClaims.ROOM_PREFIXES, prefixes)
                .claim(HubTokenClaims.OWN_JOBS, !all).expiresAt(expires);
        Uni<String> token = signingKey().map(key -> Uni.createFrom().item(claims.jws().keyId(key.keyId())
                .algorithm(key.algorithm()).sign(key.privateKey())))
                .orElseGet(() -> secret().map(claims::signWithSecret));
        return token.map(signed -> Response.ok(Map.of("token", signed, "expiresAt", expires.getEpochSecond(), "rooms",
                rooms, "roomPrefixes", prefixes, "ownJobs", !all)).build());
    }

    /** The public keys of {@code GET /api/v1/tokens/jwks}: RFC 7517's {@code {"keys": [...]}}. */
    public record KeySet(List<Map<String, Object>> keys) {
    }

    @GET
    @Path("/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    @CallerRequired(Right.PUBLIC)
    @Operation(summary = "The public keys hub tokens are verified with", description = "A JWKS: the public half of "
            + "jobflow.api.tokens.signing-key (RS256 or ES256); hubs set jobflow.hub.auth.token-jwks-url to this "
            + "address. Empty while tokens are HS256 (a shared secret, never published).")
    @APIResponse(responseCode = "200", description = "{\"keys\": [...]}")
    public KeySet jwks() {
        return new KeySet(signingKey().map(key -> List.of(key.publicJwk())).orElse(List.of()));
    }

    private Optional<TokenSigningKey> signingKey() {
        if (api.tokens().signingKey().isEmpty()) {
            return Optional.empty();
        }
        TokenSigningKey key = signingKey;
        if (key == null) {
            key = TokenSigningKey.fromPem(api.tokens().signingKey().get()); // checked at start (ApiConfigCheck)
            signingKey = key;
        }
        return Optional.of(key);
    }

    private Uni<String> secret() {
        if (api.tokens().secret().isPresent()) {
            String secret = api.tokens().secret().get();
            if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
                throw new IllegalStateException("jobflow.api.tokens.secret must be at least 32 bytes");
            }
            return Uni.createFrom().item(secret);
        }
        if (sharedSecret != null) {
            return Uni.createFrom().item(sharedSecret);
        }
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return credentials.sharedSigningSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(random))
                .invoke(secret -> sharedSecret = secret);
    }
}
