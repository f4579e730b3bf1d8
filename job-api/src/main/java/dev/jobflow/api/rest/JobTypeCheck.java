package dev.jobflow.api.rest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.config.ApiConfig;
import dev.jobflow.core.params.JobType;
import dev.jobflow.core.store.JobCatalog;

/**
 * Checks a submit against the job types the dispatchers registered: a type none registered is
 * refused (unless {@code jobflow.api.submit-unknown-types}), and params that break the type's
 * declaration are refused, every bad one named ({@code params.<name>}). The registered types are
 * read at most every {@link #FRESH_MS} ms, and again before a type not among them is refused.
 */
@ApplicationScoped
public class JobTypeCheck {
    static final long FRESH_MS = 2000;

    private final JobCatalog store;
    private final boolean submitUnknownTypes;
    /** Never read yet: stale from the start. */
    private final AtomicReference<Known> known = new AtomicReference<>(
            new Known(Map.of(), System.nanoTime() - 2 * FRESH_MS * 1_000_000));

    private record Known(Map<String, JobType> types, long readAt) {
        boolean fresh() {
            return System.nanoTime() - readAt < FRESH_MS * 1_000_000;
        }
    }

    JobTypeCheck(JobCatalog store, ApiConfig config) {
        this.store = store;
        this.submitUnknownTypes = config.submitUnknownTypes();
    }

    /** The refusal of a submit of {@code type} with {@code params}, or empty when it may go on. */
    public Uni<Optional<Response>> refusal(String type, Map<String, Object> params) {
        return errors(type, params).map(errors -> errors.isEmpty() ? Optional.<Response> empty()
                : Optional.of(Problem.of(400, "Invalid request", errors.size() + " field(s) are invalid")
                        .with("errors", errors).response()));
    }

    /**
     * What is wrong with a submit of {@code type} with {@code params}: one error per bad field
     * ({@code type}, {@code params.<name>}), none when it may go on.
     */
    public Uni<List<Map<String, String>>> errors(String type, Map<String, Object> params) {
        Known now = known.get();
        JobType found = now.fresh() ? now.types().get(type) : null;
        if (found == null && submitUnknownTypes && now.fresh()) {
            return Uni.createFrom().item(List.of()); // accepted either way: no read per unknown submit
        }
        Uni<Optional<JobType>> lookup = found != null ? Uni.createFrom().item(Optional.of(found))
                : reload().map(types -> Optional.ofNullable(types.get(type)));
        return lookup.map(match -> {
            if (match.isEmpty()) {
                return submitUnknownTypes ? List.of() : List.of(Map.of("field", "type", "message", unknown(type)));
            }
            return match.get().spec().violations(params);
        });
    }

    private Uni<Map<String, JobType>> reload() {
        long started = System.nanoTime();
        return store.listJobTypes().map(list -> {
            Map<String, JobType> types = new TreeMap<>();
            list.forEach(t -> types.put(t.type(), t));
            known.set(new Known(Map.copyOf(types), started));
            return types;
        });
    }

    private String unknown(String type) {
        Map<String, JobType> types = known.get().types();
        return "no dispatcher runs job type '" + type + "' (known: "
                + (types.isEmpty() ? "none yet" : String.join(", ", new TreeMap<>(types).keySet()))
                + "); to submit ahead of a deploy, set JOBFLOW_API_SUBMIT_UNKNOWN_TYPES=true";
    }

    /** For {@code GET /api/v1/job-types}. */
    Uni<List<JobType>> list() {
        return store.listJobTypes();
    }
}
