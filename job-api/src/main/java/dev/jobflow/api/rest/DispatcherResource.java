package dev.jobflow.api.rest;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.ReplicaStatus;
import dev.jobflow.core.store.ReplicaDirectory;

/** The dispatcher replicas and their last cycle, for operators and the job-monitor page. */
@Path("/api/v1/dispatchers")
@Produces(MediaType.APPLICATION_JSON)
public class DispatcherResource {

    @Inject
    ReplicaDirectory directory;

    public record Cycle(Instant startedAt, Instant endedAt, int polls, int claimed, int completed, int failed,
            double jobsPerSecond) {
        static Cycle of(CycleRecord c) {
            return c == null ? null
                    : new Cycle(c.startedAt(), c.endedAt(), c.polls(), c.claimed(), c.completed(), c.failed(),
                            Math.round(c.jobsPerSecond() * 1000) / 1000.0);
        }
    }

    public record Replica(String replicaId, int slots, boolean draining, boolean alive, Instant startedAt,
            Instant lastSeenAt, Cycle lastCycle) {
    }

    @GET
    @Operation(summary = "Dispatcher replicas", description = "Every registered replica, alive ones first, with its "
            + "slots, whether it drains, when it was last seen and its most recent dispatch cycle.")
    public Uni<List<Replica>> list() {
        return directory.listReplicas().map(replicas -> replicas.stream().map(DispatcherResource::view).toList());
    }

    private static Replica view(ReplicaStatus r) {
        return new Replica(r.replicaId(), r.slots(), r.draining(), r.alive(), r.startedAt(), r.lastSeenAt(),
                Cycle.of(r.lastCycle()));
    }
}
