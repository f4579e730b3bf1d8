package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.QueueStatus;
import dev.jobflow.core.model.SubmitResult;
import dev.jobflow.core.model.UniqueKey;
import dev.jobflow.core.store.QueueNotFoundException;

/**
 * Named queues (caps, pause, defaults), timeouts, unique jobs and the life of idempotency keys
 * (issue 13), for every backend. A backend's test extends this and opens its fixture.
 */
public abstract class QueueContract extends BackendContract {
    protected static final Duration LEASE = Duration.ofSeconds(30);

    protected QueueContract() {
        super("queues");
    }

    private static NewJob job(String name) {
        return NewJob.of(name, "alice", "demo", Map.of());
    }

    private Job submit(NewJob job) {
        return await(store().submitJob(job)).job();
    }

    private List<ClaimedJob> claim(String owner, int max, String queue) {
        return await(store().claimJobs(new ClaimRequest(owner, max, LEASE, OptionalInt.empty(), queue, Duration.ZERO)));
    }

    @Test
    void everyJobBelongsToAQueueAndAnUnknownQueueIsRefusedWritingNothing() {
        assertThat(submit(job("plain")).queue()).isEqualTo("default");
        assertThatThrownBy(() -> submit(job("lost").onQueue("nope")))
                .isInstanceOf(QueueNotFoundException.class).hasMessageContaining("'nope'");
        assertThat(await(store().listJobs(new JobQuery(null, null, null, 10))).items()).extracting(Job::name)
                .containsExactly("plain");
    }

    @Test
    void aListNarrowedToWhatACallerMaySeeHoldsItsOwnJobsAndThoseOfItsQueues() {
        await(store().putQueue(new QueueSettings("reports", null, 0, 3, null, null, false)));
        await(store().putQueue(new QueueSettings("reports-eu", null, 0, 3, null, null, false)));
        await(store().putQueue(new QueueSettings("billing", null, 0, 3, null, null, false)));
        Job ownBilling = submit(NewJob.of("own-billing", "olga", "demo", Map.of()).onQueue("billing"));
        Job report = submit(NewJob.of("report", "bob", "demo", Map.of()).onQueue("reports"));
        Job reportEu = submit(NewJob.of("report-eu", "bob", "demo", Map.of()).onQueue("reports-eu"));
        Job bill = submit(NewJob.of("bill", "bob", "demo", Map.of()).onQueue("billing"));
        Job plain = submit(NewJob.of("plain", "carol", "demo", Map.of()));

        // an operator of reports and reports-eu: its own job and those two queues' (no queue is a prefix match)
        JobQuery.Visibility olga = new JobQuery.Visibility("olga", Set.of("reports", "reports-eu"));
        assertThat(ids(new JobQuery(null, null, null, null, 10, olga)))
                .containsExactly(reportEu.id(), report.id(), ownBilling.id());
        assertThat(ids(new JobQuery(null, "bob", null, null, 10, olga))).containsExactly(reportEu.id(), report.id());
        assertThat(ids(new JobQuery(null, null, "report", null, 10, olga))).containsExactly(reportEu.id(), report.id());
        // paged, the narrowing holds on every page
        JobPage first = await(store().listJobs(new JobQuery(null, null, null, null, 2, olga)));
        assertThat(first.items()).extracting(Job::id).containsExactly(reportEu.id(), report.id());
        assertThat(ids(new JobQuery(null, null, null, first.nextBeforeId(), 2, olga))).containsExactly(ownBilling.id());
        // one queue only: reports is not reports-eu
        assertThat(ids(new JobQuery(null, null, null, null, 10, new JobQuery.Visibility("olga", Set.of("reports")))))
                .containsExactly(report.id(), ownBilling.id());
        // a viewer: its own jobs only
        assertThat(ids(new JobQuery(null, null, null, null, 10, new JobQuery.Visibility("bob", Set.of()))))
                .containsExactly(bill.id(), reportEu.id(), report.id());
        // every job when not narrowed
        assertThat(ids(new JobQuery(null, null, null, null, 10, null)))
                .containsExactly(plain.id(), bill.id(), reportEu.id(), report.id(), ownBilling.id());
    }

    private List<Long> ids(JobQuery query) {
        return await(store().listJobs(query)).items().stream().map(Job::id).toList();
    }

    @Test
    void aQueuesDefaultsFillWhatTheJobLeavesUnset() {
        await(store().putQueue(new QueueSettings("reports", 2, 7, 5, 10, 60, false)));
        Job defaults = submit(new NewJob("d", "alice", "demo", Map.of(), null, null, null, null, "reports", null, null));
        assertThat(defaults.priority()).isEqualTo(7);
        assertThat(defaults.maxAttempts()).isEqualTo(5);
        assertThat(defaults.timeoutSeconds()).isEqualTo(60);
        Job own = submit(new NewJob("o", "alice", "demo", Map.of(), 1, 2, null, null, "reports", 5, null));
        assertThat(own.priority()).isEqualTo(1);
        assertThat(own.maxAttempts()).isEqualTo(2);
        assertThat(own.timeoutSeconds()).isEqualTo(5);

        QueueStatus status = await(store().findQueue("reports")).orElseThrow();
        assertThat(status.settings()).isEqualTo(new QueueSettings("reports", 2, 7, 5, 10, 60, false));
        assertThat(status.ready()).isEqualTo(2);
        assertThat(await(store().listQueues())).extracting(q -> q.settings().name()).containsExactly("default", "reports");
        assertThat(await(store().findQueue("nope"))).isEmpty();
    }

    @Test
    void aPausedQueueStartsNothingAndOthersGoOn() {
        await(store().putQueue(QueueSettings.named("slow")));
        submit(job("a").onQueue("slow"));
        submit(job("b"));
        assertThat(await(store().pauseQueue("slow", true)).paused()).isTrue();
        assertThat(claim("d1", 5, "slow")).isEmpty();
        assertThat(claim("d1", 5, "default")).hasSize(1);
        assertThat(await(store().findQueue("slow")).orElseThrow().ready()).isEqualTo(1);

        assertThat(await(store().pauseQueue("slow", false)).paused()).isFalse();
        assertThat(claim("d1", 5, "slow")).extracting(c -> c.job().name()).containsExactly("a");
        assertThatThrownBy(() -> await(store().pauseQueue("nope", true))).isInstanceOf(QueueNotFoundException.class);
    }

    @Test
    void aPutKeepsThePausedFlagAndALoweredCapCountsRunningJobs() {
        await(store().putQueue(new QueueSettings("q", 3, 0, 3, null, null, false)));
        for (int i = 0; i < 6; i++) {
            submit(job("j" + i).onQueue("q"));
        }
        assertThat(claim("d1", 6, "q")).hasSize(3);
        await(store().pauseQueue("q", true));
        QueueSettings lowered = await(store().putQueue(new QueueSettings("q", 1, 0, 3, null, null, false)));
        assertThat(lowered.paused()).as("kept").isTrue();
        await(store().pauseQueue("q", false));
        assertThat(claim("d2", 6, "q")).as("three still run under a cap of one").isEmpty();
    }

    @Test
    void aQueueCapAndTheGlobalCapBothHold() {
        await(store().putQueue(new QueueSettings("a", 2, 0, 3, null, null, false)));
        await(store().putQueue(new QueueSettings("b", 5, 0, 3, null, null, false)));
        for (int i = 0; i < 10; i++) {
            submit(job("a" + i).onQueue("a"));
            submit(job("b" + i).onQueue("b"));
        }
        OptionalInt global = OptionalInt.of(4);
        List<ClaimedJob> a = await(store().claimJobs(new ClaimRequest("d1", 10, LEASE, global, "a", Duration.ZERO)));
        assertThat(a).as("queue cap").hasSize(2);
        List<ClaimedJob> b = await(store().claimJobs(new ClaimRequest("d1", 10, LEASE, global, "b", Duration.ZERO)));
        assertThat(b).as("global cap: 4 - 2").hasSize(2);
        await(store().completeJob(a.get(0).lease()));
        assertThat(await(store().claimJobs(new ClaimRequest("d2", 10, LEASE, global, "b", Duration.ZERO))))
                .as("the slot a job of a freed").hasSize(1);
    }

    /**
     * Claimers of two capped queues that complete what they claim and claim again. Each counts a
     * queue's jobs after its claim returned and uncounts them before completing, so its count never
     * exceeds the jobs RUNNING in the database: over a cap means that cap broke.
     */
    @Test
    void claimersOfSeveralCappedQueuesUnderChurnNeverExceedAnyQueuesCap() throws Exception {
        Map<String, Integer> caps = Map.of("small", 2, "large", 4);
        int perQueue = 150;
        List<Uni<SubmitResult>> submits = new ArrayList<>();
        for (var cap : caps.entrySet()) {
            await(store().putQueue(new QueueSettings(cap.getKey(), cap.getValue(), 0, 3, null, null, false)));
            for (int i = 0; i < perQueue; i++) {
                submits.add(store().submitJob(job(cap.getKey() + i).onQueue(cap.getKey())));
            }
        }
        Uni.join().all(submits).andFailFast().await().atMost(Duration.ofSeconds(60));
        Set<Long> completed = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> holding = Map.of("small", new AtomicInteger(), "large", new AtomicInteger());
        Map<String, AtomicInteger> most = Map.of("small", new AtomicInteger(), "large", new AtomicInteger());
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> claimers = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            String owner = "claimer-" + c;
            String[] order = c % 2 == 0 ? new String[] { "small", "large" } : new String[] { "large", "small" };
            claimers.add(Thread.ofVirtual().start(() -> {
                while (completed.size() < perQueue * caps.size()) {
                    for (String queue : order) {
                        List<ClaimedJob> batch = claim(owner, 3, queue);
                        most.get(queue).accumulateAndGet(holding.get(queue).addAndGet(batch.size()), Math::max);
                        for (ClaimedJob claimed : batch) {
                            if (!completed.add(claimed.job().id())) {
                                duplicates.incrementAndGet();
                            }
                            holding.get(queue).decrementAndGet();
                            await(store().completeJob(claimed.lease()));
                        }
                    }
                }
            }));
        }
        for (Thread claimer : claimers) {
            assertThat(claimer.join(Duration.ofSeconds(120))).as("claimer finished").isTrue();
        }
        assertThat(duplicates).hasValue(0);
        assertThat(completed).hasSize(perQueue * caps.size());
        for (var cap : caps.entrySet()) {
            assertThat(most.get(cap.getKey()).get()).as("most jobs of %s held at once", cap.getKey())
                    .isBetween(1, cap.getValue());
        }
    }

    @Test
    void aTimedOutJobsLeaseIsNeverRenewedPastItsDeadlineAndTheReaperEndsItAsTimedOut() throws Exception {
        await(store().putQueue(new QueueSettings("t", 1, 0, 2, null, null, false)));
        submit(job("hung").onQueue("t").withTimeout(1));
        ClaimedJob claimed = await(store().claimJobs(new ClaimRequest("d1", 1, LEASE, OptionalInt.empty(), "t",
                Duration.ofMillis(200)))).get(0);
        assertThat(await(store().heartbeatJob(claimed.lease(), LEASE))).isEqualTo(LeaseState.HELD);
        Job running = await(store().findJob(claimed.job().id())).orElseThrow();
        assertThat(running.leaseExpiresAt()).as("capped at start + timeout + grace")
                .isBefore(running.startedAt().plusMillis(1_300));

        int[] reaped = { 0 };
        until("the hung job reaped", Duration.ofSeconds(10), () -> (reaped[0] += await(store().reapExpiredLeases())) >= 1);
        Job back = await(store().findJob(claimed.job().id())).orElseThrow();
        assertThat(back.status()).as("retried: attempts remain").isEqualTo(JobStatus.QUEUED);
        assertThat(back.error()).startsWith("timed out after 1 s");
        assertThat(claim("d2", 1, "t")).as("the queue slot is free again").hasSize(1);
    }

    @Test
    void concurrentSubmitsOfOneUniqueKeyMakeOneJobWhileItIsActive() {
        await(store().putQueue(QueueSettings.named("u")));
        List<Uni<SubmitResult>> submits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            submits.add(store().submitJob(job("nightly").onQueue("u").withUnique(UniqueKey.whileActive("report-42"))));
        }
        List<SubmitResult> results = Uni.join().all(submits).andFailFast().await().atMost(Duration.ofSeconds(30));
        assertThat(results).filteredOn(SubmitResult::created).hasSize(1);
        assertThat(results).extracting(r -> r.job().id()).containsOnly(results.get(0).job().id());
        assertThat(results.get(0).job().uniqueKey()).isEqualTo("report-42");
        assertThat(submit(job("other").withUnique(UniqueKey.whileActive("report-42"))).queue())
                .as("the key is per queue").isEqualTo("default");

        ClaimedJob running = claim("d1", 1, "u").get(0);
        assertThat(await(store().submitJob(job("again").onQueue("u").withUnique(UniqueKey.whileActive("report-42"))))
                .created()).as("still running").isFalse();
        await(store().completeJob(running.lease()));
        SubmitResult after = await(store().submitJob(job("again").onQueue("u")
                .withUnique(UniqueKey.whileActive("report-42"))));
        assertThat(after.created()).as("released when the job ended").isTrue();
    }

    @Test
    void aUniqueKeyForAPeriodHoldsAfterTheJobEndedUntilThePeriodEnds() {
        UniqueKey daily = UniqueKey.forPeriod("daily", Duration.ofHours(1));
        Job first = submit(job("first").withUnique(daily));
        await(store().completeJob(claim("d1", 1, "default").get(0).lease()));
        SubmitResult second = await(store().submitJob(job("second").withUnique(daily)));
        assertThat(second.created()).isFalse();
        assertThat(second.job().id()).isEqualTo(first.id());

        fixture().update("update job_unique_keys set expires_at = current_timestamp - interval '1' second");
        assertThat(await(store().submitJob(job("third").withUnique(daily))).created()).as("period over").isTrue();
    }

    @Test
    void anIdempotencyKeyNamesItsJobOnlyForItsLifetime() {
        IdempotencyKey key = new IdempotencyKey("key:billing", "k-1");
        NewJob request = new NewJob("pay", "alice", "demo", Map.of(), 0, 3, null, key);
        Job first = await(store().submitJob(request)).job();
        assertThat(await(store().submitJob(request)).created()).isFalse();

        fixture().update("update jobs set created_at = created_at - interval '2' day where id = ?", first.id());
        SubmitResult later = await(store().submitJob(request));
        assertThat(later.created()).as("expired after 24 h").isTrue();
        assertThat(later.job().id()).isNotEqualTo(first.id());
        assertThat(await(store().submitJob(request)).job().id()).isEqualTo(later.job().id());
    }

    @Test
    void queuesAreListedWithTheirFigures() {
        await(store().putQueue(QueueSettings.named("q")));
        submit(job("now").onQueue("q"));
        submit(new NewJob("later", "alice", "demo", Map.of(), 0, 3, Instant.now().plusSeconds(3600), null).onQueue("q"));
        claim("d1", 1, "q");
        submit(job("waiting").onQueue("q"));
        QueueStatus q = await(store().findQueue("q")).orElseThrow();
        assertThat(List.of(q.ready(), q.delayed(), q.running())).containsExactly(1L, 1L, 1L);
        assertThat(q.oldestReadyAgeSeconds()).isGreaterThanOrEqualTo(0);
    }
}
