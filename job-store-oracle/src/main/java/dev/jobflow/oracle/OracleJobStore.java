package dev.jobflow.oracle;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.SubmitResult;
import dev.jobflow.core.store.ColumnLimits;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.JobStateException;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.LeaseLostException;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.aq.AqSessions;
import dev.jobflow.oracle.aq.ReadyWatch;

/**
 * Oracle adapter of the job store. Ordinary SQL goes through the reactive Oracle client; the
 * queue is the AQ queue {@code JOBFLOW_DISPATCH_Q}, which a trigger feeds whenever a job becomes
 * QUEUED, and which claims read through the JDBC AQ API on virtual threads ({@link AqSessions}).
 * Statements live in {@code sql/oracle/queries/jobs.sql} under the names of the PostgreSQL ones;
 * this class follows {@code PgJobStore} method by method.
 */
public class OracleJobStore implements JobStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OracleJobStore.class);
    private static final NamedQueries SQL = NamedQueries.load("db/queries/oracle/jobs.sql");
    /** ORA-00001: unique constraint violated (here: the idempotency key). */
    private static final int DUPLICATE_KEY = 1;
    private static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator
            .comparingInt((ClaimedJob c) -> -c.job().priority())
            .thenComparing(c -> c.job().runAt())
            .thenComparingLong(c -> c.job().id());

    private final Pool pool;
    private final AqSessions aq;
    private final AqClaim claim = new AqClaim(SQL);
    private final Duration replicaTtl;
    private final int watchWaitSeconds;
    private final List<ReadyWatch> watches = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param replicaTtl a dispatcher replica not seen for this long no longer counts toward capacity
     * @param watchWaitSeconds how long one wait of the ready watch lasts before it looks again
     */
    public OracleJobStore(Pool pool, AqSessions aq, Duration replicaTtl, int watchWaitSeconds) {
        this.pool = pool;
        this.aq = aq;
        this.replicaTtl = replicaTtl;
        this.watchWaitSeconds = watchWaitSeconds;
    }

    @Override
    public Uni<SubmitResult> submitJob(NewJob job) {
        Uni<SubmitResult> insert = pool.withTransaction(conn -> run(conn, "next_job_id", Tuple.tuple())
                .map(rows -> rows.iterator().next().getLong("id"))
                .flatMap(id -> run(conn, "submit_job", args(id, job.name(), job.owner(), job.type(),
                        OracleRows.toJson(job.params()), job.priority(), job.maxAttempts(),
                        OracleRows.offsetDateTime(job.runAt()), job.idempotencyKey()))
                        .flatMap(inserted -> findJob(conn, id)))
                .map(created -> new SubmitResult(created, true)));
        if (job.idempotencyKey() == null) {
            return insert;
        }
        // The idempotency key matched an existing job: the insert (and its enqueue) rolled back.
        return insert.onFailure(OracleJobStore::isDuplicateKey).recoverWithUni(() -> run(pool,
                "find_job_by_idempotency_key", args(job.idempotencyKey()))
                .map(existing -> new SubmitResult(OracleRows.job(existing.iterator().next()), false)));
    }

    @Override
    public Uni<Optional<Job>> findJob(long id) {
        return run(pool, "find_job", args(id)).map(OracleJobStore::firstJob);
    }

    @Override
    public Uni<JobPage> listJobs(JobQuery query) {
        Tuple args = args(query.status() == null ? null : query.status().name(), query.owner(), query.beforeId(),
                query.limit() + 1);
        return run(pool, "list_jobs", args).map(rows -> {
            List<Job> jobs = jobs(rows);
            if (jobs.size() > query.limit()) {
                List<Job> page = jobs.subList(0, query.limit());
                return new JobPage(List.copyOf(page), page.get(page.size() - 1).id());
            }
            return new JobPage(jobs, null);
        });
    }

    @Override
    public Uni<Job> cancelJob(long id) {
        return pool.withTransaction(conn -> run(conn, "cancel_job", args(id)).flatMap(rows -> {
            if (rows.rowCount() == 1) {
                return findJob(conn, id);
            }
            return run(conn, "find_job", args(id)).map(found -> {
                Job job = firstJob(found).orElseThrow(() -> new JobNotFoundException(id));
                if (job.status() == JobStatus.CANCELLED) {
                    return job;
                }
                throw new JobStateException(id, job.status(), "cancel");
            });
        }));
    }

    @Override
    public Uni<Optional<String>> jobApiKeyName(String keySha256) {
        return run(pool, "job_api_key_name", args(keySha256))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("name")));
    }

    @Override
    public Uni<QueueStats> queueStats() {
        Uni<Row> queue = run(pool, "queue_stats", Tuple.tuple()).map(rows -> rows.iterator().next());
        Uni<Row> capacity = run(pool, "replica_capacity", args(replicaTtl.toMillis()))
                .map(rows -> rows.iterator().next());
        return Uni.combine().all().unis(queue, capacity).asTuple().map(t -> new QueueStats(
                t.getItem1().getLong("ready"),
                t.getItem1().getLong("delayed"),
                t.getItem1().getLong("running"),
                t.getItem1().getDouble("oldest_ready_age"),
                t.getItem2().getLong("capacity"),
                t.getItem2().getInteger("replicas")));
    }

    @Override
    public Uni<List<ClaimedJob>> claimJobs(String owner, int max, Duration leaseFor) {
        return claimJobs(owner, max, leaseFor, OptionalInt.empty());
    }

    /**
     * With a global cap the database never lets more than that many jobs be RUNNING across all
     * capped claimers (dispatch_cap_slots, V006).
     */
    @Override
    public Uni<List<ClaimedJob>> claimJobs(String owner, int max, Duration leaseFor, OptionalInt globalCap) {
        return claimJobs(owner, max, leaseFor, globalCap, Duration.ZERO);
    }

    /**
     * The long poll: like {@link #claimJobs(String, int, Duration, OptionalInt)}, but when nothing
     * is ready it waits up to {@code wait} (whole seconds, AQ's unit) in the dequeue for work.
     */
    public Uni<List<ClaimedJob>> claimJobs(String owner, int max, Duration leaseFor, OptionalInt globalCap,
            Duration wait) {
        if (max <= 0) {
            return Uni.createFrom().item(List.of());
        }
        int waitSeconds = (int) Math.min(Integer.MAX_VALUE, wait.toSeconds());
        return aq.call("claim", connection -> claim.run(connection, owner, max, leaseFor, waitSeconds, globalCap))
                .map(claimed -> {
                    List<ClaimedJob> sorted = new ArrayList<>(claimed);
                    sorted.sort(CLAIM_ORDER);
                    return sorted;
                })
                .invoke(claimed -> watches.forEach(ReadyWatch::claimed));
    }

    @Override
    public Uni<Optional<Instant>> nextDelayedRunAt() {
        return run(pool, "next_delayed_run_at", Tuple.tuple())
                .map(rows -> Optional.ofNullable(OracleRows.instant(rows.iterator().next(), "run_at")));
    }

    @Override
    public Uni<LeaseState> heartbeatJob(Lease lease, Duration leaseFor) {
        return leaseUpdate("heartbeat_job", lease, args(leaseFor.toMillis(), lease.jobId(), lease.token()));
    }

    @Override
    public Uni<LeaseState> reportProgress(Lease lease, int pct, String message, Duration leaseFor) {
        if (pct < 0 || pct > 100) {
            throw new IllegalArgumentException("pct must be between 0 and 100, was " + pct);
        }
        return leaseUpdate("report_progress", lease,
                args(pct, ColumnLimits.truncateToBytes(message, ColumnLimits.PROGRESS_MESSAGE_BYTES), leaseFor.toMillis(),
                        lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Job> completeJob(Lease lease) {
        return fenced("complete_job", lease, args(lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Job> failJob(Lease lease, String error, Instant retryAt) {
        // The retry is the trigger's enqueue with delay run_at - now: no wake-up call needed. A null
        // retryAt fails the job at once. The retry time is bound once per use in the statement.
        Object at = OracleRows.offsetDateTime(retryAt);
        return fenced("fail_job", lease, args(at, at, at, at, ColumnLimits.truncateToBytes(error, ColumnLimits.ERROR_BYTES),
                lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Job> cancelRunningJob(Lease lease) {
        return fenced("cancel_running_job", lease, args(lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Job> releaseJob(Lease lease) {
        return fenced("release_job", lease, args(lease.jobId(), lease.token()));
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
        // Also give a fresh message to any QUEUED job whose message went missing.
        return reaped.call(count -> run(pool, "requeue_orphans", Tuple.tuple()).invoke(rows -> {
            if (rows.rowCount() > 0) {
                LOG.warnf("re-enqueued %d queued jobs whose AQ message was missing", rows.rowCount());
            }
        }));
    }

    @Override
    public Uni<Void> heartbeatReplica(String replicaId, int slots, boolean draining) {
        return run(pool, "heartbeat_replica", args(replicaId, slots, draining ? 1 : 0)).replaceWithVoid();
    }

    @Override
    public Uni<Void> removeReplica(String replicaId) {
        return run(pool, "remove_replica", args(replicaId)).replaceWithVoid();
    }

    @Override
    public Uni<Void> recordCycle(CycleRecord cycle) {
        return run(pool, "record_cycle", args(cycle.replicaId(), OracleRows.offsetDateTime(cycle.startedAt()),
                OracleRows.offsetDateTime(cycle.endedAt()), cycle.polls(), cycle.claimed(), cycle.completed(),
                cycle.failed(), BigDecimal.valueOf(cycle.jobsPerSecond()))).replaceWithVoid();
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

    /** A fenced change, then the row as changed, in one transaction (PostgreSQL: RETURNING *). */
    private Uni<Job> fenced(String statement, Lease lease, Tuple args) {
        return pool.withTransaction(conn -> run(conn, statement, args).flatMap(rows -> {
            if (rows.rowCount() != 1) {
                return Uni.createFrom().failure(new LeaseLostException(lease));
            }
            return findJob(conn, lease.jobId());
        }));
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

    private static Uni<Job> findJob(SqlConnection conn, long id) {
        return run(conn, "find_job", args(id)).map(rows -> OracleRows.job(rows.iterator().next()));
    }

    private static Uni<RowSet<Row>> run(SqlClient client, String statement, Tuple args) {
        return client.preparedQuery(SQL.get(statement)).execute(args);
    }

    /** A tuple that may hold nulls (bound as SQL NULL). */
    static Tuple args(Object... values) {
        Tuple tuple = Tuple.tuple();
        for (Object value : values) {
            tuple.addValue(value);
        }
        return tuple;
    }

    private static boolean isDuplicateKey(Throwable failure) {
        // The reactive client turns a SQLException into a DatabaseException only when the driver
        // attached an OracleDatabaseException as its cause (FailureUtil.sanitize); else the
        // SQLException itself arrives. Both carry the ORA- number as their error code.
        return failure instanceof DatabaseException db && db.getErrorCode() == DUPLICATE_KEY
                || failure instanceof java.sql.SQLException sql && sql.getErrorCode() == DUPLICATE_KEY;
    }

    private static Optional<Job> firstJob(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(OracleRows.job(rows.iterator().next()));
    }

    private static List<Job> jobs(RowSet<Row> rows) {
        List<Job> jobs = new ArrayList<>(rows.size());
        rows.forEach(row -> jobs.add(OracleRows.job(row)));
        return jobs;
    }

}
