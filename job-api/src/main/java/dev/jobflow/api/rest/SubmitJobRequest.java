package dev.jobflow.api.rest;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/jobs}. */
@Schema(description = "A job to run")
public record SubmitJobRequest(
        @Schema(description = "What the job is called on the page", examples = "Nightly load") @NotBlank @Size(max = 200) String name,

        @Schema(description = "Who the job is for; its progress goes to room user:{owner}. A person (proxy header, "
                + "anonymous user) may leave it out or name only themselves; an API key must name one.", examples = "alice") @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9_.@-]+", message = "may contain only letters, digits and _ . @ -") String owner,

        @Schema(description = "The handler that runs it", examples = "demo") @NotBlank @Size(max = 100) @Pattern(regexp = "[a-z0-9_.:-]+", message = "may contain only a-z, 0-9 and _ . : -") String type,

        @Schema(description = "Parameters for the handler, a JSON object", examples = "{\"duration\": 10, \"step\": 1}") Map<String, Object> params,

        @Schema(description = "Higher runs first; default: the queue's (0 for a new queue)") @Min(-1000) @Max(1000) Integer priority,

        @Schema(description = "How many times it may be tried; default: the queue's (3 for a new queue)") @Min(1) @Max(100) Integer maxAttempts,

        @Schema(description = "Do not start before this instant (ISO-8601); default now") Instant runAt,

        @Schema(description = "The named queue; default 'default'. It must exist (PUT /api/v1/queues/{name}).", examples = "reports") @Size(max = 100) @Pattern(regexp = QUEUE_PATTERN, message = QUEUE_RULE) String queue,

        @Schema(description = "Seconds an attempt may run before it is interrupted and fails as timed out (retried "
                + "if attempts remain); default: the queue's (none for a new queue)") @Min(1) @Max(604800) Integer timeoutSeconds,

        @Schema(description = "At most one job of this key in the queue: while it is queued or running, or for "
                + "periodSeconds after the first. A duplicate returns the existing job (200).") @Valid UniqueRequest unique) {

    /** What a queue's name may contain. */
    public static final String QUEUE_PATTERN = "[a-z0-9][a-z0-9_.-]*";
    public static final String QUEUE_RULE = "must start with a-z or 0-9 and contain only a-z, 0-9 and _ . -";

    /** A unique job's key and, optionally, how long it holds after the first submit. */
    @Schema(description = "A unique job's key and scope")
    public record UniqueRequest(
            @Schema(description = "The key, unique within the queue", examples = "report-2026-11") @NotBlank @Size(max = 200) String key,

            @Schema(description = "Hold the key this many seconds after the first submit, whatever the job does; "
                    + "default: only while the job is queued or running") @Min(1) @Max(31_622_400) Integer periodSeconds) {
    }
}
