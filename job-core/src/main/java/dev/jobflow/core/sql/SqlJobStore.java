package dev.jobflow.core.sql;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.store.ColumnLimits;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.JobStateException;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.LeaseLostException;
import dev.jobflow.core.store.NamedQueries;

/**
 * What every SQL backend's {@link JobStore} does the same way, over its statement file
 * ({@code sql/<dialect>/queries/jobs.sql}, statements of the same names and binds in both
 * dialects): reads, listing, cancel, queue figures, the fenced end of an attempt, replicas and
 * cycles. A backend adds what really differs: submit and claim (the queue itself), lease renewals,
 * failure with retry, recovery, wake-ups, and how a changed row is read back
 * ({@link #changeJob}: PostgreSQL's {@code RETURNING *}, Oracle's read in the same transaction).
 */
public abstract class SqlJobStore implements JobStore {
    /** Claims are returned in the order they should run: priority, then age, then id. */
    protected static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator
            .comparingInt((ClaimedJob c) -> -c.job().priority())
            .thenComparing(c -> c.job().runAt())
            .thenComparingLong(c -> c.job().id());

    protected final Pool pool;
    protected final NamedQueries sql;
    private final Duration replicaTtl;

    /**
     * @param replicaTtl a dispatcher replica not seen for this long no longer counts toward capacity
     */
    protected SqlJobStore(Pool pool, NamedQueries sql, Duration replicaTtl) {
        this.pool = pool;
        this.sql = sql;
        this.replicaTtl = replicaTtl;
    }

    /**
     * Runs {@code statement}, which changes at most the one job {@code jobId}, and returns that job
     * as changed, or empty when the statement changed nothing.
     */
    protected abstract Uni<Optional<Job>> changeJob(String statement, Tuple args, long jobId);

    @Override
    public Uni<Optional<Job>> findJob(long id) {
        return query("find_job", args(id)).map(SqlJobStore::firstJob);
    }

    @Override
    public Uni<JobPage> listJobs(JobQuery query) {
        Tuple args = args(query.status() == null ? null : query.status().name(), query.owner(), query.beforeId(),
                query.limit() + 1);
        return query("list_jobs", args).map(rows -> {
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
        return changeJob("cancel_job", args(id), id).flatMap(changed -> changed.isPresent()
                ? Uni.createFrom().item(changed.get())
                : findJob(id).map(found -> {
                    Job job = found.orElseThrow(() -> new JobNotFoundException(id));
                    if (job.status() == JobStatus.CANCELLED) {
                        return job;
                    }
                    throw new JobStateException(id, job.status(), "cancel");
                }));
    }

    @Override
    public Uni<QueueStats> queueStats() {
        Uni<Row> queue = query("queue_stats", Tuple.tuple()).map(rows -> rows.iterator().next());
        Uni<Row> capacity = query("replica_capacity", args(replicaTtl.toMillis())).map(rows -> rows.iterator().next());
        return Uni.combine().all().unis(queue, capacity).asTuple().map(t -> new QueueStats(
                t.getItem1().getLong("ready"),
                t.getItem1().getLong("delayed"),
                t.getItem1().getLong("running"),
                t.getItem1().getDouble("oldest_ready_age"),
                t.getItem2().getLong("capacity"),
                t.getItem2().getInteger("replicas")));
    }

    @Override
    public Uni<Optional<Instant>> nextDelayedRunAt() {
        return query("next_delayed_run_at", Tuple.tuple())
                .map(rows -> Optional.ofNullable(SqlRows.instant(rows.iterator().next(), "run_at")));
    }

    @Override
    public Uni<Job> completeJob(Lease lease) {
        return fenced("complete_job", lease, args(lease.jobId(), lease.token()));
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
    public Uni<Void> removeReplica(String replicaId) {
        return query("remove_replica", args(replicaId)).replaceWithVoid();
    }

    @Override
    public Uni<Void> recordCycle(CycleRecord cycle) {
        return query("record_cycle", args(cycle.replicaId(), SqlRows.offsetDateTime(cycle.startedAt()),
                SqlRows.offsetDateTime(cycle.endedAt()), cycle.polls(), cycle.claimed(), cycle.completed(),
                cycle.failed(), BigDecimal.valueOf(cycle.jobsPerSecond()))).replaceWithVoid();
    }

    /** A change of a running job under its lease: the job as changed, or {@link LeaseLostException}. */
    protected Uni<Job> fenced(String statement, Lease lease, Tuple args) {
        return changeJob(statement, args, lease.jobId())
                .map(changed -> changed.orElseThrow(() -> new LeaseLostException(lease)));
    }

    /** Checks a progress value before it reaches the database. */
    protected static void checkPct(int pct) {
        if (pct < 0 || pct > 100) {
            throw new IllegalArgumentException("pct must be between 0 and 100, was " + pct);
        }
    }

    protected Uni<RowSet<Row>> query(String statement, Tuple args) {
        return pool.preparedQuery(sql.get(statement)).execute(args);
    }

    /** A tuple that may hold nulls (bound as SQL NULL). */
    protected static Tuple args(Object... values) {
        Tuple tuple = Tuple.tuple();
        for (Object value : values) {
            tuple.addValue(value);
        }
        return tuple;
    }

    protected static Optional<Job> firstJob(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(SqlRows.job(rows.iterator().next()));
    }

    protected static List<Job> jobs(RowSet<Row> rows) {
        List<Job> jobs = new ArrayList<>(rows.size());
        rows.forEach(row -> jobs.add(SqlRows.job(row)));
        return jobs;
    }

    /** An error as the {@code error} column holds it: cut by encoded bytes, never inside a character. */
    protected static String errorText(String error) {
        return ColumnLimits.truncateToBytes(error, ColumnLimits.ERROR_BYTES);
    }

    /** A progress message as the {@code progress_message} column holds it (bytes, as above). */
    protected static String progressText(String message) {
        return ColumnLimits.truncateToBytes(message, ColumnLimits.PROGRESS_MESSAGE_BYTES);
    }
}
