package dev.jobflow.postgres;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.store.QueueNotFoundException;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.BackendContract;

/**
 * Concurrent submits and audit rows really commit together: rows written by one transaction share
 * its id ({@code xmin}), so far fewer transaction ids than calls, and transactions holding both
 * kinds, prove the grouping, not just its answers.
 */
class PgGroupCommitTest extends BackendContract {
    private static final int CALLS = 64;

    PgGroupCommitTest() {
        super("groupcommit");
    }

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }

    private long count(String sql) {
        return Long.parseLong(await(fixture().pool().query(sql).execute()).iterator().next().getValue(0).toString());
    }

    @Test
    void concurrentSubmitsAndAuditRowsShareTransactionsAndEachIsAnsweredOnceDurable() {
        List<Uni<Object>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(store().submitJob(NewJob.of("grouped-" + i, "alice", "noop", Map.of())).map(r -> r));
            calls.add(store().audit(AuditEntry.of("alice", "key", "POST /api/v1/jobs", "jobs/" + i, "status 201"))
                    .map(r -> (Object) "audited"));
        }
        await(Uni.join().all(calls).andFailFast());

        assertThat(count("select count(*) from jobs where name like 'grouped-%'")).isEqualTo(CALLS);
        assertThat(count("select count(distinct target) from audit_log where actor = 'alice' and via = 'key'"
                + " and action = 'POST /api/v1/jobs' and detail = 'status 201' and target like 'jobs/%'"))
                .as("every audit row as written, each its own").isEqualTo(CALLS);
        long transactions = count("select count(distinct xmin::text) from (select xmin from jobs"
                + " union all select xmin from audit_log) rows");
        assertThat(transactions).as("transactions for %d calls", 2 * CALLS).isLessThan(CALLS / 2);
        assertThat(count("select count(*) from jobs j join audit_log a on a.xmin::text = j.xmin::text"))
                .as("submits and audit rows in one transaction").isPositive();
    }

    /**
     * Concurrent submits go out as one statement ({@code submit_jobs}), and each is still answered
     * with its own job: its name and params, a job of its own; one that names an unknown queue fails
     * alone; submits with one idempotency key make one job, every one of them answered with it.
     */
    @Test
    void concurrentSubmitsInOneStatementAreEachAnsweredWithTheirOwnJob() {
        List<Uni<Object>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            AuditEntry audit = AuditEntry.of("caller-" + i, "key", "POST /api/v1/jobs", null, "status 201");
            calls.add(store().submitJob(NewJob.of("own-" + i, "dora", "noop", Map.of("n", i)), audit)
                    .map(result -> (Object) (result.created() && result.job().name().equals("own-" + n)
                            && result.job().params().equals(Map.of("n", n)) ? "own" : "mixed up: " + result.job())));
        }
        IdempotencyKey key = new IdempotencyKey("dora", "same-key");
        NewJob keyed = new NewJob("keyed", "dora", "noop", Map.of(), null, null, null, key, null, null, null);
        for (int i = 0; i < 4; i++) {
            calls.add(store().submitJob(keyed, AuditEntry.of("keyed", "key", "POST /api/v1/jobs", null, "status 201"))
                    .map(result -> (Object) result.job().id()));
        }
        NewJob lost = new NewJob("lost", "dora", "noop", Map.of(), null, null, null, null, "no-such-queue", null, null);
        calls.add(store().submitJob(lost, AuditEntry.of("lost", "key", "POST /api/v1/jobs", null, "status 201"))
                .map(result -> (Object) "inserted into an unknown queue")
                .onFailure(QueueNotFoundException.class).recoverWithItem("refused"));
        List<Object> answers = await(Uni.join().all(calls).andFailFast());

        assertThat(answers.subList(0, CALLS)).containsOnly("own");
        assertThat(answers.subList(CALLS, CALLS + 4)).as("one job for one key").containsOnly(answers.get(CALLS));
        assertThat(answers.get(CALLS + 4)).isEqualTo("refused");
        assertThat(count("select count(distinct id) from jobs where owner = 'dora'")).isEqualTo(CALLS + 1);
        assertThat(count("select count(distinct xmin::text) from jobs where owner = 'dora'"))
                .as("transactions for %d submits", CALLS + 5).isLessThan(CALLS / 2);
        // each created job's audit row is its caller's, committed with it; none for what was not created
        assertThat(count("select count(*) from audit_log a join jobs j on a.target = 'jobs/' || j.id "
                + "where a.actor = 'caller-' || (j.params ->> 'n') and a.xmin = j.xmin and a.detail = 'status 201'"))
                .as("own audit rows").isEqualTo(CALLS);
        assertThat(count("select count(*) from audit_log where actor = 'keyed'")).as("one for the key's one job")
                .isEqualTo(1);
        assertThat(count("select count(*) from audit_log")).as("nothing else").isEqualTo(CALLS + 1);
    }

    /**
     * One flush at a time, but an end that waits on a row lock (an operator's long statement holding
     * its job) does not stop the process's other writes: past the stall limit another flush goes out
     * beside it. The waiting end still commits once the lock is gone.
     */
    @Test
    void aWriteWaitingOnARowLockDoesNotStopTheOthers() {
        await(store().submitJob(NewJob.of("locked", "carol", "noop", Map.of())));
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, Duration.ofSeconds(30)))).get(0);
        SqlConnection holder = await(fixture().pool().getConnection());
        try {
            Transaction lock = await(holder.begin());
            await(holder.preparedQuery("select 1 from jobs where id = $1 for update")
                    .execute(Tuple.of(claimed.lease().jobId())));
            UniAssertSubscriber<Void> end = store().completeJob(claimed.lease(), "\"done\"").subscribe()
                    .withSubscriber(UniAssertSubscriber.create());

            Job meanwhile = await(store().submitJob(NewJob.of("meanwhile", "carol", "noop", Map.of()))).job();
            assertThat(meanwhile.id()).isPositive();
            end.assertNotTerminated();

            await(lock.rollback());
            end.awaitItem(Duration.ofSeconds(30));
            assertThat(await(store().findJob(claimed.lease().jobId())).orElseThrow().result()).isEqualTo("done");
        } finally {
            await(holder.close());
        }
    }

    @Test
    void concurrentEndsCommitTogetherAndEachCompletesItsOwnJob() {
        for (int i = 0; i < CALLS; i++) {
            await(store().submitJob(NewJob.of("ending-" + i, "bob", "noop", Map.of())));
        }
        List<ClaimedJob> claimed = await(store().claimJobs(ClaimRequest.of("d1", CALLS, Duration.ofSeconds(30))));
        List<Uni<Void>> ends = new ArrayList<>();
        claimed.forEach(job -> ends.add(store().completeJob(job.lease(), "\"" + job.lease().jobId() + "\"")));
        await(Uni.join().all(ends).andFailFast());

        for (ClaimedJob job : claimed) {
            Job done = await(store().findJob(job.lease().jobId())).orElseThrow();
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result()).isEqualTo(String.valueOf(job.lease().jobId()));
        }
        long transactions = count("select count(distinct xmin::text) from jobs where name like 'ending-%'");
        assertThat(transactions).as("transactions for %d ends", CALLS).isLessThan(CALLS / 2);
    }
}
