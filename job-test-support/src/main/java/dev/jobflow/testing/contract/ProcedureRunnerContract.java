package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.store.ProcedureRunner;

/**
 * How a backend runs {@code sql:<procedure>} jobs (the database-side progress API of the design
 * brief): the procedure's progress is visible while it runs, it is fenced by the claim's token, an
 * interrupt stops it in the database, and its errors reach the caller. Uses the procedures every
 * install has: {@code jobflow_demo} and {@code jobflow_fail}.
 */
public abstract class ProcedureRunnerContract extends BackendContract {
    private static final Duration SOON = Duration.ofSeconds(15);

    protected ProcedureRunnerContract() {
        super("procedures");
    }

    protected ProcedureRunner runner() {
        return fixture().procedureRunner();
    }

    private ClaimedJob claim(String type) {
        await(store().submitJob(NewJob.of("proc", "alice", type, Map.of())));
        List<ClaimedJob> claimed = await(store().claimJobs(ClaimRequest.of("runner", 1, Duration.ofMinutes(5))));
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    private List<Integer> runningPcts(long jobId) {
        return await(progressLog().roomHistory("job:" + jobId, 0, 1000)).stream()
                .filter(e -> "RUNNING".equals(e.payload().getString("status")))
                .map(e -> e.payload().getInteger("pct")).toList();
    }

    /** jobflow_demo for {@code seconds}, reporting every 0.2 s, on a thread of its own. */
    private Thread startDemo(ClaimedJob job, int seconds, AtomicReference<Throwable> failure) {
        return Thread.ofVirtual().start(() -> {
            try {
                runner().call("jobflow_demo", job.lease(), Map.of("duration", seconds, "step", 0.2));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    private void awaitFirstProgress(ClaimedJob job) throws InterruptedException {
        until("progress reported", SOON, () -> runningPcts(job.job().id()).stream().anyMatch(p -> p > 0));
    }

    @Test
    void theProceduresProgressIsVisibleWhileItRuns() throws Exception {
        ClaimedJob job = claim("sql:jobflow_demo");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread call = startDemo(job, 2, failure);
        awaitFirstProgress(job);
        assertThat(call.isAlive()).as("the call is still running when its progress is seen").isTrue();
        assertThat(call.join(SOON)).as("the call returned").isTrue();
        assertThat(failure.get()).isNull();

        assertThat(runningPcts(job.job().id())).hasSizeGreaterThanOrEqualTo(5).isSorted().last().isEqualTo(100);
        Job after = await(store().findJob(job.job().id())).orElseThrow();
        assertThat(after.status()).as("the dispatcher, not the procedure, ends the job").isEqualTo(JobStatus.RUNNING);
        assertThat(after.progressMessage()).startsWith("step ");
    }

    @Test
    void aStaleTokenCannotReportProgress() throws Exception {
        ClaimedJob job = claim("sql:jobflow_demo");
        Lease stale = new Lease(job.job().id(), job.lease().owner(), job.lease().token() - 1);
        long started = System.nanoTime();
        runner().call("jobflow_demo", stale, Map.of("duration", 30, "step", 0.1));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the demo stops at its first refused step")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(runningPcts(job.job().id())).containsOnly(0);
        assertThat(await(store().findJob(job.job().id())).orElseThrow().progressPct()).isZero();
    }

    @Test
    void anInterruptStopsTheCallInTheDatabase() throws Exception {
        ClaimedJob job = claim("sql:jobflow_demo");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread call = startDemo(job, 60, failure);
        awaitFirstProgress(job);
        call.interrupt();
        assertThat(call.join(Duration.ofSeconds(10))).as("the call ended after the interrupt").isTrue();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);

        int seen = runningPcts(job.job().id()).size();
        // A negative check needs a window: five of the demo's 0.1 s steps, had it gone on.
        Thread.sleep(500);
        assertThat(runningPcts(job.job().id())).as("no progress after the cancel: the procedure stopped").hasSize(seen);
    }

    @Test
    void theProceduresErrorReachesTheCaller() {
        ClaimedJob job = claim("sql:jobflow_fail");
        assertThatThrownBy(() -> runner().call("jobflow_fail", job.lease(), Map.of()))
                .hasMessageContaining("failed on purpose");
    }
}
