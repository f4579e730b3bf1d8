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
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.model.AuditPage;
import dev.jobflow.core.model.BulkAction;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.IdempotencyKey;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobFilter;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobRunRecord;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LogLine;
import dev.jobflow.core.model.LogPage;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.PruneResult;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.QueueStatus;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.core.model.Schedule;
import dev.jobflow.core.model.SchedulePass;
import dev.jobflow.core.model.SubmitResult;
import dev.jobflow.core.params.JobType;
import dev.jobflow.core.params.JobTypeSpec;
import dev.jobflow.core.params.ParamDeclarations;
import dev.jobflow.core.schedule.Recurrence;
import dev.jobflow.core.schedule.ScheduleExpressionException;
import dev.jobflow.core.store.BatchItemException;
import dev.jobflow.core.store.ColumnLimits;
import dev.jobflow.core.store.Idempotency;
import dev.jobflow.core.store.IdempotencyKeysMixedException;
import dev.jobflow.core.store.JobNotFoundException;
import dev.jobflow.core.store.JobStateException;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.JobflowException;
import dev.jobflow.core.store.LeaseLostException;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.QueueNotFoundException;
import dev.jobflow.core.store.ScheduleNotFoundException;

/**
 * What every SQL backend's {@link JobStore} does the same way, over its statement file
 * ({@code sql/<dialect>/queries/jobs.sql}, statements of the same names and binds in both
 * dialects): reads, listing, cancel, queue figures, the fenced end of an attempt, replicas and
 * cycles, the submit's rules (idempotency keys and their expiry, unique keys, queue defaults),
 * named queues, and schedules. A backend adds what really differs: the insert of a job and the
 * claim (the queue itself), lease renewals, failure with retry, recovery, wake-ups, how a
 * changed row is read back ({@link #changeJob}: PostgreSQL's {@code RETURNING *}, Oracle's read in
 * the same transaction) and how an attempt's end tells it changed the job ({@link #endJob}).
 */
public abstract class SqlJobStore implements JobStore {
    /** Claims are returned in the order they should run: priority, then age, then id. */
    protected static final Comparator<ClaimedJob> CLAIM_ORDER = Comparator
            .comparingInt((ClaimedJob c) -> -c.job().priority())
            .thenComparing(c -> c.job().runAt())
            .thenComparingLong(c -> c.job().id());

    /** At most this many due times of one schedule are walked in one pass (a years-long outage). */
    private static final int MAX_DUE_TIMES = 10_000;

    protected final Pool pool;
    protected final NamedQueries sql;
    private final Duration replicaTtl;
    private final Duration idempotencyKeyTtl;

    /**
     * @param replicaTtl a dispatcher replica not seen for this long no longer counts toward capacity
     * @param idempotencyKeyTtl an idempotency key names its job for this long; then the same key
     *        makes a new job
     */
    protected SqlJobStore(Pool pool, NamedQueries sql, Duration replicaTtl, Duration idempotencyKeyTtl) {
        this.pool = pool;
        this.sql = sql;
        this.replicaTtl = replicaTtl;
        this.idempotencyKeyTtl = idempotencyKeyTtl;
    }

    /**
     * Inserts the job on {@code client} (a connection inside a transaction, or the pool), its queue's
     * defaults filling what it leaves unset, and returns it; empty when nothing was inserted because
     * the caller's idempotency key is taken or the queue does not exist. An inserted job's
     * {@code audit} (unless null) is recorded in the same transaction, its target {@code jobs/<id>}.
     */
    protected abstract Uni<Optional<Job>> insertJob(SqlClient client, NewJob job, String fingerprint,
            AuditEntry audit);

    /**
     * Inserts the job of {@code schedule} due at {@code due} (inside the pass's transaction); empty
     * when that schedule already has a job for that time.
     */
    protected abstract Uni<Optional<Job>> insertScheduledJob(SqlConnection conn, Schedule schedule, Instant due);

    /**
     * The statement that searches with these index terms ({@link SearchTerms#of}; empty: none to
     * look up, or the lookup was too broad): {@code search_jobs}, unless a dialect needs another.
     */
    protected String searchStatement(List<String> terms) {
        return "search_jobs";
    }

    /** The binds that stand for the search text {@code text} at the start of that statement. */
    protected abstract List<Object> searchBinds(String text, List<String> terms);

    /** Whether a search failed because its index lookup grew too broad (then it runs as a scan). */
    protected boolean isSearchTooBroad(Throwable failure) {
        return false;
    }

    /** A params map as this backend binds a JSON column. */
    protected abstract Object jsonArg(java.util.Map<String, Object> params);

    /** Whether {@code failure} is a unique-constraint violation (a concurrent insert of the same key). */
    protected abstract boolean isUniqueViolation(Throwable failure);

    @Override
    public Uni<SubmitResult> submitJob(NewJob job, AuditEntry audit) {
        return submit(job, audit, true);
    }

    private Uni<SubmitResult> submit(NewJob job, AuditEntry audit, boolean mayRetry) {
        IdempotencyKey key = job.idempotencyKey();
        String fingerprint = key == null ? null : Idempotency.requestSha256(job);
        Uni<Optional<SubmitResult>> inserted;
        if (job.unique() == null) {
            inserted = insertJob(pool, job, fingerprint, audit)
                    .map(created -> created.map(j -> new SubmitResult(j, true)));
        } else {
            inserted = pool
                    .withTransaction(conn -> insertJob(conn, job, fingerprint, audit).flatMap(created -> created.isEmpty()
                            ? Uni.createFrom().item(Optional.<SubmitResult> empty())
                            : takeUniqueKey(conn, job, created.get().id()).map(took -> {
                                if (!took) {
                                    throw new UniqueKeyHeld(); // rolls the insert back
                                }
                                return Optional.of(new SubmitResult(created.get(), true));
                            })))
                    .onFailure(UniqueKeyHeld.class).recoverWithUni(() -> uniqueHolder(job, audit, mayRetry));
        }
        return inserted.flatMap(result -> result.isPresent()
                ? Uni.createFrom().item(result.get())
                : notInserted(job, audit, key, fingerprint, mayRetry));
    }

    @Override
    public Uni<List<SubmitResult>> submitJobs(List<NewJob> jobs) {
        if (jobs.stream().anyMatch(job -> job.unique() != null)) {
            throw new IllegalArgumentException("unique jobs are submitted one at a time");
        }
        List<String> fingerprints = jobs.stream()
                .map(job -> job.idempotencyKey() == null ? null : Idempotency.requestSha256(job)).toList();
        return unknownQueue(jobs, 0).flatMap(unknown -> {
            if (unknown.isPresent()) {
                return Uni.createFrom().failure(unknown.get());
            }
            return pool.withTransaction(conn -> insertJobs(conn, jobs, fingerprints).map(created -> {
                if (created.size() < jobs.size()) {
                    throw new UniqueKeyHeld(); // a key names an earlier job: roll the batch back
                }
                return created;
            })).<List<SubmitResult>> map(created -> created.stream().map(job -> new SubmitResult(job, true)).toList())
                    .onFailure(UniqueKeyHeld.class).recoverWithUni(() -> earlierBatch(jobs, fingerprints));
        });
    }

    /** The first job (from {@code from}) whose queue does not exist, as the batch's failure. */
    private Uni<Optional<BatchItemException>> unknownQueue(List<NewJob> jobs, int from) {
        if (from == jobs.size()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String queue = jobs.get(from).queue();
        int next = from + 1;
        while (next < jobs.size() && jobs.get(next).queue().equals(queue)) {
            next++; // a run of the same queue is checked once
        }
        int after = next;
        return queueSettings(queue).flatMap(settings -> settings.isEmpty()
                ? Uni.createFrom().item(Optional.of(new BatchItemException(from, new QueueNotFoundException(queue))))
                : unknownQueue(jobs, after));
    }

    /**
     * A batch some of whose keys name earlier jobs: a retry of a batch that was written returns
     * those jobs; anything else stops at the first job that is not one.
     */
    private Uni<List<SubmitResult>> earlierBatch(List<NewJob> jobs, List<String> fingerprints) {
        Uni<List<SubmitResult>> found = Uni.createFrom().item(new ArrayList<>());
        for (int i = 0; i < jobs.size(); i++) {
            int index = i;
            NewJob job = jobs.get(i);
            found = found.flatMap(results -> {
                if (job.idempotencyKey() == null) {
                    return Uni.createFrom().failure(new BatchItemException(index, new IdempotencyKeysMixedException()));
                }
                return notInserted(job, null, job.idempotencyKey(), fingerprints.get(index), false).map(result -> {
                    results.add(result);
                    return results;
                }).onFailure(JobflowException.class).transform(e -> e instanceof QueueNotFoundException
                        ? new BatchItemException(index, new IdempotencyKeysMixedException())
                        : new BatchItemException(index, (JobflowException) e));
            });
        }
        return found;
    }

    /**
     * Inserts the jobs in order inside the batch's transaction; stops at the first one not inserted
     * (its key names an earlier job), so a shorter list means "roll back". Backends with a set-based
     * insert override this.
     */
    protected Uni<List<Job>> insertJobs(SqlConnection conn, List<NewJob> jobs, List<String> fingerprints) {
        Uni<List<Job>> inserted = Uni.createFrom().item(new ArrayList<>(jobs.size()));
        for (int i = 0; i < jobs.size(); i++) {
            int index = i;
            inserted = inserted.flatMap(done -> done.size() < index ? Uni.createFrom().item(done)
                    : insertJob(conn, jobs.get(index), fingerprints.get(index), null).map(job -> {
                        job.ifPresent(done::add);
                        return done;
                    }));
        }
        return inserted;
    }

    /** Nothing was inserted: the caller's key names a job (live or expired), or the queue is unknown. */
    private Uni<SubmitResult> notInserted(NewJob job, AuditEntry audit, IdempotencyKey key, String fingerprint,
            boolean mayRetry) {
        if (key == null) {
            return Uni.createFrom().failure(new QueueNotFoundException(job.queue()));
        }
        return query("find_job_by_idempotency_key", args(key.caller(), key.key())).flatMap(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().failure(new QueueNotFoundException(job.queue()));
            }
            Row row = rows.iterator().next();
            Job existing = SqlRows.job(row);
            if (mayRetry && existing.createdAt().isBefore(Instant.now().minus(idempotencyKeyTtl))) {
                // The key expired: it no longer names that job; the database decides (its clock).
                return query("expire_idempotency_key", args(key.caller(), key.key(), idempotencyKeyTtl.toMillis()))
                        .flatMap(expired -> expired.rowCount() > 0 ? submit(job, audit, false)
                                : Uni.createFrom().item(Idempotency.existing(existing, row.getString("request_sha256"),
                                        fingerprint)));
            }
            return Uni.createFrom().item(Idempotency.existing(existing, row.getString("request_sha256"), fingerprint));
        });
    }

    private Uni<Boolean> takeUniqueKey(SqlConnection conn, NewJob job, long jobId) {
        Long periodMs = job.unique().period() == null ? null : job.unique().period().toMillis();
        return conn.preparedQuery(sql.get("take_unique_key")).execute(args(job.queue(), job.unique().key(), jobId, periodMs))
                .map(rows -> rows.rowCount() == 1)
                .onFailure(this::isUniqueViolation).recoverWithItem(false);
    }

    /** The job holding the submit's unique key: returned as is, not created. */
    private Uni<Optional<SubmitResult>> uniqueHolder(NewJob job, AuditEntry audit, boolean mayRetry) {
        return query("find_unique_holder", args(job.queue(), job.unique().key())).flatMap(rows -> {
            if (rows.size() == 0) {
                // released between our try and this read: try once more
                return mayRetry ? submit(job, audit, false).map(Optional::of)
                        : Uni.createFrom().failure(new IllegalStateException("unique key '" + job.unique().key()
                                + "' of queue '" + job.queue() + "' is changing hands; try again"));
            }
            return Uni.createFrom().item(Optional.of(new SubmitResult(SqlRows.job(rows.iterator().next()), false)));
        });
    }

    /** The unique key is held by another job (inside the submit's transaction, to roll it back). */
    private static final class UniqueKeyHeld extends RuntimeException {
        UniqueKeyHeld() {
            super(null, null, false, false);
        }
    }

    @Override
    public Uni<List<QueueStatus>> listQueues() {
        return query("list_queues", Tuple.tuple()).map(rows -> {
            List<QueueStatus> queues = new ArrayList<>(rows.size());
            rows.forEach(row -> queues.add(queueStatus(row)));
            return queues;
        });
    }

    @Override
    public Uni<Optional<QueueStatus>> findQueue(String name) {
        return query("find_queue", args(name)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(queueStatus(rows.iterator().next())));
    }

    @Override
    public Uni<QueueSettings> putQueue(QueueSettings q) {
        return query("put_queue", args(q.name(), q.cap(), q.priority(), q.maxAttempts(), q.backoffSeconds(),
                q.timeoutSeconds()))
                .flatMap(done -> queueSettings(q.name()))
                .map(found -> found.orElseThrow(() -> new QueueNotFoundException(q.name())));
    }

    @Override
    public Uni<QueueSettings> pauseQueue(String name, boolean paused) {
        return query("pause_queue", args(paused ? 1 : 0, name)).flatMap(done -> done.rowCount() == 0
                ? Uni.createFrom().failure(new QueueNotFoundException(name))
                : queueSettings(name).map(found -> found.orElseThrow(() -> new QueueNotFoundException(name))));
    }

    @Override
    public Uni<List<QueueSettings>> queues() {
        return query("queue_settings_all", Tuple.tuple()).map(rows -> {
            List<QueueSettings> queues = new ArrayList<>(rows.size());
            rows.forEach(row -> queues.add(SqlRows.queueSettings(row)));
            return queues;
        });
    }

    private Uni<Optional<QueueSettings>> queueSettings(String name) {
        return query("queue_settings", args(name)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(SqlRows.queueSettings(rows.iterator().next())));
    }

    private static QueueStatus queueStatus(Row row) {
        return new QueueStatus(SqlRows.queueSettings(row), row.getLong("ready"), row.getLong("delayed"),
                row.getLong("running"), row.getDouble("oldest_ready_age"));
    }

    @Override
    public Uni<Schedule> putSchedule(Schedule s) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // the anchor: whole seconds
        Instant next = recurrence(s, now).next(now).orElse(null);
        return queueSettings(s.queue()).flatMap(queue -> {
            if (queue.isEmpty()) {
                return Uni.createFrom().failure(new QueueNotFoundException(s.queue()));
            }
            return query("put_schedule", args(s.name(), s.queue(), s.type(), jsonArg(s.params()), s.owner(), s.cron(),
                    s.calendar(), s.timeZone(), s.overlap().text(), s.misfire().text(), s.enabled() ? 1 : 0,
                    SqlRows.offsetDateTime(now), SqlRows.offsetDateTime(next)))
                    .flatMap(done -> findSchedule(s.name()))
                    .map(found -> found.orElseThrow(() -> new ScheduleNotFoundException(s.name())));
        });
    }

    @Override
    public Uni<List<Schedule>> listSchedules() {
        return query("list_schedules", Tuple.tuple()).map(rows -> {
            List<Schedule> schedules = new ArrayList<>(rows.size());
            rows.forEach(row -> schedules.add(SqlRows.schedule(row)));
            return schedules;
        });
    }

    @Override
    public Uni<Optional<Schedule>> findSchedule(String name) {
        return query("find_schedule", args(name)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(SqlRows.schedule(rows.iterator().next())));
    }

    @Override
    public Uni<Boolean> deleteSchedule(String name) {
        return query("delete_schedule", args(name)).map(rows -> rows.rowCount() > 0);
    }

    @Override
    public Uni<Job> runScheduleNow(String name) {
        Instant now = Instant.now();
        return pool.withTransaction(conn -> conn.preparedQuery(sql.get("lock_schedule")).execute(args(name))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(new ScheduleNotFoundException(name));
                    }
                    Schedule schedule = SqlRows.schedule(rows.iterator().next());
                    return insertScheduledJob(conn, schedule, now).flatMap(job -> {
                        Job made = job.orElseThrow(() -> new IllegalStateException("schedule '" + name
                                + "' has a job for " + now + " already"));
                        return conn.preparedQuery(sql.get("schedule_ran")).execute(args(SqlRows.offsetDateTime(now),
                                made.id(), name)).replaceWith(made);
                    });
                }));
    }

    @Override
    public Uni<SchedulePass> fireDueSchedules(Instant now, Duration misfireAfter) {
        List<Job> made = new ArrayList<>();
        Uni<Void> pass = pool.withTransaction(conn -> conn.preparedQuery(sql.get("lock_due_schedules"))
                .execute(args(SqlRows.offsetDateTime(now)))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row row : rows) {
                        Schedule schedule = SqlRows.schedule(row);
                        chain = chain.chain(() -> fire(conn, schedule, now, misfireAfter, made));
                    }
                    return chain;
                }));
        return pass.chain(() -> query("next_schedule_due", Tuple.tuple()))
                .map(rows -> new SchedulePass(made.size(), SqlRows.instant(rows.iterator().next(), "next_due")));
    }

    /** One locked, due schedule: its jobs for the due times (per its overlap and misfire rules), its next time. */
    private Uni<Void> fire(SqlConnection conn, Schedule s, Instant now, Duration misfireAfter, List<Job> made) {
        Recurrence recurrence;
        try {
            recurrence = recurrence(s, s.anchorAt() == null ? now : s.anchorAt());
        } catch (ScheduleExpressionException e) {
            // Written from SQL with an expression we cannot read: disabled with the reason, not retried.
            return conn.preparedQuery(sql.get("disable_schedule")).execute(args(
                    ColumnLimits.truncateToBytes(e.getMessage(), 1000), s.name())).replaceWithVoid();
        }
        if (s.nextFireAt() == null) {
            return scheduleFired(conn, s, recurrence.next(now).orElse(null), null, null);
        }
        List<Instant> due = new ArrayList<>();
        Instant next = s.nextFireAt();
        while (next != null && !next.isAfter(now) && due.size() < MAX_DUE_TIMES) {
            due.add(next);
            next = recurrence.next(next).orElse(null);
        }
        if (next != null && !next.isAfter(now)) {
            next = recurrence.next(now).orElse(null); // more than MAX_DUE_TIMES missed: the rest are skipped
        }
        Instant missedBefore = now.minus(misfireAfter);
        List<Instant> fire = new ArrayList<>(due.stream().filter(t -> !t.isBefore(missedBefore)).toList());
        if (fire.isEmpty() && !due.isEmpty() && s.misfire() == Schedule.Misfire.RUN_ONCE) {
            fire.add(due.get(due.size() - 1)); // missed while no dispatcher ran: once for all of them
        }
        Instant following = next;
        Uni<Boolean> busy = s.overlap() == Schedule.Overlap.SKIP && s.lastJobId() != null
                ? conn.preparedQuery(sql.get("job_active")).execute(args(s.lastJobId())).map(rows -> rows.size() > 0)
                : Uni.createFrom().item(false);
        return busy.flatMap(skip -> {
            List<Instant> times = skip ? List.of()
                    : s.overlap() == Schedule.Overlap.SKIP && fire.size() > 1 ? fire.subList(0, 1) : fire;
            Uni<Void> chain = Uni.createFrom().voidItem();
            List<Job> ours = new ArrayList<>();
            for (Instant time : times) {
                chain = chain.chain(() -> insertScheduledJob(conn, s, time).invoke(job -> job.ifPresent(ours::add))
                        .replaceWithVoid());
            }
            return chain.chain(() -> {
                made.addAll(ours);
                Job last = ours.isEmpty() ? null : ours.get(ours.size() - 1);
                return scheduleFired(conn, s, following, last == null ? null : last.scheduledFor(),
                        last == null ? null : last.id());
            });
        });
    }

    private Uni<Void> scheduleFired(SqlConnection conn, Schedule s, Instant next, Instant firedFor, Long jobId) {
        return conn.preparedQuery(sql.get("schedule_fired")).execute(args(SqlRows.offsetDateTime(next),
                SqlRows.offsetDateTime(firedFor), jobId, s.name())).replaceWithVoid();
    }

    /** The schedule's expression in its zone, its INTERVAL counting from {@code anchor}. */
    private static Recurrence recurrence(Schedule s, Instant anchor) {
        return Recurrence.parse(s.cron(), s.calendar(), s.timeZone(), anchor);
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
        JobQuery.Visibility visible = query.visibleTo();
        Tuple filters = args(query.status() == null ? null : query.status().name(), query.owner(),
                visible == null ? null : visible.owner(), visible == null ? null : visible.queuesBind(),
                query.beforeId(), query.limit() + 1);
        if (query.search() == null) {
            return query("list_jobs", filters).map(rows -> page(rows, query.limit()));
        }
        List<String> terms = SearchTerms.of(query.search());
        return search(query.search(), terms, filters)
                .onFailure(failure -> !terms.isEmpty() && isSearchTooBroad(failure))
                .recoverWithUni(() -> search(query.search(), List.of(), filters))
                .map(rows -> page(rows, query.limit()));
    }

    /** The search's statement with its binds, then the filters (status, owner, visibility, before, limit). */
    private Uni<RowSet<Row>> search(String text, List<String> terms, Tuple filters) {
        Tuple args = args(searchBinds(text, terms).toArray());
        for (int i = 0; i < filters.size(); i++) {
            args.addValue(filters.getValue(i));
        }
        return query(searchStatement(terms), args);
    }

    private static JobPage page(RowSet<Row> rows, int limit) {
        List<Job> jobs = jobs(rows);
        if (jobs.size() > limit) {
            List<Job> page = jobs.subList(0, limit);
            return new JobPage(List.copyOf(page), page.get(page.size() - 1).id());
        }
        return new JobPage(jobs, null);
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
    public Uni<Job> retryJob(long id) {
        return changeJob("retry_job", args(id), id).flatMap(changed -> changed.isPresent()
                ? Uni.createFrom().item(changed.get())
                : findJob(id).map(found -> {
                    Job job = found.orElseThrow(() -> new JobNotFoundException(id));
                    throw new JobStateException(id, job.status(), "retry (only a failed or cancelled job can be)");
                }));
    }

    @Override
    public Uni<Void> deleteJob(long id) {
        return query("delete_job", args(id)).flatMap(rows -> rows.rowCount() == 1 ? Uni.createFrom().voidItem()
                : findJob(id).map(found -> {
                    Job job = found.orElseThrow(() -> new JobNotFoundException(id));
                    throw new JobStateException(id, job.status(), "delete (cancel it first)");
                }));
    }

    @Override
    public Uni<Long> bulk(BulkAction action, JobFilter f, boolean dryRun) {
        String statement = (dryRun ? "bulk_count_" : "bulk_") + action.name().toLowerCase(java.util.Locale.ROOT);
        Tuple args = args(f.queue(), f.status() == null ? null : f.status().name(), f.type(), f.owner(),
                SqlRows.offsetDateTime(f.createdBefore()), SqlRows.offsetDateTime(f.createdAfter()), f.error(),
                f.ids() == null ? null
                        : f.ids().stream().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(",", "[", "]")));
        // jobs retried reach the dispatchers from the database as the statement commits (V028, jobs_enqueue)
        return query(statement, args).map(rows -> dryRun ? rows.iterator().next().getLong("n")
                : (long) rows.rowCount());
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
    public Uni<Void> completeJob(Lease lease, String resultJson) {
        if (resultJson != null
                && resultJson.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ColumnLimits.RESULT_BYTES) {
            throw new IllegalArgumentException("a result may have at most " + ColumnLimits.RESULT_BYTES + " bytes");
        }
        return fenced("complete_job", lease, args(resultJson, lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Boolean> appendLog(Lease lease, String level, String message) {
        return query("append_log", args(lease.jobId(), level, ColumnLimits.truncateToBytes(message == null ? ""
                : message, ColumnLimits.LOG_MESSAGE_BYTES), lease.token()))
                .map(rows -> SqlRows.flag(rows.iterator().next(), "kept"));
    }

    @Override
    public Uni<PruneResult> prune(RetentionPolicy policy) {
        int batch = policy.batch();
        return pool.withTransaction(conn -> conn.preparedQuery(sql.get("lock_retention")).execute(Tuple.tuple())
                .flatMap(locked -> {
                    if (locked.size() == 0) {
                        return Uni.createFrom().item(PruneResult.SKIPPED); // another replica's pass runs
                    }
                    Uni<Integer> byAge = delete(conn, "prune_jobs_by_age", args(policy.jobsMaxAge().toMillis(), batch));
                    return byAge.flatMap(aged -> delete(conn, "prune_jobs_by_count", args(policy.jobsMaxCount(), batch))
                            .flatMap(counted -> delete(conn, "prune_cycles", args(policy.cyclesMaxAge().toMillis(), batch))
                                    .flatMap(cycles -> delete(conn, "prune_unique_keys", args(batch))
                                            .flatMap(keys -> delete(conn, "prune_replicas",
                                                    args(policy.replicasMaxAge().toMillis()))
                                                    .call(replicas -> delete(conn, "prune_job_types",
                                                            args(policy.replicasMaxAge().toMillis())))
                                                    .flatMap(replicas -> delete(conn, "prune_audit",
                                                            args(policy.auditMaxAge().toMillis(), batch))
                                                            .flatMap(audit -> pruneExceptionQueue(conn, policy)
                                                                    .map(exceptions -> new PruneResult(true,
                                                                            aged + counted, cycles, keys, replicas,
                                                                            audit, exceptions, aged == batch
                                                                                    || counted == batch
                                                                                    || cycles == batch || keys == batch
                                                                                    || audit == batch
                                                                                    || exceptions == batch))))))));
                }));
    }

    /**
     * The backend's dead-letter messages, by age and count, at most a batch, in the retention pass
     * (under its lock); how many went. None here: PostgreSQL's queue is the jobs table. Oracle
     * purges its AQ exception queue.
     */
    protected Uni<Integer> pruneExceptionQueue(SqlConnection conn, RetentionPolicy policy) {
        return Uni.createFrom().item(0);
    }

    private Uni<Integer> delete(SqlConnection conn, String statement, Tuple args) {
        return conn.preparedQuery(sql.get(statement)).execute(args).map(RowSet::rowCount);
    }

    @Override
    public Uni<Void> audit(AuditEntry e) {
        return query("audit", auditArgs(e, e.target())).replaceWithVoid();
    }

    /** The {@code audit} statement's arguments: {@code e} with {@code target}. */
    protected static Tuple auditArgs(AuditEntry e, String target) {
        return args(e.actor(), e.via(), e.action(), target, auditDetail(e));
    }

    /** An audit row's detail as the column takes it. */
    protected static String auditDetail(AuditEntry e) {
        return ColumnLimits.truncateToBytes(e.detail(), ColumnLimits.ERROR_BYTES);
    }

    @Override
    public Uni<AuditPage> listAudit(String actor, String action, Long beforeId, int limit) {
        return query("list_audit", args(actor, action, beforeId, limit + 1)).map(rows -> {
            List<AuditEntry> entries = new ArrayList<>(rows.size());
            rows.forEach(row -> entries.add(new AuditEntry(row.getLong("id"), SqlRows.instant(row, "at"),
                    row.getString("actor"), row.getString("via"), row.getString("action"), row.getString("target"),
                    row.getString("detail"))));
            if (entries.size() > limit) {
                List<AuditEntry> page = List.copyOf(entries.subList(0, limit));
                return new AuditPage(page, page.get(page.size() - 1).id());
            }
            return new AuditPage(entries, null);
        });
    }

    @Override
    public Uni<List<JobRunRecord>> listRuns(long jobId) {
        return query("list_runs", args(jobId)).map(rows -> {
            List<JobRunRecord> runs = new ArrayList<>(rows.size());
            rows.forEach(row -> runs.add(new JobRunRecord(row.getLong("id"), row.getLong("job_id"),
                    row.getInteger("attempt"), row.getString("replica"), SqlRows.instant(row, "started_at"),
                    SqlRows.instant(row, "ended_at"), row.getString("outcome"), row.getString("error"))));
            return runs;
        });
    }

    @Override
    public Uni<LogPage> listLogs(long jobId, Long afterId, int limit) {
        return query("list_logs", args(jobId, afterId == null ? 0L : afterId, limit + 1)).map(rows -> {
            List<LogLine> lines = new ArrayList<>(rows.size());
            rows.forEach(row -> lines.add(new LogLine(row.getLong("id"), row.getLong("job_id"),
                    row.getInteger("attempt"), row.getString("level"), row.getString("message"),
                    SqlRows.instant(row, "created_at"))));
            if (lines.size() > limit) {
                List<LogLine> page = List.copyOf(lines.subList(0, limit));
                return new LogPage(page, page.get(page.size() - 1).id());
            }
            return new LogPage(lines, null);
        });
    }

    @Override
    public Uni<Void> cancelRunningJob(Lease lease) {
        return fenced("cancel_running_job", lease, args(lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Void> releaseJob(Lease lease) {
        return fenced("release_job", lease, args(lease.jobId(), lease.token()));
    }

    @Override
    public Uni<Void> registerJobTypes(String replicaId, List<JobTypeSpec> types) {
        return pool.withTransaction(conn -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (JobTypeSpec type : types) {
                chain = chain.flatMap(done -> conn.preparedQuery(sql.get("register_job_type"))
                        .execute(args(type.type(), ParamDeclarations.write(type.params()), replicaId)).replaceWithVoid());
            }
            return chain;
        });
    }

    @Override
    public Uni<List<JobType>> listJobTypes() {
        return query("list_job_types", args()).map(rows -> {
            List<JobType> types = new ArrayList<>(rows.size());
            rows.forEach(row -> types.add(new JobType(row.getString("type"),
                    ParamDeclarations.read(row.getString("params")), row.getString("replica_id"),
                    SqlRows.instant(row, "registered_at"))));
            return types;
        });
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

    /** An end of a running job under its lease: done, or {@link LeaseLostException} (nothing written). */
    protected Uni<Void> fenced(String statement, Lease lease, Tuple args) {
        return endJob(statement, args, lease.jobId()).map(ended -> {
            if (!ended) {
                throw new LeaseLostException(lease);
            }
            return null;
        });
    }

    /**
     * Runs {@code statement}, a lease-fenced end of job {@code jobId}; whether it changed the job (it
     * does not when the lease is no longer the one in {@code args}).
     */
    protected abstract Uni<Boolean> endJob(String statement, Tuple args, long jobId);

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
