package dev.jobflow.postgres;

import java.lang.reflect.Array;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;

import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.PruneResult;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.core.model.Schedule;
import dev.jobflow.core.sql.GroupCommit;
import dev.jobflow.core.sql.SqlJobStore;
import dev.jobflow.core.sql.SqlRows;
import dev.jobflow.core.store.JobParams;
import dev.jobflow.core.store.NamedQueries;

/**
 * PostgreSQL adapter of the job store: the jobs table is the queue, claims use
 * {@code FOR UPDATE SKIP LOCKED}, wake-ups use {@code LISTEN/NOTIFY}, changed rows come back with
 * {@code RETURNING *}. What is the same in Oracle lives in {@link SqlJobStore}; statements in
 * {@code sql/postgres/queries/jobs.sql}.
 */
public class PgJobStore extends SqlJobStore {
    static final String READY_CHANNEL = "jobflow_jobs_ready";
    /**
     * One flush of the group commit at a time (each holds a pooled connection), so that each carries
     * what came while the last one ran: PostgreSQL spends a fifth less CPU per drained job than with
     * four side by side, which mostly waited on each other's commit-notification lock
     * (docs/benchmarks.md 2h, 2i). A flush still running after {@link #GROUP_STALLED_AFTER} (a row
     * lock held by an operator's bulk update, say) no longer holds up the process's other writes:
     * another starts beside it, up to {@link #GROUP_FLUSHES}.
     */
    private static final int GROUP_FLUSHES = 4;
    private static final Duration GROUP_STALLED_AFTER = Duration.ofSeconds(1);
    private static final int GROUP_MAX = 256;
    /** The element types of the set-based forms' arrays: submit_job's, complete_job's and audit's arguments. */
    private static final Class<?>[] SUBMIT_COLUMNS = { String.class, String.class, String.class, String.class,
            Integer.class, Integer.class, OffsetDateTime.class, String.class, String.class, String.class, String.class,
            Integer.class, String.class, String.class, String.class, String.class, String.class, String.class };
    private static final Class<?>[] COMPLETE_COLUMNS = { String.class, Long.class, Long.class };
    private static final Class<?>[] AUDIT_COLUMNS = { String.class, String.class, String.class, String.class,
            String.class };
    private static final Logger LOG = Logger.getLogger(PgJobStore.class);

    private final Vertx vertx;
    private final PgConnectOptions connectOptions;
    /** Wake-ups asked for since the last NOTIFY was sent ({@link #wakeDispatchers}); one covers all of them. */
    private final AtomicInteger pendingNotify = new AtomicInteger();
    /** The single-row writes of the hot paths that commit together (see {@link #writes}). */
    private static final Set<String> GROUPED = Set.of("submit_job", "complete_job", "fail_job", "audit");
    /**
     * Concurrent calls of the {@link #GROUPED} statements, committed together: one transaction and one
     * WAL flush for the submits, ends and audit rows of many requests at once (a submit's own audit
     * row goes in its submit_job call; other writes' audit rows ride with the next flush).
     */
    private final GroupCommit<Write, RowSet<Row>> writes;
    private final PgVacuum vacuum;

    /**
     * @param connectOptions for the LISTEN connection of {@link #subscribeReady}
     * @param replicaTtl a dispatcher replica not seen for this long no longer counts toward capacity
     * @param idempotencyKeyTtl how long an idempotency key names its job
     */
    public PgJobStore(Vertx vertx, Pool pool, PgConnectOptions connectOptions, Duration replicaTtl,
            Duration idempotencyKeyTtl) {
        super(pool, NamedQueries.load("db/queries/postgres/jobs.sql"), replicaTtl, idempotencyKeyTtl);
        this.vertx = vertx;
        this.connectOptions = connectOptions;
        // every table a pass prunes, directly or by cascade (a job's events and deliveries go with it)
        this.vacuum = new PgVacuum(pool, "jobs, job_runs, job_logs, job_events, job_webhook_deliveries, "
                + "dispatch_cycles, job_unique_keys, dispatcher_replicas, audit_log");
        this.writes = new GroupCommit<>(GROUP_FLUSHES, GROUP_STALLED_AFTER, GROUP_MAX, this::flush);
    }

    private record Write(String statement, Tuple args) {
    }

    /**
     * One statement's calls go out as one pipelined batch (one implicit transaction); several
     * statements' as one batch each inside one transaction. Answers come back in the calls' order.
     * Several calls of {@code complete_job}, {@code submit_job} or {@code audit} go out as one
     * set-based statement instead ({@code complete_jobs}, {@code submit_jobs}, {@code audit_rows}: a
     * half to a fifth of the database's CPU of one statement per call, docs/benchmarks.md 2h, 2j). Each
     * end is answered with all the ids {@code complete_jobs} returned ({@link #endJob} looks for its job's), each submit with
     * its own row, each audit row with nothing.
     */
    private Uni<List<RowSet<Row>>> flush(List<Write> batch) {
        Map<String, List<Integer>> byStatement = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byStatement.computeIfAbsent(batch.get(i).statement(), name -> new ArrayList<>()).add(i);
        }
        if (byStatement.size() == 1) {
            return executeBatch(pool, batch, byStatement.values().iterator().next());
        }
        return pool.withTransaction(conn -> {
            List<RowSet<Row>> answers = new ArrayList<>(Collections.nCopies(batch.size(), null));
            Uni<Void> all = Uni.createFrom().voidItem();
            for (List<Integer> positions : byStatement.values()) {
                all = all.flatMap(ignored -> executeBatch(conn, batch, positions).map(rows -> {
                    for (int i = 0; i < positions.size(); i++) {
                        answers.set(positions.get(i), rows.get(i));
                    }
                    return null;
                }));
            }
            return all.map(ignored -> answers);
        });
    }

    /** The calls at {@code positions} of one statement as one batch; their answers in that order. */
    private Uni<List<RowSet<Row>>> executeBatch(SqlClient client, List<Write> batch, List<Integer> positions) {
        String statement = batch.get(positions.get(0)).statement();
        List<Tuple> args = new ArrayList<>(positions.size());
        positions.forEach(i -> args.add(batch.get(i).args()));
        if (args.size() > 1) {
            switch (statement) {
                case "complete_job" -> {
                    return completeJobs(client, args);
                }
                case "submit_job" -> {
                    return submitJobs(client, args).map(rows -> rows.stream().map(CallRows::of).toList());
                }
                case "audit" -> {
                    // nobody reads an audit insert's answer: each call gets an empty one
                    return client.preparedQuery(sql.get("audit_rows")).execute(columns(args, AUDIT_COLUMNS))
                            .map(rows -> Collections.nCopies(args.size(), CallRows.none()));
                }
                default -> {
                    // one statement per call, pipelined, below
                }
            }
        }
        return client.preparedQuery(sql.get(statement)).executeBatch(args).map(first -> {
            List<RowSet<Row>> each = new ArrayList<>(positions.size());
            for (RowSet<Row> rows = first; rows != null; rows = rows.next()) {
                each.add(rows);
            }
            return each;
        });
    }

    /** Several {@code complete_job} calls (result, id, token) as one statement; each answered with all its rows. */
    private Uni<List<RowSet<Row>>> completeJobs(SqlClient client, List<Tuple> calls) {
        return client.preparedQuery(sql.get("complete_jobs")).execute(columns(calls, COMPLETE_COLUMNS))
                .map(rows -> Collections.nCopies(calls.size(), rows));
    }

    /**
     * The arguments of several calls of one statement as its set-based form takes them: one array per
     * argument (of the given element types), one element per call. A JSON argument goes as its text.
     */
    private static Tuple columns(List<Tuple> calls, Class<?>... types) {
        Object[] columns = new Object[types.length];
        for (int c = 0; c < types.length; c++) {
            Object[] column = (Object[]) Array.newInstance(types[c], calls.size());
            for (int i = 0; i < calls.size(); i++) {
                Object value = calls.get(i).getValue(c);
                column[i] = value instanceof JsonObject json ? json.encode() : value;
            }
            columns[c] = column;
        }
        return args(columns);
    }

    @Override
    public Uni<PruneResult> prune(RetentionPolicy policy) {
        return super.prune(policy).call(result -> result.removedAny() ? vacuum.afterDelete()
                : Uni.createFrom().voidItem());
    }

    @Override
    protected Uni<RowSet<Row>> query(String statement, Tuple args) {
        return GROUPED.contains(statement) ? writes.submit(new Write(statement, args)) : super.query(statement, args);
    }

    @Override
    protected Uni<Optional<Job>> insertJob(SqlClient client, NewJob job, String fingerprint, AuditEntry audit) {
        Tuple args = submitArgs(job, fingerprint, audit);
        Uni<RowSet<Row>> inserted = client == pool ? query("submit_job", args)
                : client.preparedQuery(sql.get("submit_job")).execute(args);
        return inserted.map(SqlJobStore::firstJob);
    }

    /** submit_job's arguments for {@code job} and its audit row (null: none). */
    private static Tuple submitArgs(NewJob job, String fingerprint, AuditEntry audit) {
        IdempotencyKey key = job.idempotencyKey();
        Tuple args = args(job.name(), job.owner(), job.type(), SqlRows.json(job.params()), job.priority(),
                job.maxAttempts(), SqlRows.offsetDateTime(job.runAt()), key == null ? null : key.key(),
                key == null ? null : key.caller(), fingerprint, job.queue(), job.timeoutSeconds(),
                job.unique() == null ? null : job.unique().key(), job.traceParent());
        // the audit row's target (jobs/<id>) is the statement's
        return audit == null ? args.addValue(null).addValue(null).addValue(null).addValue(null)
                : args.addValue(audit.actor()).addValue(audit.via()).addValue(audit.action())
                        .addValue(auditDetail(audit));
    }

    /** A batch's jobs in one statement; stops at the first not inserted (a shorter list: roll back). */
    @Override
    protected Uni<List<Job>> insertJobs(SqlConnection conn, List<NewJob> jobs, List<String> fingerprints) {
        List<Tuple> calls = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            calls.add(submitArgs(jobs.get(i), fingerprints.get(i), null));
        }
        return submitJobs(conn, calls).map(rows -> {
            List<Job> created = new ArrayList<>(rows.size());
            for (Row row : rows) {
                if (row.getLong("id") == null) {
                    break;
                }
                created.add(SqlRows.job(row));
            }
            return created;
        });
    }

    /**
     * Several submit_job calls as one statement ({@code submit_jobs}): one row per call, in their
     * order, with a null id where submit_job would have inserted nothing.
     */
    private Uni<List<Row>> submitJobs(SqlClient client, List<Tuple> calls) {
        int n = calls.size();
        return client.preparedQuery(sql.get("submit_jobs")).execute(columns(calls, SUBMIT_COLUMNS)).map(rows -> {
            List<Row> each = new ArrayList<>(n);
            rows.forEach(each::add);
            if (each.size() != n) {
                throw new IllegalStateException("submit_jobs answered " + each.size() + " rows for " + n + " jobs");
            }
            return each;
        });
    }

    @Override
    protected Uni<Optional<Job>> insertScheduledJob(SqlConnection conn, Schedule schedule, Instant due) {
        return conn.preparedQuery(sql.get("insert_scheduled_job")).execute(args(schedule.name(), schedule.owner(),
                schedule.type(), SqlRows.json(schedule.params()), SqlRows.offsetDateTime(due), schedule.queue()))
                .map(SqlJobStore::firstJob);
    }

    @Override
    protected Object jsonArg(Map<String, Object> params) {
        return SqlRows.json(params);
    }

    /** A LIKE pattern that finds {@code text} anywhere (its own % _ and \\ taken literally). */
    @Override
    protected List<Object> searchBinds(String text, List<String> terms) {
        return List.of("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }

    @Override
    protected boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    @Override
    public Uni<List<ClaimedJob>> claimJobs(ClaimRequest request) {
        if (request.max() <= 0) {
            return Uni.createFrom().item(List.of());
        }
        String owner = request.owner();
        OptionalInt cap = request.globalCap();
        Tuple args = args(request.max(), owner, request.leaseFor().toMillis(), cap.isPresent() ? cap.getAsInt() : null,
                request.queue(), request.timeoutGrace().toMillis());
        return query("claim_jobs", args).flatMap(rows -> {
            List<ClaimedJob> claimed = new ArrayList<>(rows.size());
            Uni<Void> failed = Uni.createFrom().voidItem();
            for (Row row : rows) {
                Lease lease = new Lease(row.getLong("id"), owner, row.getLong("lease_token"));
                try {
                    claimed.add(new ClaimedJob(SqlRows.job(row), lease, row.getString("trace_parent")));
                } catch (JobParams.Undecodable e) {
                    // One row the services cannot read must not stop the claim of the others: that job
                    // fails at once with the reason (its returned row is not decoded: it cannot be).
                    LOG.warnf("job %d: %s", lease.jobId(), e.getMessage());
                    Tuple fail = args(lease.jobId(), lease.token(), e.getMessage(), null);
                    failed = failed.chain(() -> query("fail_job", fail).replaceWithVoid());
                }
            }
            claimed.sort(CLAIM_ORDER);
            return failed.replaceWith(claimed);
        });
    }

    @Override
    public Uni<LeaseState> heartbeatJob(Lease lease, Duration leaseFor) {
        return query("heartbeat_job", args(lease.jobId(), lease.token(), leaseFor.toMillis()))
                .map(PgJobStore::leaseState);
    }

    @Override
    public Uni<LeaseState> reportProgress(Lease lease, int pct, String message, Duration leaseFor) {
        checkPct(pct);
        return query("report_progress", args(lease.jobId(), lease.token(), pct, progressText(message), leaseFor.toMillis()))
                .map(PgJobStore::leaseState);
    }

    @Override
    public Uni<Void> failJob(Lease lease, Failure failure) {
        Tuple args = args(lease.jobId(), lease.token(), errorText(failure.error()),
                SqlRows.offsetDateTime(failure.retry().orElse(null)));
        return fenced("fail_job", lease, args); // a retry wakes the dispatchers as it commits (V028)
    }

    @Override
    public Uni<Integer> reapExpiredLeases() {
        return query("reap_expired_leases", Tuple.tuple()).map(RowSet::size);
    }

    @Override
    public Uni<Void> heartbeatReplica(String replicaId, int slots, boolean draining) {
        return query("heartbeat_replica", args(replicaId, slots, draining)).replaceWithVoid();
    }

    @Override
    public Uni<AutoCloseable> subscribeReady(Runnable listener) {
        return PgDatabase.listen(vertx, connectOptions, READY_CHANNEL, listener);
    }

    @Override
    protected Uni<Optional<Job>> changeJob(String statement, Tuple args, long jobId) {
        return query(statement, args).map(rows -> rowOf(rows, jobId).map(SqlRows::job));
    }

    /** An end returns the ids it changed; those of several calls when they went as one (complete_jobs). */
    @Override
    protected Uni<Boolean> endJob(String statement, Tuple args, long jobId) {
        return query(statement, args).map(rows -> rowOf(rows, jobId).isPresent());
    }

    /** The row of job {@code jobId} among {@code rows} (a group commit may answer several calls with the same rows). */
    private static Optional<Row> rowOf(RowSet<Row> rows, long jobId) {
        for (Row row : rows) {
            if (row.getLong("id") == jobId) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    /**
     * The dispatchers' wake-up when no job changed (a capped slot freed at drain): a coalesced NOTIFY,
     * at most one in flight, calls during it cause exactly one more. A transaction that makes a job
     * QUEUED sends it itself as it commits (V027, V028).
     */
    @Override
    public void wakeDispatchers() {
        if (pendingNotify.getAndIncrement() == 0) {
            sendNotify();
        }
    }

    private void sendNotify() {
        int observed = pendingNotify.get();
        pool.query(sql.get("notify_ready")).execute().subscribe().with(
                ok -> afterNotify(observed),
                failure -> {
                    LOG.debugf("ready notification failed (dispatchers poll anyway): %s", failure.getMessage());
                    afterNotify(observed);
                });
    }

    private void afterNotify(int observed) {
        if (pendingNotify.addAndGet(-observed) > 0) {
            sendNotify();
        }
    }

    private static LeaseState leaseState(RowSet<Row> rows) {
        if (rows.size() != 1) {
            return LeaseState.LOST;
        }
        return rows.iterator().next().getBoolean("cancel_requested") ? LeaseState.CANCEL_REQUESTED : LeaseState.HELD;
    }
}
