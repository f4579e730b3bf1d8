package dev.jobflow.api.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.CurrentCaller;
import dev.jobflow.api.auth.Right;
import dev.jobflow.core.input.TextRules;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.QueueStatus;
import dev.jobflow.core.store.JobCatalog;
import dev.jobflow.core.store.QueueNotFoundException;

/**
 * Named queues: each with its own cap (enforced by the database across all replicas), defaults for
 * the jobs submitted to it, and a paused flag. Reads are open like the jobs list; writes need an
 * identity.
 */
@Path("/api/v1/queues")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    @Inject
    JobCatalog store;

    @Inject
    CurrentCaller caller;

    /** The body of {@code PUT /api/v1/queues/{name}}: every field optional, the defaults a new queue has. */
    @Schema(description = "A queue's cap and the defaults of its jobs")
    public record QueueRequest(
            @Schema(description = "At most this many of its jobs run at once across all dispatchers; none: no limit") @Min(1) @Max(100_000) Integer cap,

            @Schema(description = "Priority of a job that gives none; default 0") @Min(-1000) @Max(1000) Integer priority,

            @Schema(description = "Attempts of a job that gives none; default 3") @Min(1) @Max(100) Integer maxAttempts,

            @Schema(description = "Timeout in seconds of a job that gives none; default none") @Min(1) @Max(604800) Integer timeoutSeconds,

            @Schema(description = "First retry delay in seconds (doubles per attempt, up to the dispatcher's maximum); "
                    + "default: the dispatcher's") @Min(1) @Max(86400) Integer backoffSeconds) {
    }

    @GET
    @Operation(summary = "Every queue", description = "With ready, delayed and running jobs, cap, paused, and the "
            + "age of the oldest ready job.")
    public Uni<List<QueueStatus>> list() {
        return store.listQueues();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One queue")
    @APIResponse(responseCode = "404", description = "No such queue")
    public Uni<QueueStatus> get(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = SubmitJobRequest.QUEUE_PATTERN, message = SubmitJobRequest.QUEUE_RULE) String name) {
        return store.findQueue(name).map(found -> found.orElseThrow(() -> new QueueNotFoundException(name)));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "Create or change a queue", description = "Sets the cap and defaults (a field left out takes "
            + "the default; the paused flag is kept). A lowered cap lets running jobs finish: no new job starts until "
            + "the running ones are below it.")
    @APIResponse(responseCode = "401", description = "No identity")
    public Uni<QueueSettings> put(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = SubmitJobRequest.QUEUE_PATTERN, message = SubmitJobRequest.QUEUE_RULE) String name,
            @NotNull(message = "a JSON body is required") @Valid QueueRequest request) {
        return store.putQueue(new QueueSettings(name, request.cap(), request.priority() == null ? 0 : request.priority(),
                request.maxAttempts() == null ? 3 : request.maxAttempts(), request.backoffSeconds(),
                request.timeoutSeconds(), false));
    }

    @POST
    @Path("/{name}/pause")
    @CallerRequired(Right.OPERATE)
    @Operation(summary = "Pause a queue", description = "Dispatchers start none of its jobs; running jobs go on.")
    @APIResponse(responseCode = "403", description = "An operator limited to other queues")
    @APIResponse(responseCode = "404", description = "No such queue")
    public Uni<QueueSettings> pause(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = TextRules.NO_NUL, message = TextRules.NO_NUL_RULE) String name) {
        caller.get().mustOperate(name);
        return store.pauseQueue(name, true);
    }

    @POST
    @Path("/{name}/resume")
    @CallerRequired(Right.OPERATE)
    @Operation(summary = "Resume a paused queue")
    @APIResponse(responseCode = "403", description = "An operator limited to other queues")
    @APIResponse(responseCode = "404", description = "No such queue")
    public Uni<QueueSettings> resume(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = TextRules.NO_NUL, message = TextRules.NO_NUL_RULE) String name) {
        caller.get().mustOperate(name);
        return store.pauseQueue(name, false);
    }
}
