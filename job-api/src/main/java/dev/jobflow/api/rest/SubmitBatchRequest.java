package dev.jobflow.api.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/jobs/batch}. */
@Schema(description = "Jobs to submit together: all or none")
public record SubmitBatchRequest(
        @Schema(description = "The jobs, as POST /api/v1/jobs takes each (no unique key); 1 to 1,000") @NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid SubmitJobRequest> jobs) {
}
