package dev.jobflow.api.rest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.Caller;
import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.Callers;
import dev.jobflow.api.auth.CurrentCaller;
import dev.jobflow.api.auth.ForbiddenException;
import dev.jobflow.core.input.TextRules;
import dev.jobflow.core.model.BulkAction;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobFilter;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobRunRecord;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogPage;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.UniqueKey;
import dev.jobflow.core.store.JobCatalog;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.QueueNotFoundException;
import dev.jobflow.core.tracing.TraceParent;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    static final String STATUS_PATTERN = "QUEUED|RUNNING|COMPLETED|FAILED|CANCELLED";

    @Inject
    JobCatalog store;

    @Inject
    CurrentCaller caller;

    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Writes the job and enqueues it in one transaction.")
    @APIResponse(responseCode = "201", description = "Created; Location names the job")
    @APIResponse(responseCode = "200", description = "The caller's Idempotency-Key matched its earlier job, or the "
            + "unique key is held by a job of the queue: that job, returned as is")
    @APIResponse(responseCode = "400", description = "Invalid request (problem+json); nothing was written")
    @APIResponse(responseCode = "401", description = "No identity, or an unknown or revoked key; nothing was written")
    @APIResponse(responseCode = "403", description = "A person named another owner; nothing was written")
    @APIResponse(responseCode = "422", description = "The caller used this Idempotency-Key before for a different "
            + "request; nothing was written")
    @CallerRequired
    public Uni<Response> submit(@NotNull(message = "a JSON body is required") @Valid SubmitJobRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
        Optional<Response> refused = refuse(request, idempotencyKey);
        if (refused.isPresent()) {
            return Uni.createFrom().item(refused.get());
        }
        Caller who = caller.get();
        String owner = who.userFor(blankToNull(request.owner()));
        if (owner == null) {
            return Uni.createFrom().item(Problem.of(400, "Invalid request", "1 field(s) are invalid")
                    .with("errors", List.of(Map.of("field", "owner", "message", "an API key must name the owner")))
                    .response());
        }
        if (!who.mayActFor(owner)) {
            throw new ForbiddenException("'" + who.name() + "' may submit jobs only for themselves, not for '" + owner
                    + "'");
        }
        SubmitJobRequest.UniqueRequest unique = request.unique();
        NewJob job = new NewJob(request.name(), owner, request.type(), request.params(), request.priority(),
                request.maxAttempts(), request.runAt(), idempotencyKey == null || idempotencyKey.isBlank() ? null
                        : new IdempotencyKey(who.idempotencyScope(), idempotencyKey),
                request.queue(), request.timeoutSeconds(), unique == null ? null
                        : new UniqueKey(unique.key(), unique.periodSeconds() == null ? null
                                : Duration.ofSeconds(unique.periodSeconds())));
        String traceParent = TraceParent.current(); // null with tracing off: nothing more to do
        if (traceParent != null) {
            job = job.withTraceParent(traceParent);
        }
        return store.submitJob(job).map(result -> {
            URI location = URI.create("/api/v1/jobs/" + result.job().id());
            return (result.created() ? Response.created(location) : Response.ok().location(location))
                    .entity(result.job()).build();
        }).onFailure(QueueNotFoundException.class).recoverWithItem(e -> Problem.of(400, "Invalid request",
                "1 field(s) are invalid").with("errors",
                        List.of(Map.of("field", "queue", "message", e.getMessage()
                                + "; create it with PUT /api/v1/queues/{name}")))
                .response());
    }

    @GET
    @Path("/jobs")
    @Operation(summary = "List jobs, newest first", description = "Keyset paging: pass the returned nextBefore as before.")
    public Uni<JobPage> list(@QueryParam("status") @Pattern(regexp = STATUS_PATTERN, message = "must be one of "
            + STATUS_PATTERN) String status,
            @QueryParam("owner") @Size(max = 100) @Pattern(regexp = Callers.USER_PATTERN, message = "may contain only "
                    + "letters, digits and _ . @ -") String owner,
            @QueryParam("before") String before,
            @QueryParam("limit") String limit) {
        Long beforeId = number("before", before, 1, Long.MAX_VALUE);
        Long size = number("limit", limit, 1, 500);
        return store.listJobs(new JobQuery(status == null ? null : JobStatus.valueOf(status), blankToNull(owner), beforeId,
                size == null ? 50 : size.intValue()));
    }

    @GET
    @Path("/jobs/{id}")
    @Operation(summary = "Read one job")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<Job> get(@PathParam("id") long id) {
        return store.findJob(id).map(found -> found.orElseThrow(() -> new JobNotFoundException(id)));
    }

    /** The attempts of a job, oldest first. */
    public record Runs(List<JobRunRecord> items) {
    }

    @GET
    @Path("/jobs/{id}/runs")
    @Operation(summary = "The attempts of a job", description = "One item per attempt, oldest first: replica, start, "
            + "end, outcome (COMPLETED, FAILED, CANCELLED, RELEASED) and error with its cause chain.")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<Runs> runs(@PathParam("id") long id) {
        return get(id).flatMap(job -> store.listRuns(id)).map(Runs::new);
    }

    @GET
    @Path("/jobs/{id}/logs")
    @Operation(summary = "The log lines of a job", description = "Oldest first; pass the returned nextAfterId as "
            + "after for the next page. Lines also arrive live in the room job:{id} as {\"job_id\", \"log\": {...}}.")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<LogPage> logs(@PathParam("id") long id, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Long afterId = number("after", after, 0, Long.MAX_VALUE);
        Long size = number("limit", limit, 1, 1000);
        return get(id).flatMap(job -> store.listLogs(id, afterId, size == null ? 200 : size.intValue()));
    }

    @POST
    @Path("/jobs/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A queued job ends CANCELLED at once; a running job is asked to "
            + "stop and ends CANCELLED when its handler sees the request (within one heartbeat).")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "401", description = "No identity, or an unknown or revoked key")
    @APIResponse(responseCode = "403", description = "A person may cancel only their own jobs")
    @APIResponse(responseCode = "409", description = "The job already completed or failed")
    @CallerRequired
    public Uni<Job> cancel(@PathParam("id") long id) {
        Caller who = caller.get();
        if (who.via() == Caller.Via.KEY) {
            return store.cancelJob(id);
        }
        return get(id).flatMap(job -> {
            if (!who.mayActFor(job.owner())) {
                throw new ForbiddenException("'" + who.name() + "' may cancel only their own jobs; job " + id
                        + " belongs to '" + job.owner() + "'");
            }
            return store.cancelJob(id);
        });
    }

    @POST
    @Path("/jobs/{id}/retry")
    @Operation(summary = "Retry a failed or cancelled job in place", description = "QUEUED again under the same id, "
            + "its attempts counted on (one more if it had used them all); its runs and logs stay.")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job is queued, running or completed")
    @CallerRequired
    public Uni<Job> retry(@PathParam("id") long id) {
        return own(id, "retry").flatMap(job -> store.retryJob(id));
    }

    @DELETE
    @Path("/jobs/{id}")
    @Operation(summary = "Delete a finished job", description = "With its runs and log lines.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job is queued or running (cancel it first)")
    @CallerRequired
    public Uni<Response> delete(@PathParam("id") long id) {
        return own(id, "delete").flatMap(job -> store.deleteJob(id)).map(done -> Response.noContent().build());
    }

    /** The body of {@code POST /api/v1/jobs/bulk}. */
    public record BulkRequest(
            @NotNull(message = "must be retry, cancel or delete") @Pattern(regexp = "retry|cancel|delete", message = "must be retry, cancel or delete") String action,
            Boolean dryRun,
            @Valid BulkFilter filter) {
    }

    /** Which jobs a bulk action touches; every field optional. */
    public record BulkFilter(
            @Size(max = 100) String queue,
            @Pattern(regexp = STATUS_PATTERN, message = "must be one of " + STATUS_PATTERN) String status,
            @Size(max = 100) String type,
            @Size(max = 100) String owner,
            Instant createdBefore,
            Instant createdAfter,
            @Size(max = 200) String error) {
    }

    /** What a bulk request did: how many jobs it applied to (or would, on a dry run). */
    public record BulkResult(String action, boolean dryRun, long count) {
    }

    @POST
    @Path("/jobs/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Retry, cancel or delete the jobs a filter matches", description = "Count first with "
            + "dryRun: true. Retry applies to failed and cancelled jobs, cancel to queued and running ones, delete to "
            + "finished ones. A person's filter is narrowed to their own jobs.")
    @CallerRequired
    public Uni<BulkResult> bulk(@NotNull(message = "a JSON body is required") @Valid BulkRequest request) {
        Caller who = caller.get();
        BulkFilter f = request.filter() == null ? new BulkFilter(null, null, null, null, null, null, null)
                : request.filter();
        String owner = f.owner();
        if (who.via() != Caller.Via.KEY) {
            if (owner != null && !who.mayActFor(owner)) {
                throw new ForbiddenException("'" + who.name() + "' may act only on their own jobs, not on '" + owner + "'");
            }
            owner = who.name();
        }
        boolean dryRun = request.dryRun() != null && request.dryRun();
        BulkAction action = BulkAction.valueOf(request.action().toUpperCase(java.util.Locale.ROOT));
        JobFilter filter = new JobFilter(f.queue(), f.status() == null ? null : JobStatus.valueOf(f.status()), f.type(),
                owner, f.createdBefore(), f.createdAfter(), f.error());
        return store.bulk(action, filter, dryRun).map(count -> new BulkResult(request.action(), dryRun, count));
    }

    /** The job, if the caller may act on it (a key: any; a person: their own). */
    private Uni<Job> own(long id, String what) {
        Caller who = caller.get();
        return get(id).invoke(job -> {
            if (who.via() != Caller.Via.KEY && !who.mayActFor(job.owner())) {
                throw new ForbiddenException("'" + who.name() + "' may " + what + " only their own jobs; job " + id
                        + " belongs to '" + job.owner() + "'");
            }
        });
    }

    @GET
    @Path("/queue")
    @Operation(summary = "Queue depth and capacity", description = "For autoscalers and the job-monitor page.")
    public Uni<QueueStats> queue() {
        return store.queueStats();
    }

    /** The earliest and latest run time a job may ask for. */
    static final Instant EARLIEST_RUN_AT = Instant.parse("2000-01-01T00:00:00Z");
    static final Duration LATEST_RUN_AT = Duration.ofDays(366 * 10);

    /** Input the field annotations cannot express: stored text rules, the run time's range. */
    private static Optional<Response> refuse(SubmitJobRequest request, String idempotencyKey) {
        Optional<Map<String, String>> bad = TextRules.firstViolation("name", request.name())
                .or(() -> request.unique() == null ? Optional.empty()
                        : TextRules.firstViolation("unique.key", request.unique().key()))
                .or(() -> TextRules.firstViolation("params", request.params()))
                .or(() -> idempotencyKey == null ? Optional.empty()
                        : TextRules.firstViolation("Idempotency-Key", idempotencyKey));
        if (bad.isEmpty() && request.runAt() != null && (request.runAt().isBefore(EARLIEST_RUN_AT)
                || request.runAt().isAfter(Instant.now().plus(LATEST_RUN_AT)))) {
            bad = Optional.of(Map.of("field", "runAt", "message", "must be between " + EARLIEST_RUN_AT
                    + " and ten years from now"));
        }
        return bad.map(error -> Problem.of(400, "Invalid request", "1 field(s) are invalid")
                .with("errors", List.of(error)).response());
    }

    /** A number query parameter, strictly: digits only (a 400 naming the parameter otherwise). */
    static Long number(String name, String value, long min, long max) {
        if (value == null) {
            return null;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadParameterException(name, "must be a whole number, was '" + printable(value) + "'");
        }
        if (parsed < min || parsed > max) {
            throw new BadParameterException(name, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
