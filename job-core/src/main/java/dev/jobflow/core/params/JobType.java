package dev.jobflow.core.params;

import java.time.Instant;
import java.util.List;

/**
 * A job type as the dispatchers registered it: its declared parameters (null: not declared), the
 * replica that registered it last and when. A type a dispatcher has not registered for the
 * retention of forgotten replicas is removed with them.
 */
public record JobType(String type, List<ParamSpec> params, String replicaId, Instant registeredAt) {

    /** What job-api validates a submit against. */
    public JobTypeSpec spec() {
        return new JobTypeSpec(type, params);
    }
}
