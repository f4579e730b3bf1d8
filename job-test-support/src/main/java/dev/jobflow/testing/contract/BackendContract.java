package dev.jobflow.testing.contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.Await;
import dev.jobflow.testing.StoreFixture;

/**
 * What the contract suites share: a fresh {@link StoreFixture} for each test, closed after it. A
 * backend's contract test only says how to open its fixture.
 */
public abstract class BackendContract {
    private final String purpose;
    private StoreFixture fixture;

    /** @param purpose a short name for the test databases (schemas) of this suite */
    protected BackendContract(String purpose) {
        this.purpose = purpose;
    }

    /** Opens the backend under test on a fresh, migrated database named after {@code purpose}. */
    protected abstract StoreFixture openFixture(String purpose);

    /** The fixture of the running test. */
    protected StoreFixture fixture() {
        return fixture;
    }

    /** The store (catalogue and queue) under test, on a database holding no jobs. */
    protected JobStore store() {
        return fixture.store();
    }

    /** The progress log on the same database. */
    protected ProgressLog progressLog() {
        return fixture.progressLog();
    }

    /** Job {@code jobId} as it is once {@code end} (an attempt's end, which answers nothing) is done. */
    protected Job afterEnd(Uni<Void> end, long jobId) {
        Await.await(end);
        return Await.await(store().findJob(jobId)).orElseThrow();
    }

    @BeforeEach
    final void openBackend() {
        fixture = openFixture(purpose);
    }

    @AfterEach
    final void closeBackend() throws Exception {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }
}
