package dev.jobflow.api.rest;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.Right;
import dev.jobflow.core.input.TextRules;
import dev.jobflow.core.model.AuditPage;
import dev.jobflow.core.store.JobCatalog;

/**
 * The audit log: every write action (who, what, when, on which jobs or objects). Only an admin may
 * read it (docs/security.md): others see jobs, not everybody's actions.
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    JobCatalog store;

    @GET
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "The audit log, newest first", description = "Filter by actor and action (the route, e.g. "
            + "'POST /api/v1/jobs/{id}/retry'); keyset paging with before = the returned nextBeforeId.")
    @APIResponse(responseCode = "403", description = "Only an admin may read the audit log")
    public Uni<AuditPage> list(
            @QueryParam("actor") @Size(max = 200) @Pattern(regexp = TextRules.NO_NUL, message = TextRules.NO_NUL_RULE) String actor,
            @QueryParam("action") @Size(max = 100) @Pattern(regexp = TextRules.NO_NUL, message = TextRules.NO_NUL_RULE) String action,
            @QueryParam("before") String before,
            @QueryParam("limit") String limit) {
        Long beforeId = JobResource.number("before", before, 1, Long.MAX_VALUE);
        Long size = JobResource.number("limit", limit, 1, 500);
        return store.listAudit(actor, action, beforeId, size == null ? 50 : size.intValue());
    }
}
