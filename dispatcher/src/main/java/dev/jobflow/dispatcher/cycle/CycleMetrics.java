package dev.jobflow.dispatcher.cycle;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.Job;
import dev.jobflow.dispatcher.run.Outcome;

/**
 * The cycle figures as Prometheus metrics ({@code jobflow_dispatcher_*}) and the per-cycle counts
 * of jobs that ended, which the cycle row reports.
 */
@ApplicationScoped
public class CycleMetrics {
    private final MeterRegistry registry;
    private final Counter cycles;
    private final Counter polls;
    private final Counter claimed;
    private final Counter idleHeartbeats;
    private final Counter leasesExpired;
    private final Timer pickup;
    private final AtomicInteger completedInCycle = new AtomicInteger();
    private final AtomicInteger failedInCycle = new AtomicInteger();
    private final AtomicReference<Double> lastRate = new AtomicReference<>(0.0);

    CycleMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.cycles = Counter.builder("jobflow.dispatcher.cycles").description("Dispatch cycles ended")
                .register(registry);
        this.polls = Counter.builder("jobflow.dispatcher.polls").description("Claim attempts").register(registry);
        this.claimed = Counter.builder("jobflow.dispatcher.claimed").description("Jobs claimed").register(registry);
        this.idleHeartbeats = Counter.builder("jobflow.dispatcher.idle.heartbeats")
                .description("Waits of W that found no work").register(registry);
        registry.gauge("jobflow.dispatcher.cycle.jobs.per.second", lastRate, AtomicReference::get);
        this.leasesExpired = Counter.builder("jobflow.dispatcher.leases.expired")
                .description("Jobs whose lease expired (their dispatcher died or hung), returned by the reaper")
                .register(registry);
        this.pickup = Timer.builder("jobflow.dispatcher.pickup.latency")
                .description("From the time a job was due (run_at) to its claim").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    /** A claimed job's wait between being due and its claim. */
    public void pickedUp(Job job) {
        if (job.runAt() != null && job.startedAt() != null) {
            pickup.record(Duration.between(job.runAt(), job.startedAt()).abs());
        }
    }

    public void leasesExpired(int jobs) {
        leasesExpired.increment(jobs);
    }

    public void polled(int claimedJobs) {
        polls.increment();
        claimed.increment(claimedJobs);
    }

    public void idle() {
        idleHeartbeats.increment();
    }

    public void ended(Outcome outcome, String queue) {
        Counter.builder("jobflow.dispatcher.jobs.ended").description("Job attempts ended, by outcome and queue")
                .tag("outcome", outcome.name().toLowerCase()).tag("queue", queue).register(registry).increment();
        switch (outcome) {
            case COMPLETED -> completedInCycle.incrementAndGet();
            case FAILED, REJECTED, TIMED_OUT -> failedInCycle.incrementAndGet();
            default -> {
            }
        }
    }

    /** Takes the ended-job counts of the cycle that just ended (and starts the next at zero). */
    public int[] takeEnded() {
        return new int[] { completedInCycle.getAndSet(0), failedInCycle.getAndSet(0) };
    }

    public void cycleEnded(CycleRecord cycle) {
        cycles.increment();
        lastRate.set(cycle.jobsPerSecond());
    }
}
