package dev.jobflow.api.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.params.JobType;

/** The job types the live dispatchers registered, with their declared parameters. */
@Path("/api/v1/job-types")
@Produces(MediaType.APPLICATION_JSON)
public class JobTypeResource {

    @Inject
    JobTypeCheck types;

    /** The job types, by type. */
    public record JobTypes(List<JobType> items) {
    }

    @GET
    @Operation(summary = "Job types and their parameters", description = "Every type a dispatcher registered, by "
            + "type: its declared parameters (name, kind, min, max, required, description; null: not declared, any "
            + "params), the replica that registered it last and when. A submit of a type not listed is refused "
            + "(unless JOBFLOW_API_SUBMIT_UNKNOWN_TYPES), and its params are checked against the declaration.")
    public Uni<JobTypes> list() {
        return types.list().map(JobTypes::new);
    }
}
