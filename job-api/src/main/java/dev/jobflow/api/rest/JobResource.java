package dev.jobflow.api.rest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.AuditFilter;
import dev.jobflow.api.auth.AuditsItself;
import dev.jobflow.api.auth.Caller;
import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.Callers;
import dev.jobflow.api.auth.CurrentCaller;
import dev.jobflow.api.auth.ForbiddenException;
import dev.jobflow.api.auth.Right;
import dev.jobflow.core.input.TextRules;
import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.model.BulkAction;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobEvent;
import dev.jobflow.core.model.JobFilter;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobRunRecord;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogPage;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.SubmitResult;
import dev.jobflow.core.model.UniqueKey;
import dev.jobflow.core.model.WebhookDelivery;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.JobCatalog;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.QueueNotFoundException;
import dev.jobflow.core.tracing.TraceParent;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    /** The audit log's action of a submit: the route, as AuditFilter names every write. */
    private static final String SUBMIT_ACTION = "POST /api/v1/jobs";
    static final String STATUS_PATTERN = "QUEUED|RUNNING|COMPLETED|FAILED|CANCELLED";

    @Inject
    JobCatalog store;
    @Inject
    EventOutbox outbox;

    @Inject
    CurrentCaller caller;

    @Inject
    JobTypeCheck types;

    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Writes the job and enqueues it in one transaction.")
    @APIResponse(responseCode = "201", description = "Created; Location names the job")
    @APIResponse(responseCode = "200", description = "The caller's Idempotency-Key matched its earlier job, or the "
            + "unique key is held by a job of the queue: that job, returned as is")
    @APIResponse(responseCode = "400", description = "Invalid request (problem+json); nothing was written. Also a type "
            + "no dispatcher registered (GET /api/v1/job-types), or params that break its declaration (each bad one "
            + "named: params.<name>)")
    @APIResponse(responseCode = "401", description = "No identity, or an unknown or revoked key; nothing was written")
    @APIResponse(responseCode = "403", description = "A person named another owner; nothing was written")
    @APIResponse(responseCode = "422", description = "The caller used this Idempotency-Key before for a different "
            + "request; nothing was written")
    @CallerRequired(Right.SUBMIT)
    @AuditsItself
    public Uni<Response> submit(@NotNull(message = "a JSON body is required") @Valid SubmitJobRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
        Caller who = caller.get(); // read on the request's context, before the type check's database read
        NewJob job = newJob(request, who, idempotencyKey(who, idempotencyKey, ""), "");
        return types.refusal(request.type(), request.params()).flatMap(refusal -> refusal.isPresent()
                ? Uni.createFrom().item(refusal.get())
                : submitChecked(job, who));
    }

    /**
     * The submit of a job whose input and type passed the checks. A job created is recorded in the
     * audit log in its own transaction; an earlier job returned (200) is recorded before the answer,
     * as {@link AuditFilter} records other writes.
     */
    private Uni<Response> submitChecked(NewJob job, Caller who) {
        return store.submitJob(job, submitAudit(who, null, "status 201")).flatMap(result -> {
            URI location = URI.create("/api/v1/jobs/" + result.job().id());
            if (result.created()) {
                return Uni.createFrom().item(Response.created(location).entity(result.job()).build());
            }
            return AuditFilter.write(store, submitAudit(who, AuditEntry.jobTarget(result.job().id()), "status 200"))
                    .replaceWith(() -> Response.ok().location(location).entity(result.job()).build());
        }).onFailure(QueueNotFoundException.class).recoverWithItem(e -> Problem.of(400, "Invalid request",
                "1 field(s) are invalid").with("errors",
                        List.of(Map.of("field", "queue", "message", e.getMessage()
                                + "; create it with PUT /api/v1/queues/{name}")))
                .response());
    }

    /** A submit's audit row, as AuditFilter records other writes (target null: the job the store creates). */
    private static AuditEntry submitAudit(Caller who, String target, String detail) {
        return AuditEntry.of(who.name(), who.via().json(), SUBMIT_ACTION, target, detail);
    }

    @POST
    @Path("/jobs/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit many jobs at once", description = "Writes and enqueues every job of the batch in "
            + "one transaction: all or none. Each job is what POST /api/v1/jobs takes, except a unique key. With an "
            + "Idempotency-Key, a retried batch returns its jobs (200).")
    @APIResponse(responseCode = "201", description = "Created: {\"items\": [job, ...]} in the batch's order")
    @APIResponse(responseCode = "200", description = "The caller's Idempotency-Key matched its earlier batch: its jobs")
    @APIResponse(responseCode = "400", description = "A job is invalid (the field is named jobs[i].field); nothing "
            + "was written")
    @APIResponse(responseCode = "401", description = "No identity, or an unknown or revoked key; nothing was written")
    @APIResponse(responseCode = "403", description = "A person named another owner; nothing was written")
    @APIResponse(responseCode = "422", description = "The caller used this Idempotency-Key before for a different "
            + "batch; nothing was written")
    @CallerRequired(Right.SUBMIT)
    public Uni<Response> submitBatch(@NotNull(message = "a JSON body is required") @Valid SubmitBatchRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 190) String idempotencyKey) {
        Caller who = caller.get();
        List<NewJob> jobs = new ArrayList<>(request.jobs().size());
        for (int i = 0; i < request.jobs().size(); i++) {
            SubmitJobRequest job = request.jobs().get(i);
            String prefix = "jobs[" + i + "].";
            if (job.unique() != null) {
                throw new BadParameterException(prefix + "unique", "unique jobs are submitted one at a time (POST "
                        + "/api/v1/jobs)");
            }
            // Each job of a keyed batch has a key of its own: the batch's key and its place in the batch.
            jobs.add(newJob(job, who, idempotencyKey(who, idempotencyKey, "#" + i), prefix));
        }
        return typeErrors(request.jobs()).flatMap(errors -> errors.isEmpty()
                ? store.submitJobs(jobs).map(results -> {
                    boolean created = results.get(0).created();
                    List<Job> items = results.stream().map(SubmitResult::job).toList();
                    return Response.status(created ? 201 : 200).entity(Map.of("items", items)).build();
                })
                : Uni.createFrom().item(Problem.of(400, "Invalid request", errors.size() + " field(s) are invalid")
                        .with("errors", errors).response()));
    }

    /** The type and params errors of the batch's jobs, named jobs[i].field. */
    private Uni<List<Map<String, String>>> typeErrors(List<SubmitJobRequest> jobs) {
        return Multi.createFrom().range(0, jobs.size()).onItem().transformToUniAndConcatenate(i -> types
                .errors(jobs.get(i).type(), jobs.get(i).params()).map(errors -> errors.stream()
                        .map(e -> Map.of("field", "jobs[" + i + "]." + e.get("field"), "message", e.get("message")))
                        .toList()))
                .collect().asList().map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    /** The job a request asks for, its input checked first (a 400 naming {@code prefix + field}). */
    private static NewJob newJob(SubmitJobRequest request, Caller who, IdempotencyKey key, String prefix) {
        Optional<Map<String, String>> bad = refusal(request);
        if (bad.isPresent()) {
            throw new BadParameterException(prefix + bad.get().get("field"), bad.get().get("message"));
        }
        String owner = who.userFor(blankToNull(request.owner()));
        if (owner == null) {
            throw new BadParameterException(prefix + "owner", "an API key must name the owner");
        }
        if (!who.mayActFor(owner)) {
            throw new ForbiddenException("'" + who.name() + "' may submit jobs only for themselves, not for '" + owner
                    + "'");
        }
        SubmitJobRequest.UniqueRequest unique = request.unique();
        NewJob job = new NewJob(request.name(), owner, request.type(), request.params(), request.priority(),
                request.maxAttempts(), request.runAt(), key, request.queue(), request.timeoutSeconds(), unique == null
                        ? null
                        : new UniqueKey(unique.key(), unique.periodSeconds() == null ? null
                                : Duration.ofSeconds(unique.periodSeconds())));
        String traceParent = TraceParent.current(); // null with tracing off: nothing more to do
        return traceParent == null ? job : job.withTraceParent(traceParent);
    }

    /** The caller's idempotency key (with {@code suffix}), checked; null when none was sent. */
    private static IdempotencyKey idempotencyKey(Caller who, String header, String suffix) {
        if (header == null || header.isBlank()) {
            return null;
        }
        TextRules.firstViolation("Idempotency-Key", header).ifPresent(error -> {
            throw new BadParameterException("Idempotency-Key", error.get("message"));
        });
        return new IdempotencyKey(who.idempotencyScope(), header + suffix);
    }

    @GET
    @Path("/jobs")
    @Operation(summary = "List jobs, newest first", description = "Keyset paging: pass the returned nextBefore as before. "
            + "q keeps the jobs whose name, type, params or error contain that text, ignoring case (indexed). "
            + "A viewer lists its own jobs only (owner= of someone else is refused).")
    @APIResponse(responseCode = "403", description = "A viewer named another owner")
    public Uni<JobPage> list(@QueryParam("status") @Pattern(regexp = STATUS_PATTERN, message = "must be one of "
            + STATUS_PATTERN) String status,
            @QueryParam("owner") @Size(max = 100) @Pattern(regexp = Callers.USER_PATTERN, message = "may contain only "
                    + "letters, digits and _ . @ -") String owner,
            @QueryParam("q") @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control "
                    + "characters") String q,
            @QueryParam("before") String before,
            @QueryParam("limit") String limit) {
        Long beforeId = number("before", before, 1, Long.MAX_VALUE);
        Long size = number("limit", limit, 1, 500);
        String search = blankToNull(q);
        if (search != null) {
            TextRules.problem(search).ifPresent(message -> {
                throw new BadParameterException("q", message);
            });
        }
        Caller who = caller.get();
        if (!who.mayList(owner == null || owner.isBlank() ? who.name() : owner)) {
            throw new ForbiddenException("'" + who.name() + "' (" + who.role().json() + ") may list only their own jobs, "
                    + "not those of '" + owner + "'");
        }
        return store.listJobs(new JobQuery(status == null ? null : JobStatus.valueOf(status), blankToNull(owner),
                search, beforeId, size == null ? 50 : size.intValue(), who.visibility()));
    }

    @GET
    @Path("/jobs/{id}")
    @Operation(summary = "Read one job", description = "A viewer reads its own jobs only; an operator limited to "
            + "queues, its own and those of its queues.")
    @APIResponse(responseCode = "404", description = "No such job, or not one the caller may see")
    public Uni<Job> get(@PathParam("id") long id) {
        Caller who = caller.get();
        // a job the caller may not see answers as a missing one: ids do not leak
        return store.findJob(id).map(found -> found.filter(who::maySee)
                .orElseThrow(() -> new JobNotFoundException(id)));
    }

    /** The job, if the caller operates its queue: else 404 (not visible) or 403 (visible, its own, not operated). */
    private Uni<Job> operated(long id) {
        Caller who = caller.get();
        return get(id).invoke(job -> who.mustOperate(job.queue()));
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

    /** A job's lifecycle events, oldest first. */
    public record Events(List<JobEvent> items) {
    }

    @GET
    @Path("/jobs/{id}/events")
    @Operation(summary = "The lifecycle events of a job", description = "As the outbox holds them, oldest first: "
            + "SUBMITTED, STARTED, COMPLETED, FAILED, CANCELLED, RETRYING; sentAt is when the broker took it.")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<Events> events(@PathParam("id") long id) {
        return get(id).flatMap(job -> outbox.listEvents(id)).map(Events::new);
    }

    /** A job's webhook delivery attempts, oldest first. */
    public record Deliveries(List<WebhookDelivery> items) {
    }

    @GET
    @Path("/jobs/{id}/webhooks")
    @Operation(summary = "The webhook deliveries of a job", description = "Every attempt, oldest first: event, "
            + "attempt, URL, HTTP status (none when no answer came), outcome (DELIVERED, RETRY, GAVE_UP), error.")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<Deliveries> webhooks(@PathParam("id") long id) {
        return get(id).flatMap(job -> outbox.listDeliveries(id)).map(Deliveries::new);
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
    @APIResponse(responseCode = "404", description = "No such job, or (a viewer) not the caller's")
    @APIResponse(responseCode = "401", description = "No identity, or an unknown or revoked key")
    @APIResponse(responseCode = "409", description = "The job already completed or failed")
    @CallerRequired(Right.SUBMIT)
    public Uni<Job> cancel(@PathParam("id") long id) {
        // a viewer cancels its own jobs (another's is not found), an operator or admin any
        return get(id).flatMap(job -> store.cancelJob(id));
    }

    @POST
    @Path("/jobs/{id}/retry")
    @Operation(summary = "Retry a failed or cancelled job in place", description = "QUEUED again under the same id, "
            + "its attempts counted on (one more if it had used them all); its runs and logs stay.")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "403", description = "An operator limited to queues: its own job of another queue")
    @APIResponse(responseCode = "409", description = "The job is queued, running or completed")
    @CallerRequired(Right.OPERATE)
    public Uni<Job> retry(@PathParam("id") long id) {
        return operated(id).flatMap(job -> store.retryJob(id));
    }

    @DELETE
    @Path("/jobs/{id}")
    @Operation(summary = "Delete a finished job", description = "With its runs and log lines.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "403", description = "An operator limited to queues: its own job of another queue")
    @APIResponse(responseCode = "409", description = "The job is queued or running (cancel it first)")
    @CallerRequired(Right.OPERATE)
    public Uni<Response> delete(@PathParam("id") long id) {
        return operated(id).flatMap(job -> store.deleteJob(id)).map(done -> Response.noContent().build());
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
            @Size(max = 200) String error,
            @Size(max = 1000, message = "may name at most 1000 jobs") List<@NotNull(message = "must be job ids") Long> ids) {
    }

    /**
     * What a bulk request did: how many jobs it applied to (or would, on a dry run); ids: the jobs
     * the filter named, if it named any (the audit log's detail records them).
     */
    public record BulkResult(String action, boolean dryRun, long count,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) List<Long> ids) {
    }

    @POST
    @Path("/jobs/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Retry, cancel or delete the jobs a filter matches", description = "Count first with "
            + "dryRun: true. Retry applies to failed and cancelled jobs, cancel to queued and running ones, delete to "
            + "finished ones. filter.ids names jobs (a selection; the other fields still narrow it). An operator "
            + "limited to queues names one of them in filter.queue.")
    @APIResponse(responseCode = "403", description = "An operator limited to queues named none of them")
    @CallerRequired(Right.OPERATE)
    public Uni<BulkResult> bulk(@NotNull(message = "a JSON body is required") @Valid BulkRequest request) {
        BulkFilter f = request.filter() == null ? new BulkFilter(null, null, null, null, null, null, null, null)
                : request.filter();
        Caller who = caller.get();
        if (!who.operatesEveryQueue()) {
            if (f.queue() == null) {
                throw new ForbiddenException("'" + who.name() + "' operates the queues " + who.queues() + " only: name "
                        + "one of them in filter.queue");
            }
            who.mustOperate(f.queue());
        }
        boolean dryRun = request.dryRun() != null && request.dryRun();
        BulkAction action = BulkAction.valueOf(request.action().toUpperCase(java.util.Locale.ROOT));
        JobFilter filter = new JobFilter(f.queue(), f.status() == null ? null : JobStatus.valueOf(f.status()), f.type(),
                f.owner(), f.createdBefore(), f.createdAfter(), f.error(), f.ids());
        return store.bulk(action, filter, dryRun).map(count -> new BulkResult(request.action(), dryRun, count,
                f.ids()));
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
    private static Optional<Map<String, String>> refusal(SubmitJobRequest request) {
        Optional<Map<String, String>> bad = TextRules.firstViolation("name", request.name())
                .or(() -> request.unique() == null ? Optional.empty()
                        : TextRules.firstViolation("unique.key", request.unique().key()))
                .or(() -> TextRules.firstViolation("params", request.params()));
        if (bad.isEmpty() && request.runAt() != null && (request.runAt().isBefore(EARLIEST_RUN_AT)
                || request.runAt().isAfter(Instant.now().plus(LATEST_RUN_AT)))) {
            bad = Optional.of(Map.of("field", "runAt", "message", "must be between " + EARLIEST_RUN_AT
                    + " and ten years from now"));
        }
        return bad;
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
