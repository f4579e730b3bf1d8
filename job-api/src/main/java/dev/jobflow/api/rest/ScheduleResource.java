package dev.jobflow.api.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.Caller;
import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.Callers;
import dev.jobflow.api.auth.CurrentCaller;
import dev.jobflow.api.auth.ForbiddenException;
import dev.jobflow.api.auth.Right;
import dev.jobflow.core.input.TextRules;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.Schedule;
import dev.jobflow.core.schedule.Recurrence;
import dev.jobflow.core.store.JobCatalog;
import dev.jobflow.core.store.ScheduleNotFoundException;

/**
 * Schedules: cron or DBMS_SCHEDULER calendaring expressions in a time zone, each due time one job,
 * made by the dispatchers (the database allows exactly one job per schedule and due time). Reads
 * are open like the jobs list; writes need an identity.
 */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]*";
    static final String NAME_RULE = "must start with a letter or digit and contain only letters, digits and _ . -";
    /** How many coming fire times a read shows. */
    static final int UPCOMING = 5;

    @Inject
    JobCatalog store;

    @Inject
    CurrentCaller caller;

    /** The body of {@code POST /api/v1/schedules} and {@code PUT /api/v1/schedules/{name}}. */
    @Schema(description = "A schedule: a job made every time its cron or calendar expression falls due")
    public record ScheduleRequest(
            @Schema(description = "Unique name (in PUT, the path's)", examples = "nightly-load") @Size(max = 100) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name,

            @Schema(description = "The queue its jobs go to; default 'default'") @Size(max = 100) @Pattern(regexp = SubmitJobRequest.QUEUE_PATTERN, message = SubmitJobRequest.QUEUE_RULE) String queue,

            @Schema(description = "The job type", examples = "sql:load_sales") @NotBlank @Size(max = 100) @Pattern(regexp = "[a-z0-9_.:-]+", message = "may contain only a-z, 0-9 and _ . : -") String type,

            @Schema(description = "Parameters of every job it makes, a JSON object") Map<String, Object> params,

            @Schema(description = "Who its jobs are for; a person may name only themselves, an API key must name one") @Size(max = 100) @Pattern(regexp = Callers.USER_PATTERN, message = "may contain only letters, digits and _ . @ -") String owner,

            @Schema(description = "Cron: 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first)", examples = "0 2 * * 1-5") @Size(max = 200) String cron,

            @Schema(description = "DBMS_SCHEDULER calendaring expression", examples = "FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYSECOND=0") @Size(max = 400) String calendar,

            @Schema(description = "IANA time zone its times are in; default UTC", examples = "Europe/Berlin") @Size(max = 64) String timeZone,

            @Schema(description = "While the previous job is queued or running: skip (default) or allow") @Pattern(regexp = "skip|allow", message = "must be 'skip' or 'allow'") String overlap,

            @Schema(description = "Times missed while no dispatcher ran: run-once (default) or skip") @Pattern(regexp = "run-once|skip", message = "must be 'run-once' or 'skip'") String misfire,

            @Schema(description = "Default true") Boolean enabled) {
    }

    /** A schedule as read: its definition and state, and its next five fire times. */
    public record ScheduleView(@JsonUnwrapped Schedule schedule, List<Instant> upcoming) {
        static ScheduleView of(Schedule s) {
            List<Instant> upcoming = List.of();
            if (s.enabled()) {
                try {
                    Instant from = s.nextFireAt() == null ? Instant.now() : s.nextFireAt().minusNanos(1);
                    upcoming = Recurrence.parse(s.cron(), s.calendar(), s.timeZone(), s.anchorAt()).next(from, UPCOMING);
                } catch (IllegalArgumentException e) {
                    // written from SQL with an expression we cannot read: lastError says why
                }
            }
            return new ScheduleView(s, upcoming);
        }
    }

    @GET
    @Operation(summary = "Every schedule", description = "With next and last fire time, the last job and its status.")
    public Uni<List<ScheduleView>> list() {
        return store.listSchedules().map(all -> all.stream().map(ScheduleView::of).toList());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One schedule, with its next five fire times")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public Uni<ScheduleView> get(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = TextRules.NO_NUL, message = TextRules.NO_NUL_RULE) String name) {
        return store.findSchedule(name).map(found -> ScheduleView.of(found.orElseThrow(
                () -> new ScheduleNotFoundException(name))));
    }

    @GET
    @Path("/preview")
    @Operation(summary = "The next five times of an expression", description = "For the page's schedule dialog: "
            + "checks cron or calendar in the time zone without storing anything.")
    @APIResponse(responseCode = "400", description = "The expression or zone is wrong; the error names the part")
    public List<Instant> preview(@QueryParam("cron") @Size(max = 200) String cron,
            @QueryParam("calendar") @Size(max = 400) String calendar,
            @QueryParam("timeZone") @Size(max = 64) String timeZone) {
        return Recurrence.parse(cron, calendar, timeZone == null ? "UTC" : timeZone, Instant.now()).next(Instant.now(),
                UPCOMING);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "Create a schedule")
    @APIResponse(responseCode = "201", description = "Created; Location names it")
    @APIResponse(responseCode = "400", description = "Invalid (an expression error names the wrong part); nothing written")
    @APIResponse(responseCode = "409", description = "A schedule of that name exists (PUT changes it)")
    public Uni<Response> create(@NotNull(message = "a JSON body is required") @Valid ScheduleRequest request) {
        if (request.name() == null) {
            throw new BadParameterException("name", "is required");
        }
        Schedule definition = definition(request.name(), request);
        return store.findSchedule(request.name()).flatMap(existing -> {
            if (existing.isPresent()) {
                return Uni.createFrom().item(Problem.of(409, "Schedule exists", "schedule '" + request.name()
                        + "' exists; change it with PUT /api/v1/schedules/" + request.name())
                        .with("schedule", request.name()).response());
            }
            return store.putSchedule(definition).map(stored -> Response
                    .created(URI.create("/api/v1/schedules/" + stored.name())).entity(ScheduleView.of(stored)).build());
        });
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "Create or replace a schedule", description = "Its next time is computed anew from now.")
    public Uni<ScheduleView> put(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name,
            @NotNull(message = "a JSON body is required") @Valid ScheduleRequest request) {
        if (request.name() != null && !request.name().equals(name)) {
            throw new BadParameterException("name", "must be the path's name '" + name + "' or left out");
        }
        return store.putSchedule(definition(name, request)).map(ScheduleView::of);
    }

    @DELETE
    @Path("/{name}")
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "Drop a schedule", description = "Its jobs stay.")
    @APIResponse(responseCode = "204", description = "Dropped")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public Uni<Response> delete(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = TextRules.NO_NUL, message = TextRules.NO_NUL_RULE) String name) {
        return store.deleteSchedule(name).map(dropped -> {
            if (!dropped) {
                throw new ScheduleNotFoundException(name);
            }
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/{name}/run")
    @CallerRequired(Right.OPERATE)
    @Operation(summary = "Run a schedule now, once", description = "One job now, whatever its expression and enabled "
            + "flag say; its next time is unchanged.")
    @APIResponse(responseCode = "201", description = "The job made")
    @APIResponse(responseCode = "403", description = "An operator limited to other queues than the schedule's")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public Uni<Response> run(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = TextRules.NO_NUL, message = TextRules.NO_NUL_RULE) String name) {
        Caller who = caller.get();
        return store.findSchedule(name)
                .invoke(found -> found.ifPresent(schedule -> who.mustOperate(schedule.queue())))
                .flatMap(found -> store.runScheduleNow(name))
                .map((Job job) -> Response.created(URI.create("/api/v1/jobs/" + job.id())).entity(job).build());
    }

    /** The definition a request asks for, checked: owner, text rules, exactly one valid expression. */
    private Schedule definition(String name, ScheduleRequest request) {
        Caller who = caller.get();
        String owner = who.userFor(request.owner() == null || request.owner().isBlank() ? null : request.owner());
        if (owner == null) {
            throw new BadParameterException("owner", "an API key must name the owner");
        }
        if (!who.mayActFor(owner)) {
            throw new ForbiddenException("'" + who.name() + "' may schedule jobs only for themselves, not for '" + owner
                    + "'");
        }
        Optional<Map<String, String>> bad = TextRules.firstViolation("params", request.params());
        if (bad.isPresent()) {
            throw new BadParameterException(bad.get().get("field"), bad.get().get("message"));
        }
        String cron = blankToNull(request.cron());
        String calendar = blankToNull(request.calendar());
        if ((cron == null) == (calendar == null)) {
            throw new BadParameterException("cron", "give exactly one of cron and calendar");
        }
        String zone = request.timeZone() == null ? "UTC" : request.timeZone();
        Recurrence.parse(cron, calendar, zone, Instant.now()); // refuses a bad one naming the part
        return Schedule.define(name, request.queue(), request.type(), request.params(), owner, cron, calendar, zone,
                request.overlap() == null ? null : Schedule.Overlap.of(request.overlap()),
                request.misfire() == null ? null : Schedule.Misfire.of(request.misfire()),
                request.enabled() == null || request.enabled());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
