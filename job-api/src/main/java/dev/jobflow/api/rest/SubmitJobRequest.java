package dev.jobflow.api.rest;

import java.time.Instant;
import java.util.Map;

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

        @Schema(description = "Higher runs first; default 0") @Min(-1000) @Max(1000) Integer priority,

        @Schema(description = "How many times it may be tried; default 3") @Min(1) @Max(100) Integer maxAttempts,

        @Schema(description = "Do not start before this instant (ISO-8601); default now") Instant runAt) {
}
