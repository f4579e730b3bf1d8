package dev.jobflow.core.pg;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

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
import dev.jobflow.core.store.JobParams;
import dev.jobflow.core.store.JobStateException;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.LeaseLostException;
import dev.jobflow.core.store.NamedQueries;

/**
 * PostgreSQL adapter of the job store: the jobs table is the queue, claims use
 * {@code FOR UPDATE SKIP LOCKED}, wake-ups use {@code LISTEN/NOTIFY}. Statements live in
 * {@code sql/postgres/queries/jobs.sql}.
 */
public class PgJobStore implements JobStore {
    static final String READY_CHANNEL = "jobflow_jobs_ready";
    private static final Logger LOG = Logger.getLogger(PgJobStore.class);
    private static final NamedQueries SQL = NamedQueries.load("db/queries/postgres/jobs.sql");
    private static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator
            .comparingInt((ClaimedJob c) -> -c.job().priority())
            .thenComparing(c -> c.job().runAt())
            .thenComparingLong(c -> c.job().id());

    private final Vertx vertx;
    private final Pool pool;
    private final PgConnectOptions connectOptions;
    private final Duration replicaTtl;
    /** Submits since the last NOTIFY was sent; one NOTIFY covers all of them. */
    private final AtomicInteger pendingNotify = new AtomicInteger();

    /**
     * @param replicaTtl a dispatcher replica not seen for this long no longer counts toward capacity
     */
    public PgJobStore(Vertx vertx, Pool pool, PgConnectOptions connectOptions, Duration replicaTtl) {
        this.vertx = vertx;
        this.pool = pool;
        this.connectOptions = connectOptions;
        this.replicaTtl = replicaTtl;
    }

    @Override
    public Uni<SubmitResult> submitJob(NewJob job) {
        Tuple args = Tuple.tuple(List.of(job.name(), job.owner(), job.type(), PgRows.toJson(job.params()),
                job.priority(), job.maxAttempts()))
                .addOffsetDateTime(PgRows.offsetDateTime(job.runAt()))
                .addString(job.idempotencyKey());
        return pool.preparedQuery(SQL.get("submit_job")).execute(args).flatMap(rows -> {
            if (rows.size() == 1) {
                signalReady();
                return Uni.createFrom().item(new SubmitResult(PgRows.job(rows.iterator().next()), true));
            }
            // The idempotency key matched an existing job.
            return pool.preparedQuery(SQL.get("find_job_by_idempotency_key"))
                    .execute(Tuple.of(job.idempotencyKey()))
                    .map(existing -> new SubmitResult(PgRows.job(existing.iterator().next()), false));
        });
    }

    @Override
    public Uni<Optional<Job>> findJob(long id) {
        return pool.preparedQuery(SQL.get("find_job")).execute(Tuple.of(id)).map(PgJobStore::firstJob);
    }

    @Override
    public Uni<JobPage> listJobs(JobQuery query) {
        Tuple args = Tuple.tuple()
                .addString(query.status() == null ? null : query.status().name())
                .addString(query.owner())
                .addLong(query.beforeId())
                .addInteger(query.limit() + 1);
        return pool.preparedQuery(SQL.get("list_jobs")).execute(args).map(rows -> {
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
        return pool.preparedQuery(SQL.get("cancel_job")).execute(Tuple.of(id)).flatMap(rows -> {
            if (rows.size() == 1) {
                return Uni.createFrom().item(PgRows.job(rows.iterator().next()));
            }
            return findJob(id).map(found -> {
                Job job = found.orElseThrow(() -> new JobNotFoundException(id));
                if (job.status() == JobStatus.CANCELLED) {
                    return job;
                }
                throw new JobStateException(id, job.status(), "cancel");
            });
        });
    }

    @Override
    public Uni<Optional<String>> jobApiKeyName(String keySha256) {
        return pool.preparedQuery(SQL.get("job_api_key_name")).execute(Tuple.of(keySha256))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("name")));
    }

    @Override
    public Uni<QueueStats> queueStats() {
        Uni<Row> queue = pool.preparedQuery(SQL.get("queue_stats")).execute().map(rows -> rows.iterator().next());
        Uni<Row> capacity = pool.preparedQuery(SQL.get("replica_capacity"))
                .execute(Tuple.of(replicaTtl.toMillis()))
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
    public Uni<List<ClaimedJob>> claimJobs(String owner, int max, Duration leaseFor, OptionalInt globalCap) {
        if (max <= 0) {
            return Uni.createFrom().item(List.of());
        }
        Tuple args = Tuple.of(max, owner, leaseFor.toMillis())
                .addInteger(globalCap.isPresent() ? globalCap.getAsInt() : null);
        return pool.preparedQuery(SQL.get("claim_jobs"))
                .execute(args)
                .flatMap(rows -> {
                    List<ClaimedJob> claimed = new ArrayList<>(rows.size());
                    Uni<Void> failed = Uni.createFrom().voidItem();
                    for (Row row : rows) {
                        Lease lease = new Lease(row.getLong("id"), owner, row.getLong("lease_token"));
                        try {
                            claimed.add(new ClaimedJob(PgRows.job(row), lease));
                        } catch (JobParams.Undecodable e) {
                            // One row the services cannot read must not stop the claim of the others.
                            LOG.warnf("job %d: %s", lease.jobId(), e.getMessage());
                            // fail_job without a retry time; its returned row is not decoded (it cannot be).
                            Tuple fail = Tuple.of(lease.jobId(), lease.token(), e.getMessage()).addOffsetDateTime(null);
                            failed = failed
                                    .chain(() -> pool.preparedQuery(SQL.get("fail_job")).execute(fail).replaceWithVoid());
                        }
                    }
                    claimed.sort(CLAIM_ORDER);
                    return failed.replaceWith(claimed);
                });
    }

    @Override
    public Uni<Optional<Instant>> nextDelayedRunAt() {
        return pool.preparedQuery(SQL.get("next_delayed_run_at"))
                .execute()
                .map(rows -> Optional.ofNullable(PgRows.instant(rows.iterator().next(), "run_at")));
    }

    @Override
    public Uni<LeaseState> heartbeatJob(Lease lease, Duration leaseFor) {
        return pool.preparedQuery(SQL.get("heartbeat_job"))
                .execute(Tuple.of(lease.jobId(), lease.token(), leaseFor.toMillis()))
                .map(PgJobStore::leaseState);
    }

    @Override
    public Uni<LeaseState> reportProgress(Lease lease, int pct, String message, Duration leaseFor) {
        if (pct < 0 || pct > 100) {
            throw new IllegalArgumentException("pct must be between 0 and 100, was " + pct);
        }
        return pool.preparedQuery(SQL.get("report_progress"))
                .execute(Tuple.of(lease.jobId(), lease.token(), pct,
                        ColumnLimits.truncateToBytes(message, ColumnLimits.PROGRESS_MESSAGE_BYTES), leaseFor.toMillis()))
                .map(PgJobStore::leaseState);
    }

    @Override
    public Uni<Job> completeJob(Lease lease) {
        return fenced("complete_job", lease, Tuple.of(lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Job> failJob(Lease lease, String error, Instant retryAt) {
        Tuple args = Tuple.of(lease.jobId(), lease.token(), ColumnLimits.truncateToBytes(error, ColumnLimits.ERROR_BYTES))
                .addOffsetDateTime(retryAt == null ? null : PgRows.offsetDateTime(retryAt));
        return fenced("fail_job", lease, args).invoke(job -> {
            if (job.status() == JobStatus.QUEUED) {
                signalReady();
            }
        });
    }

    @Override
    public Uni<Job> cancelRunningJob(Lease lease) {
        return fenced("cancel_running_job", lease, Tuple.of(lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Job> releaseJob(Lease lease) {
        return fenced("release_job", lease, Tuple.of(lease.jobId(), lease.token())).invoke(this::signalReady);
    }

    @Override
    public Uni<Integer> reapExpiredLeases() {
        return pool.preparedQuery(SQL.get("reap_expired_leases")).execute().map(rows -> {
            if (rows.size() > 0) {
                signalReady();
            }
            return rows.size();
        });
    }

    @Override
    public Uni<Void> heartbeatReplica(String replicaId, int slots, boolean draining) {
        return pool.preparedQuery(SQL.get("heartbeat_replica")).execute(Tuple.of(replicaId, slots, draining))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> removeReplica(String replicaId) {
        return pool.preparedQuery(SQL.get("remove_replica")).execute(Tuple.of(replicaId)).replaceWithVoid();
    }

    @Override
    public Uni<Void> recordCycle(CycleRecord cycle) {
        Tuple args = Tuple.tuple(List.of(cycle.replicaId(), PgRows.offsetDateTime(cycle.startedAt()),
                PgRows.offsetDateTime(cycle.endedAt()), cycle.polls(), cycle.claimed(), cycle.completed(),
                cycle.failed(), java.math.BigDecimal.valueOf(cycle.jobsPerSecond())));
        return pool.preparedQuery(SQL.get("record_cycle")).execute(args).replaceWithVoid();
    }

    @Override
    public Uni<AutoCloseable> subscribeReady(Runnable listener) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, connectOptions);
        subscriber.reconnectPolicy(retries -> 500L);
        // On (re)subscribe, notifications may have been missed: treat it as a wake-up.
        subscriber.channel(READY_CHANNEL).handler(payload -> listener.run()).subscribeHandler(listener::run);
        return subscriber.connect().replaceWith(() -> subscriber::closeAndAwait);
    }

    @Override
    public void wakeDispatchers() {
        signalReady();
    }

    /** Coalesced NOTIFY: at most one in flight; submits during it cause exactly one more. */
    private void signalReady() {
        if (pendingNotify.getAndIncrement() == 0) {
            sendNotify();
        }
    }

    private void sendNotify() {
        int observed = pendingNotify.get();
        pool.query(SQL.get("notify_ready")).execute().subscribe().with(
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

    private Uni<Job> fenced(String statement, Lease lease, Tuple args) {
        return pool.preparedQuery(SQL.get(statement)).execute(args).map(rows -> {
            if (rows.size() != 1) {
                throw new LeaseLostException(lease);
            }
            return PgRows.job(rows.iterator().next());
        });
    }

    private static LeaseState leaseState(RowSet<Row> rows) {
        if (rows.size() != 1) {
            return LeaseState.LOST;
        }
        return rows.iterator().next().getBoolean("cancel_requested") ? LeaseState.CANCEL_REQUESTED : LeaseState.HELD;
    }

    private static Optional<Job> firstJob(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(PgRows.job(rows.iterator().next()));
    }

    private static List<Job> jobs(RowSet<Row> rows) {
        List<Job> jobs = new ArrayList<>(rows.size());
        rows.forEach(row -> jobs.add(PgRows.job(row)));
        return jobs;
    }

}
