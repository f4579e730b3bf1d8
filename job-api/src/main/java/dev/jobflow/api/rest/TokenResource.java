package dev.jobflow.api.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.TokenSigner;

/**
 * Subscriber tokens for the progress-hub. job-api has no user authentication yet and lists every
 * job to anyone who can reach it, so a token grants what that REST surface already shows: the
 * room {@code jobs} and the rooms {@code job:*}, plus {@code user:{user}} when a user is named.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    @Inject
    TokenSigner signer;

    /**
     * @param token the JWT to present to the hub ({@code ?token=} or an {@code auth} frame)
     * @param expiresAt when it expires; ask for a new one before and send it in an {@code auth} frame
     */
    public record TokenResponse(String token, Instant expiresAt, String subject, List<String> rooms,
            List<String> roomPrefixes) {
    }

    @POST
    @Operation(summary = "Issue a progress-hub token", description = "Grants the rooms jobs and job:*, and user:{user} "
            + "when user is given.")
    public Uni<TokenResponse> issue(
            @QueryParam("user") @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9_.@-]+", message = "may contain only letters, digits and _ . @ -") String user) {
        List<String> rooms = new ArrayList<>(List.of("jobs"));
        if (user != null) {
            rooms.add("user:" + user);
        }
        List<String> prefixes = List.of("job:");
        // each anonymous browser is its own subject, so the hub's per-subject connection limit is per browser
        String subject = user != null ? user : "web-" + UUID.randomUUID();
        return signer.sign(subject, rooms, prefixes)
                .map(t -> new TokenResponse(t.token(), t.expiresAt(), subject, rooms, prefixes));
    }
}
