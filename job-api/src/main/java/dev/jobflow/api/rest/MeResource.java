package dev.jobflow.api.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.jobflow.api.auth.Caller;
import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.CurrentCaller;
import dev.jobflow.api.auth.Role;

/** {@code GET /api/v1/me}: who job-api takes the caller for, so the page can show it (and stop asking). */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    CurrentCaller caller;

    /**
     * @param user the user (or, via {@code key}, the key's name) writes act as
     * @param via {@code proxy}, {@code oidc}, {@code anonymous} or {@code key}
     * @param role {@code viewer}, {@code operator} or {@code admin}
     * @param queues an operator's queues when it is limited to them, sorted; absent: every queue
     */
    public record Me(String user, Caller.Via via, Role role,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> queues) {
    }

    @GET
    @CallerRequired
    @Operation(summary = "The caller", description = "Who requests from this client act as, how job-api knows, their "
            + "role, and an operator's queues when it is limited to them.")
    @APIResponse(responseCode = "401", description = "No identity: every request from this client is refused")
    public Me me() {
        Caller who = caller.get();
        return new Me(who.name(), who.via(), who.role(),
                who.queues() == null ? null : who.queues().stream().sorted().toList());
    }
}
