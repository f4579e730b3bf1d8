package dev.jobflow.dispatcher;

import static dev.jobflow.testing.Await.until;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.store.JobStore;

/** Test helpers: submit through the store, poll for a job state with a deadline. */
public final class Jobs {
    private static final Duration STORE = Duration.ofSeconds(10);

    private Jobs() {
    }

    public static Job submit(JobStore store, String type, Map<String, Object> params, int maxAttempts) {
        return store.submitJob(new NewJob("test " + type, "alice", type, params, 0, maxAttempts, null, null)).await()
                .atMost(STORE).job();
    }

    public static Job find(JobStore store, long id) {
        return store.findJob(id).await().atMost(STORE).orElseThrow();
    }

    /** Polls the job until {@code condition} holds or {@code timeout} passes (then fails with its state). */
    public static Job awaitJob(JobStore store, long id, Duration timeout, String what, Predicate<Job> condition)
            throws InterruptedException {
        return until("job " + id + " " + what, timeout, () -> find(store, id), condition);
    }
}
