package dev.jobflow.oracle.e2e;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.PruneResult;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.oracle.OracleJobStore;
import dev.jobflow.oracle.OracleProgressLog;
import dev.jobflow.oracle.aq.DispatchQueue;
import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.oracle.testing.OracleTestSchema;

import oracle.jdbc.OracleConnection;

/**
 * The flow of the seeds on Oracle Free: a job submitted through the PL/SQL API wakes a waiting
 * long-poll claim, runs the demo procedure (which reports through jobflow_api.send) and completes;
 * the rooms show the whole story in offset order. Also the AQ-specific paths: an autonomous send
 * survives the caller's rollback, a cancelled job's message is dropped by the next claim, a delayed
 * job waits for its time, a job whose message went missing is re-enqueued by the reaper, the
 * exception queue is purged. The store runs as the service user (OracleStoreFixture). Skipped
 * without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleEndToEndTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private OracleStoreFixture oracle;
    private OracleTestSchema schema;
    private OracleJobStore store;
    private OracleProgressLog log;

    @BeforeEach
    void start() {
        oracle = new OracleStoreFixture("e2e");
        schema = oracle.schema;
        store = oracle.store;
        log = oracle.log;
    }

    @AfterEach
    void stop() throws Exception {
        oracle.close();
    }

    @Test
    void aJobSubmittedInTheDatabaseWakesTheLongPollRunsTheDemoProcedureAndReportsToItsRooms() throws Exception {
        CompletableFuture<List<ClaimedJob>> waiting = store
                .claimJobs(new ClaimRequest("d1", 1, LEASE, OptionalInt.empty()), Duration.ofSeconds(20))
                .subscribeAsCompletionStage();
        long id;
        Instant submitted;
        try (Connection c = schema.connect()) {
            c.setAutoCommit(false);
            id = submitInDatabase(c, "nightly load", "alice", "{\"duration\": 2}", "e2e-1");
            assertThat(submitInDatabase(c, "again", "alice", "{}", "e2e-1")).as("idempotency key").isEqualTo(id);
            submitted = Instant.now();
            c.commit();
        }
        List<ClaimedJob> claimed = waiting.get(10, TimeUnit.SECONDS);
        Duration wake = Duration.between(submitted, Instant.now());
        assertThat(claimed).extracting(j -> j.job().id()).containsExactly(id);
        assertThat(wake).as("the long poll wakes on the enqueue, not after its wait").isLessThan(Duration.ofSeconds(3));

        try (Connection c = schema.connect();
                CallableStatement demo = c.prepareCall(
                        "begin jobflow_api.demo_job(p_job_id => ?, p_interval => 1); end;")) {
            demo.setLong(1, id);
            demo.execute();
        }
        await(store.completeJob(claimed.get(0).lease()));
        assertThat(await(store.findJob(id)).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);

        List<LogEntry> room = await(log.roomHistory("job:" + id, 0, 100));
        assertThat(room).extracting(e -> e.payload().getString("status") + "@" + e.payload().getInteger("pct"))
                .containsExactly("QUEUED@0", "RUNNING@0", "RUNNING@50", "COMPLETED@100", "COMPLETED@100");
        assertThat(room).extracting(LogEntry::offset).isSorted().doesNotHaveDuplicates();
        assertThat(await(log.roomHistory("user:alice", 0, 100))).hasSameSizeAs(room);
    }

    @Test
    void anAutonomousSendIsVisibleAtOnceAndSurvivesTheCallersRollback() throws Exception {
        try (Connection c = schema.connect();
                CallableStatement send = c.prepareCall(
                        "begin jobflow_api.send(?, ?); end;")) {
            c.setAutoCommit(false);
            send.setString(1, "room-x");
            send.setString(2, "{\"n\": 1}");
            send.execute();
            assertThat(await(log.roomHistory("room-x", 0, 10))).as("seen before the caller commits").hasSize(1);
            c.rollback();
        }
        assertThat(await(log.roomHistory("room-x", 0, 10))).extracting(e -> e.payload().getInteger("n"))
                .containsExactly(1);
    }

    @Test
    void aCancelledQueuedJobsMessageIsDroppedByTheNextClaim() throws Exception {
        long id = await(store.submitJob(NewJob.of("c", "bob", "demo", Map.of()))).job().id();
        assertThat(messagesFor(id)).isEqualTo(1);
        await(store.cancelJob(id));
        assertThat(messagesFor(id)).as("cancel only marks the job (V012)").isEqualTo(1);
        assertThat(await(store.claimJobs(ClaimRequest.of("d1", 5, LEASE)))).isEmpty();
        assertThat(messagesFor(id)).as("the claim consumed the stale message").isZero();
    }

    /**
     * A message whose claims roll back more than max_retries (5) times lands in the exception queue;
     * the reaper gives its job a fresh message and the retention pass purges the stale one, all as
     * the service user (V019's jobflow_aq runs as the owner).
     */
    @Test
    void aMessageInTheExceptionQueueIsReplacedByTheReaperAndPurgedByRetention() throws Exception {
        long id = await(store.submitJob(NewJob.of("poison", "bob", "demo", Map.of()))).job().id();
        DispatchQueue queue = new DispatchQueue(schema.user());
        for (int i = 0; i < 6; i++) {
            try (Connection c = schema.connectAsService()) {
                c.setAutoCommit(false);
                assertThat(queue.take(c.unwrap(OracleConnection.class), "default", 10, 0)).hasSize(1);
                c.rollback();
            }
        }
        assertThat(exceptionMessages()).isEqualTo(1);
        assertThat(await(store.claimJobs(ClaimRequest.of("d1", 1, LEASE)))).isEmpty();

        await(store.reapExpiredLeases());
        assertThat(await(store.claimJobs(ClaimRequest.of("d1", 1, LEASE)))).extracting(c -> c.job().id()).containsExactly(id);

        RetentionPolicy keepNone = new RetentionPolicy(Duration.ofDays(7), 1000, Duration.ofDays(1), Duration.ofDays(1),
                Duration.ofDays(1), Duration.ofDays(7), 0, 100);
        PruneResult pruned = await(store.prune(keepNone));
        assertThat(pruned.exceptionMessages()).isEqualTo(1);
        assertThat(exceptionMessages()).isZero();
        assertThat(await(store.prune(keepNone)).exceptionMessages()).isZero();
    }

    @Test
    void aDelayedJobIsClaimedByTheLongPollWhenItsTimeComes() {
        Instant runAt = Instant.now().plusSeconds(2);
        long id = await(store.submitJob(new NewJob("later", "bob", "demo", Map.of(), 0, 3, runAt, null))).job().id();
        assertThat(await(store.claimJobs(ClaimRequest.of("d1", 1, LEASE)))).isEmpty();

        List<ClaimedJob> claimed = store
                .claimJobs(new ClaimRequest("d1", 1, LEASE, OptionalInt.empty()), Duration.ofSeconds(10)).await()
                .atMost(Duration.ofSeconds(15));
        assertThat(claimed).extracting(c -> c.job().id()).containsExactly(id);
        assertThat(Instant.now()).isAfterOrEqualTo(runAt);
    }

    @Test
    void aQueuedJobWhoseMessageWentMissingIsReEnqueuedByTheReaper() throws Exception {
        long id = await(store.submitJob(NewJob.of("lost", "bob", "demo", Map.of()))).job().id();
        try (Connection c = schema.connect()) {
            c.setAutoCommit(false);
            assertThat(new DispatchQueue(schema.user()).take(c.unwrap(OracleConnection.class), "default", 10, 0))
                    .hasSize(1);
            c.commit(); // the message is gone, the row is still QUEUED
        }
        assertThat(await(store.claimJobs(ClaimRequest.of("d1", 1, LEASE)))).isEmpty();

        await(store.reapExpiredLeases());
        assertThat(await(store.claimJobs(ClaimRequest.of("d1", 1, LEASE)))).extracting(c -> c.job().id()).containsExactly(id);
    }

    @Test
    void theGlobalCapHoldsAcrossClaimersAndFreesWhenAJobEnds() {
        for (int i = 0; i < 4; i++) {
            await(store.submitJob(NewJob.of("capped" + i, "bob", "demo", Map.of())));
        }
        List<ClaimedJob> first = await(store.claimJobs(new ClaimRequest("d1", 3, LEASE, OptionalInt.of(2))));
        assertThat(first).hasSize(2);
        assertThat(await(store.claimJobs(new ClaimRequest("d2", 3, LEASE, OptionalInt.of(2))))).as("cap reached").isEmpty();

        await(store.completeJob(first.get(0).lease()));
        assertThat(await(store.claimJobs(new ClaimRequest("d2", 3, LEASE, OptionalInt.of(2))))).as("one slot freed").hasSize(1);
        assertThat(await(store.claimJobs(ClaimRequest.of("d3", 3, LEASE)))).as("uncapped claimers are not limited").hasSize(1);
    }

    @Test
    void theReplicaDirectoryShowsEachReplicaWithItsLastCycle() throws Exception {
        Instant now = Instant.now();
        await(store.heartbeatReplica("r1", 2, false));
        await(store.heartbeatReplica("r2", 1, true));
        await(store.recordCycle(new dev.jobflow.core.model.CycleRecord("r1", now.minusSeconds(60), now.minusSeconds(30),
                3, 2, 1, 1)));
        await(store.recordCycle(new dev.jobflow.core.model.CycleRecord("r1", now.minusSeconds(30), now, 5, 4, 4, 0)));

        var replicas = await(new dev.jobflow.core.sql.SqlReplicaDirectory(oracle.pool(),
                dev.jobflow.core.store.NamedQueries.load("db/queries/oracle/replicas.sql"), Duration.ofSeconds(30),
                Duration.ofMinutes(10))
                .listReplicas());
        assertThat(replicas).extracting(r -> r.replicaId()).containsExactly("r1", "r2");
        assertThat(replicas.get(0).alive()).isTrue();
        assertThat(replicas.get(0).lastCycle().polls()).isEqualTo(5);
        assertThat(replicas.get(1).draining()).isTrue();
        assertThat(replicas.get(1).lastCycle()).isNull();
    }

    private static long submitInDatabase(Connection c, String name, String owner, String params, String key)
            throws SQLException {
        try (CallableStatement call = c.prepareCall(
                "begin ? := jobflow_api.submit_job(p_name => ?, p_owner => ?, p_params => ?, p_idempotency_key => ?); end;")) {
            call.registerOutParameter(1, Types.NUMERIC);
            call.setString(2, name);
            call.setString(3, owner);
            call.setString(4, params);
            call.setString(5, key);
            call.execute();
            return call.getLong(1);
        }
    }

    /** Messages of the dispatch queue for the job (the payload is its id), read as the owner. */
    private int messagesFor(long id) throws SQLException {
        return count("select count(*) from jobflow_dispatch_qt where q_name = 'JOBFLOW_DISPATCH_Q'"
                + " and utl_raw.cast_to_varchar2(user_data) = '" + id + "'");
    }

    private int exceptionMessages() throws SQLException {
        return count("select count(*) from jobflow_dispatch_qt where q_name = 'JOBFLOW_DISPATCH_EQ'");
    }

    private int count(String sql) throws SQLException {
        try (Connection c = schema.connect(); PreparedStatement count = c.prepareStatement(sql)) {
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

}
