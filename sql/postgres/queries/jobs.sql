-- Named statements of the PostgreSQL job store. Each starts with "-- name: <name>" and runs as
-- one statement (one implicit transaction). Positional parameters are $1, $2, ...
-- The Oracle adapter keeps the statements of the same names in sql/oracle/queries/.

-- name: submit_job
-- Job row and queue entry are one row here: one INSERT makes both durable (invariant 1). The
-- queue's row gives the defaults; an unknown queue inserts nothing. ON CONFLICT on the caller's
-- idempotency key returns nothing; the caller then reads the existing job (and compares
-- request_sha256). $14: the submit's W3C traceparent (null without tracing, V022). $15-$18: the
-- audit row (actor, via, action, detail) recorded with the job it inserted, target jobs/<id>, in the
-- same statement; $15 null: none.
with inserted as (
  insert into jobs (name, owner, type, params, priority, max_attempts, run_at, idempotency_key,
                    idempotency_caller, request_sha256, queue, timeout_seconds, unique_key, trace_parent)
  select $1, $2, $3, $4, coalesce($5, q.priority), coalesce($6, q.max_attempts), coalesce($7, now()), $8, $9, $10,
         q.name, coalesce($12, q.timeout_seconds), $13, $14
    from job_queues q
   where q.name = $11
  on conflict (coalesce(idempotency_caller, ''), idempotency_key) where idempotency_key is not null do nothing
  returning *
), audited as (
  insert into audit_log (actor, via, action, target, detail)
  select $15::varchar, $16::varchar, $17::varchar, 'jobs/' || i.id, $18::varchar from inserted i where $15 is not null
)
select * from inserted

-- name: submit_jobs
-- postgres only (Oracle inserts a batch row by row with submit_job, in one transaction).
-- Many submits in one statement: the jobs of a batch (POST /api/v1/jobs/batch), or the concurrent
-- submit_job calls of one group commit. One array per column, one element per job; submit_job's
-- rules row by row. Answers one row per job, in the arrays' order: the job as inserted, or nulls
-- where submit_job would have inserted nothing (its key names an earlier job, its queue is gone).
-- The ids are drawn first (in the arrays' order) so that each inserted row finds its element again.
-- One statement instead of one per job: about a fifth of the database's CPU per job (its
-- statement-level triggers fire once; docs/benchmarks.md 2j). Each inserted job's audit row (its
-- actor, via, action and detail in $15-$18, null actor: none) is inserted with it, target jobs/<id>.
with b as materialized (
  select nextval('jobs_id_seq') as id, u.*
    from unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[], $5::int[], $6::int[], $7::timestamptz[],
                $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::int[], $13::varchar[],
                $14::varchar[], $15::varchar[], $16::varchar[], $17::varchar[], $18::varchar[])
         with ordinality as u(name, owner, type, params, priority, max_attempts, run_at, idempotency_key,
                              idempotency_caller, request_sha256, queue, timeout_seconds, unique_key, trace_parent,
                              audit_actor, audit_via, audit_action, audit_detail, ord)
), inserted as (
  insert into jobs (id, name, owner, type, params, priority, max_attempts, run_at, idempotency_key,
                    idempotency_caller, request_sha256, queue, timeout_seconds, unique_key, trace_parent)
  overriding system value
  select b.id, b.name, b.owner, b.type, b.params::jsonb, coalesce(b.priority, q.priority),
         coalesce(b.max_attempts, q.max_attempts), coalesce(b.run_at, now()), b.idempotency_key,
         b.idempotency_caller, b.request_sha256, q.name, coalesce(b.timeout_seconds, q.timeout_seconds),
         b.unique_key, b.trace_parent
    from b join job_queues q on q.name = b.queue
   order by b.ord
  on conflict (coalesce(idempotency_caller, ''), idempotency_key) where idempotency_key is not null do nothing
  returning *
), audited as (
  insert into audit_log (actor, via, action, target, detail)
  select b.audit_actor, b.audit_via, b.audit_action, 'jobs/' || i.id, b.audit_detail
    from inserted i join b on b.id = i.id
   where b.audit_actor is not null
   order by b.ord
)
select inserted.* from b left join inserted on inserted.id = b.id order by b.ord

-- name: expire_idempotency_key
-- The caller's key no longer names its job once older than the key's life ($3 ms): a new submit
-- with it makes a new job.
update jobs
   set idempotency_key = null, idempotency_caller = null
 where coalesce(idempotency_caller, '') = $1 and idempotency_key = $2
   and created_at <= now() - $3 * interval '1 millisecond'

-- name: take_unique_key
-- In the submit's transaction, after the insert of job $3: takes (queue $1, key $2), or takes it
-- over when its period ended. Held (no row changed): the caller rolls its insert back and
-- returns the holder. $4: the period in ms, null while the job is queued or running.
insert into job_unique_keys (queue, unique_key, job_id, expires_at)
values ($1, $2, $3, now() + $4 * interval '1 millisecond')
on conflict (queue, unique_key) do update
   set job_id = excluded.job_id, expires_at = excluded.expires_at
 where job_unique_keys.expires_at is not null and job_unique_keys.expires_at <= now()

-- name: find_unique_holder
select j.* from job_unique_keys k join jobs j on j.id = k.job_id where k.queue = $1 and k.unique_key = $2

-- name: find_job
select * from jobs where id = $1

-- name: find_job_by_idempotency_key
-- $1 the caller, $2 the key (the expression of the unique index jobs_idempotency_uq).
select * from jobs where coalesce(idempotency_caller, '') = $1 and idempotency_key = $2

-- name: list_jobs
-- Newest first, keyset paging on id; null filters match all. Fetches one extra row to know
-- whether there is a next page. $3, $4: what the caller may see (JobQuery.Visibility; null: every
-- job): the jobs $3 owns and those of the queues $4 names (comma-separated; queue names never
-- contain a comma).
select * from jobs
 where ($1::varchar is null or status = $1)
   and ($2::varchar is null or owner = $2)
   and ($3::varchar is null or owner = $3 or position(',' || queue || ',' in ',' || coalesce($4::varchar, '') || ',') > 0)
   and ($5::bigint is null or id < $5)
 order by id desc
 limit $6

-- name: search_jobs
-- list_jobs of the jobs whose name, type, params (JSON text) or error contain the text ($1: a LIKE
-- pattern '%text%', its own % _ \ escaped), ignoring case. The expression is the one jobs_search_ix
-- (V017, pg_trgm GIN) indexes, fields joined by the unit separator (no search contains it) so no
-- hit spans two fields. Rare text: a bitmap scan of the index; common text, or one without a
-- trigram ('42'): the newest jobs first with a filter (the planner chooses; docs/search.md has the
-- plans at a million rows). Oracle has a second statement, search_jobs_short, for the latter.
select * from jobs
 where (name || E'\x1f' || type || E'\x1f' || params::text || E'\x1f' || coalesce(error, '')) ilike $1
   and ($2::varchar is null or status = $2)
   and ($3::varchar is null or owner = $3)
   and ($4::varchar is null or owner = $4 or position(',' || queue || ',' in ',' || coalesce($5::varchar, '') || ',') > 0)
   and ($6::bigint is null or id < $6)
 order by id desc
 limit $7

-- name: cancel_job
-- Queued: cancelled at once. Running: flagged; the handler sees it at its next heartbeat.
update jobs
   set cancel_requested = true,
       status = case when status = 'QUEUED' then 'CANCELLED' else status end,
       finished_at = case when status = 'QUEUED' then now() else finished_at end,
       updated_at = now()
 where id = $1 and status in ('QUEUED', 'RUNNING')
returning *

-- name: queue_stats
select count(*) filter (where status = 'QUEUED' and run_at <= now())                  as ready,
       count(*) filter (where status = 'QUEUED' and run_at > now())                   as delayed,
       count(*) filter (where status = 'RUNNING')                                     as running,
       coalesce(extract(epoch from now() - min(run_at) filter (
           where status = 'QUEUED' and run_at <= now())), 0)::float8                  as oldest_ready_age
  from jobs
 where status in ('QUEUED', 'RUNNING')

-- name: replica_capacity
select coalesce(sum(slots), 0)::bigint as capacity, count(*)::int as replicas
  from dispatcher_replicas
 where last_seen_at > now() - $1 * interval '1 millisecond' and not draining

-- name: claim_jobs
-- FOR UPDATE SKIP LOCKED: concurrent claimers never wait for, nor take, each other's rows.
-- Each claimed job gets a fresh fencing token from the sequence. $4 is the global cap (null: none),
-- $5 the queue (its cap and paused flag hold), $6 the timeout grace in ms; caps are enforced inside
-- jobs_claim with slot rows (V006, V013). Oracle: the same slot rows, locked in AqClaim.
select * from jobs_claim($2, $1, $3, $4, $5, $6)

-- name: next_delayed_run_at
select min(run_at) as run_at from jobs where status = 'QUEUED' and run_at > now()

-- name: heartbeat_job
-- Never past the job's hard deadline (timeout + grace): a hung handler's lease runs out there.
update jobs
   set lease_expires_at = least(now() + $3 * interval '1 millisecond', coalesce(deadline_at, 'infinity'))
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning cancel_requested

-- name: report_progress
update jobs
   set progress_pct = $3,
       progress_message = $4,
       lease_expires_at = least(now() + $5 * interval '1 millisecond', coalesce(deadline_at, 'infinity')),
       updated_at = now()
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning cancel_requested

-- name: complete_job
-- $1: the handler's result (JSON text); null keeps one a stored procedure set (jobflow_set_result).
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = 'COMPLETED', progress_pct = 100, finished_at = now(), updated_at = now(),
       lease_expires_at = null, error = null, result = coalesce($1::text, result)
 where id = $2 and lease_token = $3 and status = 'RUNNING'
returning id

-- name: complete_jobs
-- postgres only: Oracle's store ends a job per statement and transaction (it has no group commit).
-- complete_job for several jobs in one statement: the ends that the group commit carries together
-- (PgJobStore). $1 results (as complete_job's $1), $2 ids, $3 lease tokens, position by position; the
-- same fencing per job. Returns the ids of the jobs it completed: a job whose lease was lost is not among them.
update jobs j
   set progress_message = null,
       status = 'COMPLETED', progress_pct = 100, finished_at = now(), updated_at = now(),
       lease_expires_at = null, error = null, result = coalesce(d.result, j.result)
  from unnest($1::text[], $2::bigint[], $3::bigint[]) as d (result, id, lease_token)
 where j.id = d.id and j.lease_token = d.lease_token and j.status = 'RUNNING'
returning j.id

-- name: fail_job
-- Back to the queue at the retry time while attempts remain, else FAILED. A null retry time
-- means "do not retry" (e.g. an unknown job type): FAILED at once.
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = case when $4::timestamptz is not null and attempts < max_attempts then 'QUEUED' else 'FAILED' end,
       run_at = case when $4::timestamptz is not null and attempts < max_attempts then $4 else run_at end,
       finished_at = case when $4::timestamptz is not null and attempts < max_attempts then null else now() end,
       error = $3,
       lease_expires_at = null,
       updated_at = now()
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning id

-- name: cancel_running_job
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = 'CANCELLED', finished_at = now(), updated_at = now(), lease_expires_at = null
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning id

-- name: release_job
-- Drain: back to the queue now, the attempt not spent. run_at is kept (it is already due): the
-- job keeps its place instead of going behind everything queued since.
update jobs
   set status = 'QUEUED', attempts = greatest(attempts - 1, 0),
       lease_expires_at = null, updated_at = now()
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning id

-- name: reap_expired_leases
-- SKIP LOCKED: a job a live owner is updating right now is left to the next pass.
-- run_at is kept (already due): a dead replica's job is retried at once, in its old place in the
-- queue, not behind everything queued since it was first claimed. A job past its hard deadline
-- (timeout + grace; its lease was never renewed beyond it) ends its attempt as timed out.
with expired as (
    select id from jobs
     where status = 'RUNNING' and lease_expires_at < now()
       for update skip locked
)
update jobs j
   set status = case when j.cancel_requested then 'CANCELLED'
                     when j.attempts < j.max_attempts then 'QUEUED'
                     else 'FAILED' end,
       finished_at = case when j.cancel_requested or j.attempts >= j.max_attempts then now() end,
       error = case when j.deadline_at <= now()
                    then 'timed out after ' || j.timeout_seconds || ' s (attempt ' || j.attempts || ')'
                    else 'lease of ' || coalesce(j.lease_owner, '?') || ' expired (attempt ' || j.attempts || ')' end,
       lease_expires_at = null,
       updated_at = now()
  from expired
 where j.id = expired.id
returning j.id

-- name: queue_settings_all
select * from job_queues order by name

-- name: queue_settings
select * from job_queues where name = $1

-- name: list_queues
-- Every queue with its figures (one pass over the queued and running jobs).
select q.*,
       coalesce(c.ready, 0) as ready, coalesce(c.delayed, 0) as delayed, coalesce(c.running, 0) as running,
       coalesce(c.oldest_ready_age, 0)::float8 as oldest_ready_age
  from job_queues q
  left join (
        select queue,
               count(*) filter (where status = 'QUEUED' and run_at <= now())   as ready,
               count(*) filter (where status = 'QUEUED' and run_at > now())    as delayed,
               count(*) filter (where status = 'RUNNING')                      as running,
               extract(epoch from now() - min(run_at) filter (
                   where status = 'QUEUED' and run_at <= now()))               as oldest_ready_age
          from jobs
         where status in ('QUEUED', 'RUNNING')
         group by queue) c on c.queue = q.name
 order by q.name

-- name: find_queue
select q.*,
       count(j.id) filter (where j.status = 'QUEUED' and j.run_at <= now())   as ready,
       count(j.id) filter (where j.status = 'QUEUED' and j.run_at > now())    as delayed,
       count(j.id) filter (where j.status = 'RUNNING')                        as running,
       coalesce(extract(epoch from now() - min(j.run_at) filter (
           where j.status = 'QUEUED' and j.run_at <= now())), 0)::float8      as oldest_ready_age
  from job_queues q
  left join jobs j on j.queue = q.name and j.status in ('QUEUED', 'RUNNING')
 where q.name = $1
 group by q.name

-- name: put_queue
-- Creates the queue or changes its cap and defaults; the paused flag is kept. A lowered cap
-- counts the slots above it still in use (jobs_claim), so running jobs are never cut short.
insert into job_queues (name, cap, priority, max_attempts, backoff_seconds, timeout_seconds)
values ($1, $2, $3, $4, $5, $6)
on conflict (name) do update
   set cap = excluded.cap, priority = excluded.priority, max_attempts = excluded.max_attempts,
       backoff_seconds = excluded.backoff_seconds, timeout_seconds = excluded.timeout_seconds, updated_at = now()

-- name: pause_queue
update job_queues set paused = ($1 = 1), updated_at = now() where name = $2

-- name: put_schedule
-- Creates or replaces a schedule's definition; its next time ($13) was computed from its
-- expression, which counts from the anchor ($12, now).
insert into job_schedules (name, queue, type, params, owner, cron, calendar, time_zone, overlap, misfire, enabled,
                           anchor_at, next_fire_at)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 = 1, $12, $13)
on conflict (name) do update
   set queue = excluded.queue, type = excluded.type, params = excluded.params, owner = excluded.owner,
       cron = excluded.cron, calendar = excluded.calendar, time_zone = excluded.time_zone,
       overlap = excluded.overlap, misfire = excluded.misfire, enabled = excluded.enabled,
       anchor_at = excluded.anchor_at, next_fire_at = excluded.next_fire_at, last_error = null, updated_at = now()

-- name: list_schedules
select s.*, j.status as last_job_status
  from job_schedules s left join jobs j on j.id = s.last_job_id
 order by s.name

-- name: find_schedule
select s.*, j.status as last_job_status
  from job_schedules s left join jobs j on j.id = s.last_job_id
 where s.name = $1

-- name: delete_schedule
delete from job_schedules where name = $1

-- name: lock_schedule
select s.*, null as last_job_status from job_schedules s where s.name = $1 for update

-- name: schedule_ran
-- After a run-now: the schedule's last job (its next time is unchanged).
update job_schedules set last_fire_at = $1, last_job_id = $2 where name = $3

-- name: lock_due_schedules
-- The enabled schedules due by $1 (or whose next time is not computed yet), each locked by one
-- scheduler pass; other replicas' passes skip them.
select s.*, null as last_job_status
  from job_schedules s
 where s.enabled and (s.next_fire_at is null or s.next_fire_at <= $1)
 order by s.next_fire_at nulls first
 limit 100
   for update skip locked

-- name: job_active
select 1 from jobs where id = $1 and status in ('QUEUED', 'RUNNING')

-- name: disable_schedule
update job_schedules set enabled = false, last_error = $1, next_fire_at = null, updated_at = now() where name = $2

-- name: schedule_fired
-- $2/$3 null: no job this pass (overlap skip, misfire skip); the last fire is kept.
update job_schedules
   set next_fire_at = $1,
       last_fire_at = coalesce($2, last_fire_at),
       last_job_id = coalesce($3, last_job_id)
 where name = $4

-- name: next_schedule_due
select min(next_fire_at) as next_due from job_schedules where enabled

-- name: insert_scheduled_job
-- One job per (schedule, due time): a second insert for the same time does nothing.
insert into jobs (name, owner, type, params, priority, max_attempts, run_at, queue, timeout_seconds,
                  schedule_name, scheduled_for)
select $1, $2, $3, $4, q.priority, q.max_attempts, $5, q.name, q.timeout_seconds, $1, $5
  from job_queues q
 where q.name = $6
on conflict (schedule_name, scheduled_for) where schedule_name is not null do nothing
returning *

-- name: append_log
-- A line of the running job under lease token $4 (V014's jobflow_log: counted, kept up to the limit,
-- sent to the room job:{id}); in its own statement, so visible at once.
select jobflow_log($1, $2, $3, $4) as kept

-- name: list_runs
select * from job_runs where job_id = $1 order by id

-- name: list_logs
-- Oldest first after line $2; one extra row tells whether there is a next page.
select * from job_logs where job_id = $1 and id > $2 order by id limit $3

-- name: lock_retention
-- One retention pass at a time: the pass that locks this row prunes; the others skip it.
select name from maintenance_locks where name = 'retention' for update skip locked

-- name: prune_jobs_by_age
-- Finished jobs that ended more than $1 ms ago, at most $2; their runs and log lines go with them
-- (on delete cascade). Never a queued or running job.
delete from jobs where id in (
    select id from jobs
     where status in ('COMPLETED', 'FAILED', 'CANCELLED') and finished_at < now() - $1 * interval '1 millisecond'
     order by finished_at, id
     limit $2)

-- name: prune_jobs_by_count
-- Finished jobs beyond the newest $1 finished ones (by id), at most $2.
delete from jobs where id in (
    select id from jobs
     where status in ('COMPLETED', 'FAILED', 'CANCELLED')
     order by id desc
    offset $1
     limit $2)

-- name: prune_cycles
delete from dispatch_cycles where id in (
    select id from dispatch_cycles where ended_at < now() - $1 * interval '1 millisecond' order by ended_at limit $2)

-- name: prune_unique_keys
-- Unique keys whose period ended (held-while-active keys go when their job ends).
delete from job_unique_keys where (queue, unique_key) in (
    select queue, unique_key from job_unique_keys where expires_at < now() limit $1)

-- name: prune_audit
delete from audit_log where id in (
    select id from audit_log where at < now() - $1 * interval '1 millisecond' order by at limit $2)

-- name: prune_replicas
delete from dispatcher_replicas where last_seen_at < now() - $1 * interval '1 millisecond'

-- name: retry_job
-- Retry in place: a failed or cancelled job is QUEUED again under its id, its attempts counted on
-- (one more if it used them all); its runs and log lines stay. A new claim gives it a new fencing
-- token, so a stale owner of an earlier attempt can change nothing.
update jobs
   set status = 'QUEUED', run_at = now(), finished_at = null, cancel_requested = false, progress_pct = 0,
       progress_message = null, lease_expires_at = null, lease_owner = null,
       max_attempts = greatest(max_attempts, attempts + 1), updated_at = now()
 where id = $1 and status in ('FAILED', 'CANCELLED')
returning *

-- name: delete_job
-- A finished job, with its runs and log lines (on delete cascade).
delete from jobs where id = $1 and status in ('COMPLETED', 'FAILED', 'CANCELLED')

-- name: bulk_retry
-- The bulk statements take the same filter: $1 queue, $2 status, $3 type, $4 owner, $5 created
-- before, $6 created after, $7 text in the error, $8 the ids as a JSON array text; null matches all.
update jobs
   set status = 'QUEUED', run_at = now(), finished_at = null, cancel_requested = false, progress_pct = 0,
       progress_message = null, lease_expires_at = null, lease_owner = null,
       max_attempts = greatest(max_attempts, attempts + 1), updated_at = now()
 where status in ('FAILED', 'CANCELLED')
   and ($1::varchar is null or queue = $1)
   and ($2::varchar is null or status = $2)
   and ($3::varchar is null or type = $3)
   and ($4::varchar is null or owner = $4)
   and ($5::timestamptz is null or created_at < $5)
   and ($6::timestamptz is null or created_at > $6)
   and ($7::varchar is null or strpos(error, $7) > 0)
   and ($8::text is null or id in (select jsonb_array_elements_text($8::jsonb)::bigint))

-- name: bulk_count_retry
select count(*) as n from jobs where status in ('FAILED', 'CANCELLED')
   and ($1::varchar is null or queue = $1)
   and ($2::varchar is null or status = $2)
   and ($3::varchar is null or type = $3)
   and ($4::varchar is null or owner = $4)
   and ($5::timestamptz is null or created_at < $5)
   and ($6::timestamptz is null or created_at > $6)
   and ($7::varchar is null or strpos(error, $7) > 0)
   and ($8::text is null or id in (select jsonb_array_elements_text($8::jsonb)::bigint))

-- name: bulk_cancel
update jobs
   set cancel_requested = true,
       status = case when status = 'QUEUED' then 'CANCELLED' else status end,
       finished_at = case when status = 'QUEUED' then now() else finished_at end,
       updated_at = now()
 where status in ('QUEUED', 'RUNNING')
   and ($1::varchar is null or queue = $1)
   and ($2::varchar is null or status = $2)
   and ($3::varchar is null or type = $3)
   and ($4::varchar is null or owner = $4)
   and ($5::timestamptz is null or created_at < $5)
   and ($6::timestamptz is null or created_at > $6)
   and ($7::varchar is null or strpos(error, $7) > 0)
   and ($8::text is null or id in (select jsonb_array_elements_text($8::jsonb)::bigint))

-- name: bulk_count_cancel
select count(*) as n from jobs where status in ('QUEUED', 'RUNNING')
   and ($1::varchar is null or queue = $1)
   and ($2::varchar is null or status = $2)
   and ($3::varchar is null or type = $3)
   and ($4::varchar is null or owner = $4)
   and ($5::timestamptz is null or created_at < $5)
   and ($6::timestamptz is null or created_at > $6)
   and ($7::varchar is null or strpos(error, $7) > 0)
   and ($8::text is null or id in (select jsonb_array_elements_text($8::jsonb)::bigint))

-- name: bulk_delete
delete from jobs where status in ('COMPLETED', 'FAILED', 'CANCELLED')
   and ($1::varchar is null or queue = $1)
   and ($2::varchar is null or status = $2)
   and ($3::varchar is null or type = $3)
   and ($4::varchar is null or owner = $4)
   and ($5::timestamptz is null or created_at < $5)
   and ($6::timestamptz is null or created_at > $6)
   and ($7::varchar is null or strpos(error, $7) > 0)
   and ($8::text is null or id in (select jsonb_array_elements_text($8::jsonb)::bigint))

-- name: bulk_count_delete
select count(*) as n from jobs where status in ('COMPLETED', 'FAILED', 'CANCELLED')
   and ($1::varchar is null or queue = $1)
   and ($2::varchar is null or status = $2)
   and ($3::varchar is null or type = $3)
   and ($4::varchar is null or owner = $4)
   and ($5::timestamptz is null or created_at < $5)
   and ($6::timestamptz is null or created_at > $6)
   and ($7::varchar is null or strpos(error, $7) > 0)
   and ($8::text is null or id in (select jsonb_array_elements_text($8::jsonb)::bigint))

-- name: audit
insert into audit_log (actor, via, action, target, detail) values ($1, $2, $3, $4, $5)

-- name: audit_rows
-- postgres only: Oracle's store writes an audit row per statement (it has no group commit).
-- The audit rows that one group commit carries (PgJobStore), as one statement: one array per column of
-- audit, one element per row, inserted in the arrays' order.
insert into audit_log (actor, via, action, target, detail)
select * from unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[])

-- name: list_audit
-- Newest first, keyset paging on id; null filters match all; one extra row tells of a next page.
select * from audit_log
 where ($1::varchar is null or actor = $1)
   and ($2::varchar is null or action = $2)
   and ($3::bigint is null or id < $3)
 order by id desc
 limit $4

-- name: heartbeat_replica
insert into dispatcher_replicas (replica_id, slots, draining)
values ($1, $2, $3)
on conflict (replica_id) do update
   set slots = excluded.slots, draining = excluded.draining, last_seen_at = now()

-- name: remove_replica
delete from dispatcher_replicas where replica_id = $1

-- name: record_cycle
insert into dispatch_cycles (replica_id, started_at, ended_at, polls, claimed, completed, failed, jobs_per_sec)
values ($1, $2, $3, $4, $5, $6, $7, $8)

-- name: notify_ready
-- Sent after a submit commits, coalesced: not one NOTIFY per job (a NOTIFY serialises commits).
select pg_notify('jobflow_jobs_ready', '')

-- name: list_events
-- The outbox of one job (V018), oldest first.
select * from job_events where job_id = $1 order by id

-- name: lock_events
-- One broker relay at a time: the relay that locks this row publishes; the others skip it.
select name from maintenance_locks where name = 'events' for update skip locked

-- name: unsent_events
-- Events not yet published, in id order (each job's events in the order of its changes).
select * from job_events where sent_at is null order by id limit $1

-- name: event_sent
update job_events set sent_at = now() where id = $1

-- name: lock_webhooks
-- One webhook relay at a time: the relay that locks this row delivers; the others skip it.
select name from maintenance_locks where name = 'webhooks' for update skip locked

-- name: due_webhooks
-- Webhook deliveries due now, the first pending one of each job only (a job's events arrive in
-- order: a later one waits while an earlier one is retried), with the queue's URL and secret
-- (null when the queue's webhook was removed since). Ordered by the
-- due time, as its index is: the poll reads only what is due, however long the outbox (ordered by
-- id it walked the whole outbox when the statistics were stale, 24 ms per poll at 60,000 events).
select e.*, q.webhook_url, q.webhook_secret
  from job_events e left join job_queues q on q.name = e.queue
 where e.hook_due_at <= now()
   and not exists (select 1 from job_events p where p.job_id = e.job_id and p.hook_due_at is not null and p.id < e.id)
 order by e.hook_due_at, e.id
 limit $1

-- name: webhook_done
-- Delivered, given up, or nothing to deliver any more ($1: attempts now spent).
update job_events set hook_due_at = null, hook_attempts = $1 where id = $2

-- name: webhook_later
-- Failed: due again in $1 ms ($2: attempts now spent).
update job_events set hook_due_at = now() + $1 * interval '1 millisecond', hook_attempts = $2 where id = $3

-- name: record_delivery
insert into job_webhook_deliveries (job_id, event_id, event, attempt, url, status_code, outcome, error)
values ($1, $2, $3, $4, $5, $6, $7, $8)

-- name: list_deliveries
select * from job_webhook_deliveries where job_id = $1 order by id

-- name: put_webhook
-- Sets (or with nulls removes) a queue's webhook.
update job_queues set webhook_url = $1, webhook_secret = $2, updated_at = now() where name = $3

-- name: find_webhook
-- A queue's webhook URL and whether it has a secret; never the secret itself.
select name, webhook_url, case when webhook_secret is null then 0 else 1 end as has_secret
  from job_queues where name = $1

-- name: prune_events
-- Events written more than $1 ms ago, sent or not, at most $2 (an event still unsent by then is
-- given up); a job's events also go with the job.
delete from job_events where id in (
    select id from job_events where created_at < now() - $1 * interval '1 millisecond' order by created_at limit $2)

-- name: register_job_type
-- $1 type, $2 its declared parameters (JSON text, null: not declared), $3 the replica.
insert into job_types (type, params, replica_id) values ($1, $2, $3)
on conflict (type) do update
   set params = excluded.params, replica_id = excluded.replica_id, registered_at = now()

-- name: list_job_types
select type, params, replica_id, registered_at from job_types order by type

-- name: prune_job_types
-- Types no replica registered for as long as a forgotten replica is kept ($1 ms).
delete from job_types where registered_at < now() - $1 * interval '1 millisecond'
