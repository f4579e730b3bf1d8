package dev.jobflow.dispatcher.handler;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.dispatcher.Jobs.submit;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.PostgresTestResource;

/** Job type sql:<procedure>: a stored procedure reports progress through job_progress and commits per step. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SqlProcedureHandlerTest {
    private static final Duration SOON = Duration.ofSeconds(15);

    @Inject
    JobStore store;
    @Inject
    ProgressLog progressLog;
    @Inject
    Pool pool;

    @Test
    void theDemoProcedureReportsProgressVisiblyWhileItRunsAndCompletes() throws Exception {
        Job job = submit(store, "sql:jobflow_demo", Map.of("duration", 1.5, "step", 0.2), 3);

        Job midway = awaitJob(store, job.id(), SOON, "showing progress while running",
                j -> j.status() == JobStatus.RUNNING && j.progressPct() > 0);
        assertThat(midway.progressMessage()).startsWith("step ");
        Job done = awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        assertThat(done.progressPct()).isEqualTo(100);

        List<Integer> pcts = progressLog.roomHistory("job:" + job.id(), 0, 100).await().atMost(SOON).stream()
                .filter(e -> "RUNNING".equals(e.payload().getString("status")))
                .map(e -> e.payload().getInteger("pct")).toList();
        assertThat(pcts).hasSizeGreaterThanOrEqualTo(5).isSorted();
        // the procedure's own log lines and the result it set
        var lines = store.listLogs(job.id(), null, 100).await().atMost(SOON).items();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(5).allSatisfy(line -> assertThat(line.message()).startsWith("step "));
        // one line per step; how many steps fit depends on how long each sleep took
        assertThat(done.result()).isEqualTo(Map.of("steps", lines.size(), "seconds", 1.5));
    }

    @Test
    void aFailingProcedureIsRetriedThenFailed() throws Exception {
        Job job = submit(store, "sql:jobflow_fail", Map.of(), 2);
        Job failed = awaitJob(store, job.id(), SOON, "failed", j -> j.status() == JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.error()).contains("failed on purpose");
        assertThat(store.listRuns(job.id()).await().atMost(SOON)).hasSize(2)
                .allSatisfy(run -> assertThat(run.error()).contains("failed on purpose"));
    }

    @Test
    void aProcedureOffTheAllowListFailsAtOnce() throws Exception {
        Job job = submit(store, "sql:pg_terminate_backend", Map.of(), 3);
        Job failed = awaitJob(store, job.id(), SOON, "failed", j -> j.status() == JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).contains("not on the allow-list");
    }

    @Test
    void cancellingARunningProcedureStopsItInTheDatabase() throws Exception {
        Job job = submit(store, "sql:jobflow_demo", Map.of("duration", 60, "step", 0.1), 3);
        awaitJob(store, job.id(), SOON, "showing progress", j -> j.progressPct() > 0);

        store.cancelJob(job.id()).await().atMost(SOON);
        awaitJob(store, job.id(), Duration.ofSeconds(3), "cancelled", j -> j.status() == JobStatus.CANCELLED);
        until("no CALL of jobflow_demo running", SOON, () -> runningCalls() == 0);
    }

    private long runningCalls() {
        return pool.query("select count(*) as n from pg_stat_activity where state = 'active'"
                + " and query like 'call jobflow_demo%' and datname = current_database()").execute().await()
                .atMost(SOON).iterator().next().getLong("n");
    }
}
