package dev.jobflow.oracle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;

import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.core.model.Schedule;
import dev.jobflow.core.sql.SqlJobStore;
import dev.jobflow.core.sql.SqlRows;
import dev.jobflow.core.store.JobParams;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.aq.AqSessions;
import dev.jobflow.oracle.aq.ReadyWatch;

/**
 * Oracle adapter of the job store. Ordinary SQL goes through the reactive Oracle client; the
 * queue is the AQ queue {@code JOBFLOW_DISPATCH_Q}, which a trigger feeds whenever a job becomes
 * QUEUED, and which claims read through the JDBC AQ API on virtual threads ({@link AqSessions}).
 * Statements live in {@code sql/oracle/queries/jobs.sql} under the names of the PostgreSQL ones;
 * what is the same in both dialects lives in {@link SqlJobStore}, this class holds what differs.
 */
public class OracleJobStore extends SqlJobStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OracleJobStore.class);
    private static final NamedQueries SQL = NamedQueries.load("db/queries/oracle/jobs.sql");
    /** ORA-00001: unique constraint violated (here: the idempotency key). */
    private static final int DUPLICATE_KEY = 1;

    private final AqSessions aq;
    private final AqClaim claim;
    private final int watchWaitSeconds;
    private final List<ReadyWatch> watches = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param replicaTtl a dispatcher replica not seen for this long no longer counts toward capacity
     * @param idempotencyKeyTtl how long an idempotency key names its job
     * @param watchWaitSeconds how long one wait of the ready watch lasts before it looks again
     */
    public OracleJobStore(Pool pool, AqSessions aq, Duration replicaTtl, Duration idempotencyKeyTtl,
            int watchWaitSeconds) {
        super(pool, SQL, replicaTtl, idempotencyKeyTtl);
        this.aq = aq;
        this.claim = new AqClaim(SQL, aq.queue());
        this.watchWaitSeconds = watchWaitSeconds;
    }

    @Override
    protected Uni<Optional<Job>> insertJob(SqlClient client, NewJob job, String fingerprint, AuditEntry audit) {
        if (client instanceof Pool) {
            return pool.withTransaction(conn -> insertJob(conn, job, fingerprint, audit));
        }
        IdempotencyKey key = job.idempotencyKey();
        return run(client, "next_job_id", Tuple.tuple())
                .map(rows -> rows.iterator().next().getLong("id"))
                .flatMap(id -> run(client, "submit_job", args(id, job.name(), job.owner(), job.type(),
                        JobParams.write(job.params()), job.priority(), job.maxAttempts(),
                        SqlRows.offsetDateTime(job.runAt()), key == null ? null : key.key(),
                        key == null ? null : key.caller(), fingerprint, job.timeoutSeconds(),
                        job.unique() == null ? null : job.unique().key(), job.traceParent(), job.queue()))
                        .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(Optional.<Job> empty())
                                : audited(client, audit, id).flatMap(done -> findJob(client, id)).map(Optional::of)))
                // The caller's idempotency key names an existing job: the insert (and its enqueue) rolled back.
                .onFailure(OracleJobStore::isDuplicateKey).recoverWithItem(Optional.empty());
    }

    /** The audit row of a submit that inserted job {@code id}, in its transaction (none without one). */
    private Uni<Void> audited(SqlClient client, AuditEntry audit, long id) {
        return audit == null ? Uni.createFrom().voidItem()
                : run(client, "audit", auditArgs(audit, AuditEntry.jobTarget(id))).replaceWithVoid();
    }

    @Override
    protected Uni<Optional<Job>> insertScheduledJob(SqlConnection conn, Schedule schedule, Instant due) {
        return run(conn, "next_job_id", Tuple.tuple())
                .map(rows -> rows.iterator().next().getLong("id"))
                .flatMap(id -> run(conn, "insert_scheduled_job", args(id, schedule.owner(), schedule.type(),
                        JobParams.write(schedule.params()), schedule.name(), SqlRows.offsetDateTime(due),
                        schedule.queue()))
                        .flatMap(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(Optional.<Job> empty())
                                : findJob(conn, id).map(Optional::of)))
                .onFailure(OracleJobStore::isDuplicateKey).recoverWithItem(Optional.empty());
    }

    @Override
    protected Object jsonArg(Map<String, Object> params) {
        return JobParams.write(params);
    }

    /** Without index terms, no Oracle Text query: search_jobs_short (the exact check alone). */
    @Override
    protected String searchStatement(List<String> terms) {
        return terms.isEmpty() ? "search_jobs_short" : "search_jobs";
    }

    /**
     * search_jobs: an Oracle Text query that every word of the search is part of a term
     * ({@code %word%}, served by the substring index of V017), then the text itself (the exact check);
     * search_jobs_short: the text only.
     */
    @Override
    protected List<Object> searchBinds(String text, List<String> terms) {
        return terms.isEmpty() ? List.of(text)
                : List.of(String.join(" and ", terms.stream().map(term -> "%" + term + "%").toList()), text);
    }

    /** DRG-51030: a wildcard matched more terms than Oracle Text expands. */
    @Override
    protected boolean isSearchTooBroad(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("DRG-51030");
    }

    @Override
    protected boolean isUniqueViolation(Throwable failure) {
        return isDuplicateKey(failure);
    }

    @Override
    public Uni<List<ClaimedJob>> claimJobs(ClaimRequest request) {
        return claimJobs(request, Duration.ZERO);
    }

    /**
     * The long poll: like {@link #claimJobs(ClaimRequest)}, but when nothing is ready it waits up
     * to {@code wait} (whole seconds, AQ's unit) in the dequeue for work.
     */
    public Uni<List<ClaimedJob>> claimJobs(ClaimRequest request, Duration wait) {
        String owner = request.owner();
        int max = request.max();
        Duration leaseFor = request.leaseFor();
        if (max <= 0) {
            return Uni.createFrom().item(List.of());
        }
        int waitSeconds = (int) Math.min(Integer.MAX_VALUE, wait.toSeconds());
        return aq.call("claim", connection -> claim.run(connection, request, waitSeconds))
                .map(claimed -> {
                    List<ClaimedJob> sorted = new ArrayList<>(claimed);
                    sorted.sort(CLAIM_ORDER);
                    return sorted;
                })
                .invoke(claimed -> watches.forEach(ReadyWatch::claimed));
    }

    @Override
    public Uni<LeaseState> heartbeatJob(Lease lease, Duration leaseFor) {
        return leaseUpdate("heartbeat_job", lease, args(leaseFor.toMillis(), lease.jobId(), lease.token()));
    }

    @Override
    public Uni<LeaseState> reportProgress(Lease lease, int pct, String message, Duration leaseFor) {
        checkPct(pct);
        return leaseUpdate("report_progress", lease,
                args(pct, progressText(message), leaseFor.toMillis(), lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Void> failJob(Lease lease, Failure failure) {
        // The retry is the trigger's enqueue with delay run_at - now: no wake-up call needed. A null
        // retryAt fails the job at once. The retry time is bound once per use in the statement.
        Object at = SqlRows.offsetDateTime(failure.retry().orElse(null));
        return fenced("fail_job", lease, args(at, at, at, at, errorText(failure.error()), lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Integer> reapExpiredLeases() {
        Uni<Integer> reaped = pool.withTransaction(conn -> run(conn, "reap_expired_leases", Tuple.tuple())
                .flatMap(rows -> {
                    List<Tuple> ids = new ArrayList<>(rows.size());
                    rows.forEach(row -> ids.add(args(row.getLong("id"))));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return conn.preparedQuery(SQL.get("reap_expired_lease")).executeBatch(ids)
                            .map(done -> ids.size());
                }));
        // Also give a fresh message to any QUEUED job whose message went missing (its own transaction).
        return reaped.call(count -> run(pool, "requeue_orphans", Tuple.tuple()).invoke(rows -> {
            long requeued = rows.iterator().next().getLong("requeued");
            if (requeued > 0) {
                LOG.warnf("re-enqueued %d queued jobs whose AQ message was missing", requeued);
            }
        }));
    }

    /**
     * The AQ exception queue, by age and count, at most a batch per pass: V019's
     * {@code jobflow_aq.purge_exceptions} (the owner's autonomous transaction; the retention lock of
     * the calling pass keeps it to one replica at a time).
     */
    @Override
    protected Uni<Integer> pruneExceptionQueue(SqlConnection conn, RetentionPolicy policy) {
        return run(conn, "prune_exception_queue", args(policy.exceptionQueueMaxAge().toMillis(),
                policy.exceptionQueueMaxCount(), policy.batch()))
                .map(rows -> rows.iterator().next().getInteger("removed"));
    }

    @Override
    public Uni<Void> heartbeatReplica(String replicaId, int slots, boolean draining) {
        return run(pool, "heartbeat_replica", args(replicaId, slots, draining ? 1 : 0)).replaceWithVoid();
    }

    /**
     * Wakes the ready watches of this replica at once (e.g. a capped slot was freed). Other
     * replicas' watches wake on their next enqueue or within a second (their re-wake interval).
     */
    @Override
    public void wakeDispatchers() {
        watches.forEach(ReadyWatch::claimed);
    }

    @Override
    public Uni<AutoCloseable> subscribeReady(Runnable listener) {
        return Uni.createFrom().item(() -> {
            ReadyWatch watch = new ReadyWatch(aq, listener, watchWaitSeconds, Duration.ofSeconds(1)).start();
            watches.add(watch);
            return () -> {
                watches.remove(watch);
                watch.close();
            };
        });
    }

    @Override
    public void close() throws Exception {
        for (ReadyWatch watch : watches) {
            watch.close();
        }
        watches.clear();
        aq.close();
    }

    /** The change, then the row as changed, in one transaction (PostgreSQL: RETURNING *). */
    @Override
    protected Uni<Optional<Job>> changeJob(String statement, Tuple args, long jobId) {
        return pool.withTransaction(conn -> run(conn, statement, args).flatMap(rows -> rows.rowCount() != 1
                ? Uni.createFrom().item(Optional.<Job> empty())
                : findJob(conn, jobId).map(Optional::of)));
    }

    /** An end changes one row or none (the lease is not the attempt's any more): its own transaction. */
    @Override
    protected Uni<Boolean> endJob(String statement, Tuple args, long jobId) {
        return pool.withTransaction(conn -> run(conn, statement, args).map(rows -> rows.rowCount() == 1));
    }

    /** A lease renewal, then the cancel flag (PostgreSQL: RETURNING cancel_requested). */
    private Uni<LeaseState> leaseUpdate(String statement, Lease lease, Tuple args) {
        return pool.withTransaction(conn -> run(conn, statement, args).flatMap(rows -> {
            if (rows.rowCount() != 1) {
                return Uni.createFrom().item(LeaseState.LOST);
            }
            return run(conn, "lease_state", args(lease.jobId(), lease.token())).map(state -> state.size() != 1
                    ? LeaseState.LOST
                    : state.iterator().next().getInteger("cancel_requested") == 1 ? LeaseState.CANCEL_REQUESTED
                            : LeaseState.HELD);
        }));
    }

    private Uni<Job> findJob(SqlClient conn, long id) {
        return run(conn, "find_job", args(id)).map(rows -> SqlRows.job(rows.iterator().next()));
    }

    private Uni<RowSet<Row>> run(SqlClient client, String statement, Tuple args) {
        return client.preparedQuery(sql.get(statement)).execute(args);
    }

    /** ORA-00001 (unique constraint violated), in either of the two ways the reactive client reports it. */
    public static boolean isDuplicateKey(Throwable failure) {
        // The reactive client turns a SQLException into a DatabaseException only when the driver
        // attached an OracleDatabaseException as its cause (FailureUtil.sanitize); else the
        // SQLException itself arrives. Both carry the ORA- number as their error code.
        return failure instanceof DatabaseException db && db.getErrorCode() == DUPLICATE_KEY
                || failure instanceof java.sql.SQLException sql && sql.getErrorCode() == DUPLICATE_KEY;
    }

}
