package dev.jobflow.api.rest;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.jobflow.api.auth.CallerFilter;
import dev.jobflow.api.auth.ForbiddenException;
import dev.jobflow.api.auth.UnauthorizedException;
import dev.jobflow.core.auth.OidcVerifier;
import dev.jobflow.core.schedule.ScheduleExpressionException;
import dev.jobflow.core.store.BatchItemException;
import dev.jobflow.core.store.IdempotencyKeyReusedException;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.JobStateException;
import dev.jobflow.core.store.QueueNotFoundException;
import dev.jobflow.core.store.ScheduleNotFoundException;
import dev.jobflow.core.store.StoreUnavailable;
import dev.jobflow.edge.AllowedMethods;

/** Maps every failure at the REST edge to an RFC 9457 problem+json response. */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Inject
    AllowedMethods allowedMethods;

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", field(v), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        return Problem.of(400, "Invalid request", errors.size() + " field(s) are invalid").with("errors", errors)
                .response();
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            detail = "unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            detail = "field '" + path(f) + "' has the wrong type or format: " + f.getValue();
        } else if (e instanceof MismatchedInputException m) {
            detail = m.getPath().isEmpty() ? "the body must be a JSON object" : "field '" + path(m) + "' has the wrong type";
        } else if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field ")) {
            // STRICT_DUPLICATE_DETECTION (StrictJson): "Duplicate field 'name'"
            detail = "the body names a field twice: " + e.getOriginalMessage().substring("Duplicate field ".length());
        } else {
            detail = "the body is not valid JSON";
        }
        return Problem.of(400, "Malformed request body", detail).response();
    }

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return Problem.of(400, "Invalid request", "1 field(s) are invalid")
                .with("errors", List.of(Map.of("field", e.parameter(), "message", e.getMessage()))).response();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return CallerFilter.unauthorized(e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "Forbidden", e.getMessage()).response();
    }

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e) {
        return Problem.of(404, "Job not found", e.getMessage()).with("jobId", e.jobId()).response();
    }

    @ServerExceptionMapper
    public Response queueNotFound(QueueNotFoundException e) {
        return Problem.of(404, "Queue not found", e.getMessage()).with("queue", e.queue()).response();
    }

    @ServerExceptionMapper
    public Response scheduleNotFound(ScheduleNotFoundException e) {
        return Problem.of(404, "Schedule not found", e.getMessage()).with("schedule", e.schedule()).response();
    }

    /** A cron or calendar expression, or a time zone, that cannot be read: which part, and why. */
    @ServerExceptionMapper
    public Response badExpression(ScheduleExpressionException e) {
        return Problem.of(400, "Invalid request", "1 field(s) are invalid")
                .with("errors", List.of(Map.of("field", expressionField(e), "part", e.part(), "message",
                        e.getMessage())))
                .response();
    }

    /** The request field an expression error is about: cron, calendar or timeZone. */
    private static String expressionField(ScheduleExpressionException e) {
        if (e.part().equals("timeZone")) {
            return "timeZone";
        }
        return e.getMessage().startsWith("calendar") ? "calendar" : "cron";
    }

    @ServerExceptionMapper
    public Response conflict(JobStateException e) {
        // "status" is the problem's HTTP status (RFC 9457); the job's goes in a member of its own
        return Problem.of(409, "Job is not in a state for this", e.getMessage())
                .with("jobId", e.jobId()).with("jobStatus", e.status().name()).response();
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReusedException e) {
        return Problem.of(422, "Idempotency-Key reused", e.getMessage()).with("jobId", e.jobId()).response();
    }

    /** One job of a batch stopped it: the problem its own submit would get, its field named jobs[i]. */
    @ServerExceptionMapper
    public Response batchItem(BatchItemException e) {
        String job = "jobs[" + e.index() + "]";
        if (e.getCause() instanceof QueueNotFoundException q) {
            return Problem.of(400, "Invalid request", "1 field(s) are invalid").with("errors", List.of(Map.of("field",
                    job + ".queue", "message", q.getMessage() + "; create it with PUT /api/v1/queues/{name}")))
                    .response();
        }
        Problem problem = Problem.of(422, "Idempotency-Key reused", e.getMessage()).with("job", job);
        return (e.getCause() instanceof IdempotencyKeyReusedException reused ? problem.with("jobId", reused.jobId())
                : problem).response();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        if (e instanceof NotFoundException && e.getCause() != null) {
            // JAX-RS answers 404 for a path or query parameter it cannot convert: the request is at fault
            return Problem.of(400, "Invalid request", "a path or query parameter cannot be read").response();
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this resource does not accept this method";
            case 406 -> "this resource cannot answer in an accepted media type";
            case 415 -> "this resource does not accept this content type";
            default -> e.getMessage();
        };
        Response problem = Problem.of(status, title, detail).response();
        if (status == 405) {
            Set<String> allowed = e.getResponse().getAllowedMethods();
            if (allowed.isEmpty()) {
                allowed = allowedMethods.of("/" + uri.getPath().replaceFirst("^/+", ""));
            }
            return Response.fromResponse(problem).allow(allowed).build();
        }
        return problem;
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (StoreUnavailable.causedBy(e)) {
            // the database restarts or fails over: nothing was written, the same request succeeds once it is back
            LOG.warnf("database unavailable: %s", e.getMessage());
            return Response.fromResponse(Problem.of(503, "Database unavailable",
                    "the database cannot be reached right now; nothing was written, retry shortly").response())
                    .header("Retry-After", "1").build();
        }
        if (e instanceof OidcVerifier.Unavailable unavailable) {
            // the token can be neither accepted nor refused until the provider answers again
            LOG.warnf("identity provider unavailable: %s", unavailable.getMessage());
            return Response.fromResponse(Problem.of(503, "Identity provider unavailable",
                    unavailable.getMessage() + "; nothing was done, retry shortly").response())
                    .header("Retry-After", "5").build();
        }
        LOG.error("request failed", e);
        return Problem.of(500, "Internal error", "the request failed; see the service log").response();
    }

    private static String field(ConstraintViolation<?> violation) {
        // "submit.request.name" -> "name"; "list.limit" -> "limit"
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        if (parts.length >= 3) {
            return String.join(".", List.of(parts).subList(2, parts.length));
        }
        return parts[parts.length - 1];
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        e.getPath().forEach(ref -> {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        });
        return path.toString();
    }
}
