-- Named statements of the Oracle job store: the same names as sql/postgres/queries/jobs.sql, so
-- the two adapters read statement by statement. Each starts with "-- name: <name>" and is one
-- SQL statement (never PL/SQL: the loader strips a trailing ';'). Positional parameters are '?'
-- (the reactive Oracle client and JDBC). Statements marked "oracle only" have no PostgreSQL twin.
--
-- Where the dialects differ, and why it is still the same contract:
-- * Oracle has no RETURNING * into a result set: a change runs in a transaction together with a
--   read of the row (find_job / lease_state) while the change still holds the row lock, so the
--   row read is exactly the row written.
-- * The queue is the AQ queue jobflow_dispatch_q, not this table. Making a row QUEUED enqueues
--   its message in the same transaction (trigger jobs_enqueue, sql/oracle/V002__dispatch.sql):
--   submit, fail_job (retry), release_job and the reaper therefore need no queue call here.

-- name: next_job_id
-- oracle only: the id is taken before the insert (no RETURNING into a result set).
select jobs_id_seq.nextval as id from dual

-- name: submit_job
-- Job row and queue message in one statement: the BEFORE trigger enqueues (invariant 1). The
-- queue's row gives the defaults; an unknown queue inserts nothing (no row selected).
-- A duplicate (caller, idempotency key) fails with ORA-00001 (statement rolled back, message included);
-- the caller then reads the existing job. PostgreSQL: ON CONFLICT DO NOTHING RETURNING *.
-- Binds that may be null are cast: a null reaches Oracle as a VARCHAR2 null (the reactive client
-- binds nulls with setObject(i, null)), and NVL/COALESCE do not mix VARCHAR2 with NUMBER or
-- TIMESTAMP WITH TIME ZONE (ORA-00932); the cast types the bind whatever its value. The bind before
-- the queue's name is the submit's W3C traceparent (null without tracing, V022).
insert into jobs (id, name, owner, type, params, priority, max_attempts, run_at, idempotency_key,
                  idempotency_caller, request_sha256, queue, timeout_seconds, unique_key, trace_parent)
select ?, ?, ?, ?, ?, nvl(cast(? as number(10)), q.priority), nvl(cast(? as number(10)), q.max_attempts),
       coalesce(cast(? as timestamp with time zone), systimestamp), ?, ?, ?,
       q.name, nvl(cast(? as number(10)), q.timeout_seconds), ?, ?
  from job_queues q
 where q.name = ?

-- name: expire_idempotency_key
-- The caller's key no longer names its job once older than the key's life (ms).
update jobs
   set idempotency_key = null, idempotency_caller = null
 where idempotency_caller = ? and idempotency_key = ?
   and created_at <= systimestamp - numtodsinterval(? / 1000, 'SECOND')

-- name: take_unique_key
-- In the submit's transaction, after the insert of the job: takes (queue, key), or takes it over
-- when its period ended; 0 rows merged: held, the caller rolls its insert back and returns the
-- holder. A concurrent first insert of the same key fails here with ORA-00001: also held.
-- The period (ms) null: held while the job is queued or running (jobs_release_unique_key).
merge into job_unique_keys k
using (select ? as queue, ? as unique_key, ? as job_id, cast(? as number) as period_ms from dual) n
   on (k.queue = n.queue and k.unique_key = n.unique_key)
 when matched then update
      set k.job_id = n.job_id,
          k.expires_at = systimestamp + numtodsinterval(n.period_ms / 1000, 'SECOND')
      where k.expires_at is not null and k.expires_at <= systimestamp
 when not matched then insert (queue, unique_key, job_id, expires_at)
      values (n.queue, n.unique_key, n.job_id, systimestamp + numtodsinterval(n.period_ms / 1000, 'SECOND'))

-- name: find_unique_holder
select j.* from job_unique_keys k join jobs j on j.id = k.job_id where k.queue = ? and k.unique_key = ?

-- name: find_job
select * from jobs where id = ?

-- name: find_job_by_idempotency_key
-- the caller, then the key (the unique constraint jobs_idempotency_uq)
select * from jobs where idempotency_caller = ? and idempotency_key = ?

-- name: list_jobs
-- Newest first, keyset paging on id; null filters match all (nvl: each parameter bound once).
-- Fetches one extra row to know whether there is a next page. The third and fourth binds: what the
-- caller may see (JobQuery.Visibility; null: every job), the jobs it owns and those of the queues it
-- names (comma-separated; queue names never contain a comma). The id bound is cast (a null
-- arrives as a VARCHAR2 null) and compared with a constant when absent, so the id range is a
-- number range the primary key index can use (issue 16).
select * from jobs
 where status = nvl(?, status)
   and owner = nvl(?, owner)
   and (owner = nvl(?, owner) or instr(',' || ? || ',', ',' || queue || ',') > 0)
   and id < nvl(cast(? as number(19)), 10000000000000000000)
 order by id desc
 fetch first ? rows only

-- name: search_jobs
-- list_jobs of the jobs whose name, type, params or error contain the text, ignoring case. The
-- first bind is an Oracle Text query ('%word% and %word%', the search's words of 3+ letters or
-- digits) answered by jobs_search_ix (V017: CONTEXT index on search_text, the four fields lower
-- case, substring index, SYNC ON COMMIT); the second is the text itself, checked exactly, so a hit
-- of the words alone (or across two fields: chr(31) joins them) is not returned.
-- PostgreSQL: one ILIKE on the same four fields, served by a pg_trgm GIN index.
select * from jobs
 where contains(search_text, ?) > 0
   and dbms_lob.instr(search_text, lower(?)) > 0
   and status = nvl(?, status)
   and owner = nvl(?, owner)
   and (owner = nvl(?, owner) or instr(',' || ? || ',', ',' || queue || ',') > 0)
   and id < nvl(cast(? as number(19)), 10000000000000000000)
 order by id desc
 fetch first ? rows only

-- name: search_jobs_short
-- oracle only (PostgreSQL's search_jobs serves every text; its planner picks the index or not).
-- A search with no word of 3+ letters or digits (nothing for Oracle Text to look up), or one whose
-- words expand to more terms than Oracle Text allows (DRG-51030): the newest jobs with the check.
-- Not search_jobs with an optional CONTAINS: an OR around it keeps Oracle from using the domain index.
select * from jobs
 where dbms_lob.instr(search_text, lower(?)) > 0
   and status = nvl(?, status)
   and owner = nvl(?, owner)
   and (owner = nvl(?, owner) or instr(',' || ? || ',', ',' || queue || ',') > 0)
   and id < nvl(cast(? as number(19)), 10000000000000000000)
 order by id desc
 fetch first ? rows only

-- name: cancel_job
-- Queued: cancelled at once (its AQ message is dropped by the next claim, V012). Running: flagged; the
-- handler sees it at its next heartbeat. Followed by find_job in the same transaction.
update jobs
   set cancel_requested = 1,
       status = case when status = 'QUEUED' then 'CANCELLED' else status end,
       finished_at = case when status = 'QUEUED' then systimestamp else finished_at end,
       updated_at = systimestamp
 where id = ? and status in ('QUEUED', 'RUNNING')

-- name: queue_stats
-- PostgreSQL: count(*) filter (...); here count(case ...). The age is an interval turned into
-- seconds.
select ready, delayed, running,
       nvl(extract(day from age) * 86400 + extract(hour from age) * 3600
           + extract(minute from age) * 60 + extract(second from age), 0) as oldest_ready_age
  from (select count(case when status = 'QUEUED' and run_at <= systimestamp then 1 end) as ready,
               count(case when status = 'QUEUED' and run_at > systimestamp then 1 end)  as delayed,
               count(case when status = 'RUNNING' then 1 end)                           as running,
               systimestamp - min(case when status = 'QUEUED' and run_at <= systimestamp
                                       then run_at end)                                 as age
          from jobs
         where status in ('QUEUED', 'RUNNING'))

-- name: replica_capacity
select nvl(sum(slots), 0) as capacity, count(*) as replicas
  from dispatcher_replicas
 where last_seen_at > systimestamp - numtodsinterval(? / 1000, 'SECOND') and draining = 0

-- name: claim_jobs
-- Run by the JDBC AQ session for each message it dequeued (array dequeue, REMOVE, ON_COMMIT),
-- in the same transaction as the dequeue: the message goes if and only if the claim commits.
-- The row is claimed only with the message that currently stands for it (queue_msgid): a
-- message of a cancelled, finished or re-enqueued job is stale and is consumed without effect.
-- Concurrent claimers never share a job: each message is dequeued by one session only (AQ locks
-- it), and the row guard makes a second message for the same job harmless.
-- cap_slot: the global-cap slot the claim locked for this job (lock_cap_slots), null without a cap;
-- queue_slot the same for the queue's cap (lock_queue_slots). deadline_at: start + timeout + the
-- grace (ms), null without a timeout.
-- PostgreSQL: one UPDATE over SELECT ... FOR UPDATE SKIP LOCKED (jobs_claim, V006).
update jobs
   set status = 'RUNNING',
       attempts = attempts + 1,
       lease_owner = ?,
       lease_token = jobs_lease_token_seq.nextval,
       lease_expires_at = systimestamp + numtodsinterval(? / 1000, 'SECOND'),
       progress_pct = 0,
       progress_message = null,
       started_at = systimestamp,
       updated_at = systimestamp,
       queue_msgid = null,
       deadline_at = systimestamp + numtodsinterval(timeout_seconds, 'SECOND')
                     + numtodsinterval(? / 1000, 'SECOND'),
       cap_slot = ?,
       queue_slot = ?
 where id = ? and status = 'QUEUED' and queue_msgid = ?

-- name: cap_slots_exist
-- oracle only: whether the slot rows of cap N exist (V006); if not, add_cap_slots creates them.
select count(*) as present from dispatch_cap_slots where slot = ?

-- name: add_cap_slots
-- oracle only: creates slot rows 1..N; a concurrent claimer creating the same rows makes this fail
-- with ORA-00001 (statement rolled back alone, the claim goes on). PostgreSQL: inside jobs_claim.
insert into dispatch_cap_slots (slot)
select n from (select level as n from dual connect by level <= ?)
 where n not in (select slot from dispatch_cap_slots)

-- name: lock_cap_slots
-- oracle only: the free slots under cap N. Fetch only as many rows as the claim can use: with SKIP
-- LOCKED a row is locked when it is fetched, and rows other claims hold are skipped, not waited for.
select slot from dispatch_cap_slots where slot <= ? and job_id is null for update skip locked

-- name: recheck_cap_slots
-- oracle only: run after lock_cap_slots, as a new statement: which of the slots between the lowest
-- and highest we locked are free as of now (a claim that filled one committed before our lock).
select slot from dispatch_cap_slots where slot between ? and ? and job_id is null

-- name: cap_slots_over
-- oracle only: slots above cap N still in use (the cap was lowered); they count against it.
select count(*) as over_cap from dispatch_cap_slots where slot > ? and job_id is not null

-- name: fill_cap_slot
-- oracle only: the claimed job now holds the slot; the trigger jobs_free_cap_slot (V006) frees it
-- when the job leaves RUNNING.
update dispatch_cap_slots set job_id = ? where slot = ?

-- name: next_delayed_run_at
select min(run_at) as run_at from jobs
 where (case when status = 'QUEUED' then run_at end) > systimestamp

-- name: heartbeat_job
-- Followed by lease_state in the same transaction (PostgreSQL: RETURNING cancel_requested). Never
-- past the job's hard deadline (timeout + grace).
update jobs
   set lease_expires_at = least(systimestamp + numtodsinterval(? / 1000, 'SECOND'),
                                nvl(deadline_at, timestamp '9999-12-31 00:00:00 +00:00'))
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: lease_state
-- oracle only: what heartbeat_job and report_progress return in PostgreSQL.
select cancel_requested from jobs where id = ? and lease_token = ? and status = 'RUNNING'

-- name: report_progress
update jobs
   set progress_pct = ?,
       progress_message = ?,
       lease_expires_at = least(systimestamp + numtodsinterval(? / 1000, 'SECOND'),
                                nvl(deadline_at, timestamp '9999-12-31 00:00:00 +00:00')),
       updated_at = systimestamp
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: complete_job
-- The handler's result (JSON text, cast: a null arrives as a VARCHAR2 null either way); null keeps
-- one a stored procedure set (jobflow_set_result).
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = 'COMPLETED', progress_pct = 100, finished_at = systimestamp, updated_at = systimestamp,
       lease_expires_at = null, error = null, result = nvl(cast(? as varchar2(4000)), result)
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: fail_job
-- Back to the queue at the retry time while attempts remain (the trigger enqueues with the delay
-- run_at - now), else FAILED. A null retry time means "do not retry": FAILED at once. The retry
-- time is bound four times (positional parameters), each cast like PostgreSQL's $4::timestamptz:
-- a null arrives as a VARCHAR2 null, and CASE cannot return VARCHAR2 in one branch and run_at
-- (TIMESTAMP WITH TIME ZONE) in the other (ORA-00932).
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = case when cast(? as timestamp with time zone) is not null and attempts < max_attempts
                     then 'QUEUED' else 'FAILED' end,
       run_at = case when cast(? as timestamp with time zone) is not null and attempts < max_attempts
                     then cast(? as timestamp with time zone) else run_at end,
       finished_at = case when cast(? as timestamp with time zone) is not null and attempts < max_attempts
                          then null else systimestamp end,
       error = ?,
       lease_expires_at = null,
       updated_at = systimestamp
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: cancel_running_job
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = 'CANCELLED', finished_at = systimestamp, updated_at = systimestamp, lease_expires_at = null
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: release_job
-- Drain: back to the queue now (the trigger enqueues without delay: run_at is already due), the
-- attempt not spent. run_at is kept (the dispatcher's PostgreSQL statement keeps the job's place
-- that way); AQ orders by enqueue time, so on Oracle the job goes behind the work of its priority
-- queued since (see docs/oracle-vs-postgres.md).
update jobs
   set status = 'QUEUED', attempts = greatest(attempts - 1, 0),
       lease_expires_at = null, updated_at = systimestamp
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: reap_expired_leases
-- Locks the expired jobs; SKIP LOCKED: a job a live owner is updating right now is left to the
-- next pass. Oracle's UPDATE cannot skip locked rows, so reap_expired_lease follows per id in
-- the same transaction (PostgreSQL: one UPDATE ... FROM over the locked set).
select id from jobs
 where (case when status = 'RUNNING' then lease_expires_at end) < systimestamp
   for update skip locked

-- name: reap_expired_lease
-- oracle only: the update of one locked, expired job. Back to QUEUED re-enqueues (trigger);
-- run_at is kept (already due).
update jobs
   set status = case when cancel_requested = 1 then 'CANCELLED'
                     when attempts < max_attempts then 'QUEUED'
                     else 'FAILED' end,
       finished_at = case when cancel_requested = 1 or attempts >= max_attempts then systimestamp end,
       error = case when deadline_at <= systimestamp
                    then 'timed out after ' || timeout_seconds || ' s (attempt ' || attempts || ')'
                    else 'lease of ' || nvl(lease_owner, '?') || ' expired (attempt ' || attempts || ')' end,
       lease_expires_at = null,
       updated_at = systimestamp
 where id = ? and status = 'RUNNING' and lease_expires_at < systimestamp

-- name: requeue_orphans
-- oracle only: a QUEUED job whose message is gone (moved to the exception queue after
-- max_retries rolled-back claims, or removed by hand) gets a fresh one, at most 1,000 per call
-- (V019's jobflow_aq.requeue_orphans: it reads the AQ queue table as its owner, so a service user
-- needs no grant on that table; an autonomous transaction). Run with the reaper.
select jobflow_aq.requeue_orphans(1000) as requeued from dual

-- name: queue_for_claim
-- oracle only: the queue's cap and paused flag, read by the claim (PostgreSQL: inside jobs_claim).
select cap, paused from job_queues where name = ?

-- name: queue_slots_exist
-- oracle only: whether the slot rows of the queue's cap N exist; if not, add_queue_slots makes them.
select count(*) as present from job_queue_slots where queue = ? and slot = ?

-- name: add_queue_slots
-- oracle only: slot rows 1..N of a queue; a concurrent claimer making the same rows makes this fail
-- with ORA-00001 (statement rolled back alone, the claim goes on).
insert into job_queue_slots (queue, slot)
select ?, n from (select level as n from dual connect by level <= ?)
 where n not in (select slot from job_queue_slots where queue = ?)

-- name: lock_queue_slots
-- oracle only: the queue's free slots under its cap, locked as fetched (see lock_cap_slots).
select slot from job_queue_slots where queue = ? and slot <= ? and job_id is null for update skip locked

-- name: recheck_queue_slots
-- oracle only: which locked slots are free as of now (see recheck_cap_slots).
select slot from job_queue_slots where queue = ? and slot between ? and ? and job_id is null

-- name: queue_slots_over
-- oracle only: the queue's slots above its cap still in use (the cap was lowered).
select count(*) as over_cap from job_queue_slots where queue = ? and slot > ? and job_id is not null

-- name: fill_queue_slot
-- oracle only: the claimed job now holds the queue slot; jobs_free_queue_slot frees it.
update job_queue_slots set job_id = ? where queue = ? and slot = ?

-- name: queue_settings_all
select * from job_queues order by name

-- name: queue_settings
select * from job_queues where name = ?

-- name: list_queues
-- Every queue with its figures (PostgreSQL: count(*) filter; here count(case ...)).
select q.*, nvl(c.ready, 0) as ready, nvl(c.delayed, 0) as delayed, nvl(c.running, 0) as running,
       nvl(extract(day from c.age) * 86400 + extract(hour from c.age) * 3600
           + extract(minute from c.age) * 60 + extract(second from c.age), 0) as oldest_ready_age
  from job_queues q
  left join (
        select case when status in ('QUEUED', 'RUNNING') then queue end as queue,
               count(case when status = 'QUEUED' and run_at <= systimestamp then 1 end) as ready,
               count(case when status = 'QUEUED' and run_at > systimestamp then 1 end)  as delayed,
               count(case when status = 'RUNNING' then 1 end)                           as running,
               systimestamp - min(case when status = 'QUEUED' and run_at <= systimestamp
                                       then run_at end)                                 as age
          from jobs
         where case when status in ('QUEUED', 'RUNNING') then queue end is not null
         group by case when status in ('QUEUED', 'RUNNING') then queue end) c on c.queue = q.name
 order by q.name

-- name: find_queue
-- One queue with its figures (as list_queues).
select q.*, nvl(c.ready, 0) as ready, nvl(c.delayed, 0) as delayed, nvl(c.running, 0) as running,
       nvl(extract(day from c.age) * 86400 + extract(hour from c.age) * 3600
           + extract(minute from c.age) * 60 + extract(second from c.age), 0) as oldest_ready_age
  from job_queues q
  left join (
        select case when status in ('QUEUED', 'RUNNING') then queue end as queue,
               count(case when status = 'QUEUED' and run_at <= systimestamp then 1 end) as ready,
               count(case when status = 'QUEUED' and run_at > systimestamp then 1 end)  as delayed,
               count(case when status = 'RUNNING' then 1 end)                           as running,
               systimestamp - min(case when status = 'QUEUED' and run_at <= systimestamp
                                       then run_at end)                                 as age
          from jobs
         where case when status in ('QUEUED', 'RUNNING') then queue end is not null
         group by case when status in ('QUEUED', 'RUNNING') then queue end) c on c.queue = q.name
 where q.name = ?

-- name: put_queue
-- Creates the queue or changes its cap and defaults; the paused flag is kept.
merge into job_queues q
using (select ? as name, cast(? as number(10)) as cap, ? as priority, ? as max_attempts,
              cast(? as number(10)) as backoff_seconds, cast(? as number(10)) as timeout_seconds from dual) n
   on (q.name = n.name)
 when matched then update
      set q.cap = n.cap, q.priority = n.priority, q.max_attempts = n.max_attempts,
          q.backoff_seconds = n.backoff_seconds, q.timeout_seconds = n.timeout_seconds, q.updated_at = systimestamp
 when not matched then insert (name, cap, priority, max_attempts, backoff_seconds, timeout_seconds)
      values (n.name, n.cap, n.priority, n.max_attempts, n.backoff_seconds, n.timeout_seconds)

-- name: pause_queue
update job_queues set paused = ?, updated_at = systimestamp where name = ?

-- name: put_schedule
-- Creates or replaces a schedule's definition with its computed next time.
merge into job_schedules s
using (select ? as name, ? as queue, ? as type, ? as params, ? as owner, ? as cron, ? as calendar,
              ? as time_zone, ? as overlap, ? as misfire, ? as enabled,
              cast(? as timestamp with time zone) as anchor_at,
              cast(? as timestamp with time zone) as next_fire_at from dual) n
   on (s.name = n.name)
 when matched then update
      set s.queue = n.queue, s.type = n.type, s.params = n.params, s.owner = n.owner, s.cron = n.cron,
          s.calendar = n.calendar, s.time_zone = n.time_zone, s.overlap = n.overlap, s.misfire = n.misfire,
          s.enabled = n.enabled, s.anchor_at = n.anchor_at, s.next_fire_at = n.next_fire_at,
          s.last_error = null, s.updated_at = systimestamp
 when not matched then insert (name, queue, type, params, owner, cron, calendar, time_zone, overlap, misfire,
                               enabled, anchor_at, next_fire_at)
      values (n.name, n.queue, n.type, n.params, n.owner, n.cron, n.calendar, n.time_zone, n.overlap, n.misfire,
              n.enabled, n.anchor_at, n.next_fire_at)

-- name: list_schedules
select s.*, j.status as last_job_status
  from job_schedules s left join jobs j on j.id = s.last_job_id
 order by s.name

-- name: find_schedule
select s.*, j.status as last_job_status
  from job_schedules s left join jobs j on j.id = s.last_job_id
 where s.name = ?

-- name: delete_schedule
delete from job_schedules where name = ?

-- name: lock_schedule
select s.*, cast(null as varchar2(10)) as last_job_status from job_schedules s where s.name = ? for update

-- name: schedule_ran
update job_schedules set last_fire_at = ?, last_job_id = ? where name = ?

-- name: lock_due_schedules
-- The enabled schedules due by the bind (or whose next time is not computed yet), each locked by
-- one scheduler pass; other replicas' passes skip them. ROWNUM: FETCH FIRST is not allowed with
-- FOR UPDATE (ORA-02014).
select s.*, cast(null as varchar2(10)) as last_job_status
  from job_schedules s
 where s.enabled = 1 and (s.next_fire_at is null or s.next_fire_at <= cast(? as timestamp with time zone))
   and rownum <= 100
   for update skip locked

-- name: job_active
select 1 as active from jobs where id = ? and status in ('QUEUED', 'RUNNING')

-- name: disable_schedule
update job_schedules set enabled = 0, last_error = ?, next_fire_at = null, updated_at = systimestamp where name = ?

-- name: schedule_fired
update job_schedules
   set next_fire_at = cast(? as timestamp with time zone),
       last_fire_at = coalesce(cast(? as timestamp with time zone), last_fire_at),
       last_job_id = nvl(cast(? as number(19)), last_job_id)
 where name = ?

-- name: next_schedule_due
select min(case when enabled = 1 then next_fire_at end) as next_due from job_schedules

-- name: insert_scheduled_job
-- One job per (schedule, due time): NOT EXISTS skips a time that has its job; two passes racing
-- past it meet jobs_schedule_fire_uq (ORA-00001, the adapter treats it as "has its job").
-- Binds: id, owner, type, params, schedule name, due time, queue.
insert into jobs (id, name, owner, type, params, priority, max_attempts, run_at, queue, timeout_seconds,
                  schedule_name, scheduled_for)
select ?, n.schedule_name, ?, ?, ?, q.priority, q.max_attempts, n.due, q.name, q.timeout_seconds,
       n.schedule_name, n.due
  from job_queues q,
       (select ? as schedule_name, cast(? as timestamp with time zone) as due from dual) n
 where q.name = ?
   and not exists (select 1 from jobs j where j.schedule_name = n.schedule_name and j.scheduled_for = n.due)

-- name: append_log
-- V014's jobflow_log: an autonomous transaction, visible at once.
select jobflow_log(?, ?, ?, ?) as kept from dual

-- name: list_runs
select * from job_runs where job_id = ? order by id

-- name: list_logs
-- Oldest first after the given line; one extra row tells whether there is a next page.
-- level is a reserved word in Oracle: the column is level_name, read as level.
select id, job_id, attempt, level_name as "level", message, created_at from job_logs
 where job_id = ? and id > ? order by id fetch first ? rows only

-- name: lock_retention
-- One retention pass at a time: the pass that locks this row prunes; the others skip it.
select name from maintenance_locks where name = 'retention' for update skip locked

-- name: prune_jobs_by_age
-- Finished jobs that ended more than the given ms ago, at most a batch; runs and log lines go with
-- them (on delete cascade). Never a queued or running job. jobs_finished_ix reads only finished jobs.
delete from jobs where id in (
    select id from jobs
     where (case when status in ('COMPLETED', 'FAILED', 'CANCELLED') then finished_at end)
           < systimestamp - numtodsinterval(? / 1000, 'SECOND')
     fetch first ? rows only)

-- name: prune_jobs_by_count
-- Finished jobs beyond the newest N finished ones (by id), at most a batch.
delete from jobs where id in (
    select id from jobs
     where status in ('COMPLETED', 'FAILED', 'CANCELLED')
     order by id desc
    offset ? rows fetch next ? rows only)

-- name: prune_cycles
delete from dispatch_cycles where id in (
    select id from dispatch_cycles where ended_at < systimestamp - numtodsinterval(? / 1000, 'SECOND')
     fetch first ? rows only)

-- name: prune_unique_keys
-- Unique keys whose period ended (held-while-active keys go when their job ends).
delete from job_unique_keys where rowid in (
    select rowid from job_unique_keys where expires_at < systimestamp fetch first ? rows only)

-- name: prune_audit
delete from audit_log where id in (
    select id from audit_log where at < systimestamp - numtodsinterval(? / 1000, 'SECOND') fetch first ? rows only)

-- name: prune_replicas
delete from dispatcher_replicas where last_seen_at < systimestamp - numtodsinterval(? / 1000, 'SECOND')

-- name: prune_exception_queue
-- oracle only: messages of the AQ exception queue older than the given ms or beyond the newest N, at
-- most a batch (V019's jobflow_aq.purge_exceptions, an autonomous transaction of the owner: a
-- service user may not purge the queue table itself). Every such message is stale: the reaper gave
-- its job a fresh one. PostgreSQL has no exception queue.
select jobflow_aq.purge_exceptions(?, ?, ?) as removed from dual

-- name: retry_job
-- Retry in place (see the PostgreSQL statement); QUEUED again enqueues (trigger jobs_enqueue).
-- Followed by find_job in the same transaction.
update jobs
   set status = 'QUEUED', run_at = systimestamp, finished_at = null, cancel_requested = 0, progress_pct = 0,
       progress_message = null, lease_expires_at = null, lease_owner = null,
       max_attempts = greatest(max_attempts, attempts + 1), updated_at = systimestamp
 where id = ? and status in ('FAILED', 'CANCELLED')

-- name: delete_job
delete from jobs where id = ? and status in ('COMPLETED', 'FAILED', 'CANCELLED')

-- name: bulk_retry
-- The bulk statements take the filter once, as a one-row table f (PostgreSQL: $1..$8 used twice):
-- queue, status, type, owner, created before, created after, text in the error, the ids as a JSON
-- array text (json_table reads it); null matches all.
update jobs
   set status = 'QUEUED', run_at = systimestamp, finished_at = null, cancel_requested = 0, progress_pct = 0,
       progress_message = null, lease_expires_at = null, lease_owner = null,
       max_attempts = greatest(max_attempts, attempts + 1), updated_at = systimestamp
 where status in ('FAILED', 'CANCELLED') and id in (
    select j.id from jobs j,
           (select ? as queue, ? as status, ? as type, ? as owner,
                   cast(? as timestamp with time zone) as before_at, cast(? as timestamp with time zone) as after_at,
                   ? as error_text, ? as ids from dual) f
     where (f.queue is null or j.queue = f.queue)
       and (f.status is null or j.status = f.status)
       and (f.type is null or j.type = f.type)
       and (f.owner is null or j.owner = f.owner)
       and (f.before_at is null or j.created_at < f.before_at)
       and (f.after_at is null or j.created_at > f.after_at)
       and (f.error_text is null or instr(j.error, f.error_text) > 0)
       and (f.ids is null or j.id in (select x.id from json_table(f.ids, '$[*]' columns (id number(19) path '$')) x)))

-- name: bulk_count_retry
select count(*) as n from jobs where status in ('FAILED', 'CANCELLED') and id in (
    select j.id from jobs j,
           (select ? as queue, ? as status, ? as type, ? as owner,
                   cast(? as timestamp with time zone) as before_at, cast(? as timestamp with time zone) as after_at,
                   ? as error_text, ? as ids from dual) f
     where (f.queue is null or j.queue = f.queue)
       and (f.status is null or j.status = f.status)
       and (f.type is null or j.type = f.type)
       and (f.owner is null or j.owner = f.owner)
       and (f.before_at is null or j.created_at < f.before_at)
       and (f.after_at is null or j.created_at > f.after_at)
       and (f.error_text is null or instr(j.error, f.error_text) > 0)
       and (f.ids is null or j.id in (select x.id from json_table(f.ids, '$[*]' columns (id number(19) path '$')) x)))

-- name: bulk_cancel
update jobs
   set cancel_requested = 1,
       status = case when status = 'QUEUED' then 'CANCELLED' else status end,
       finished_at = case when status = 'QUEUED' then systimestamp else finished_at end,
       updated_at = systimestamp
 where status in ('QUEUED', 'RUNNING') and id in (
    select j.id from jobs j,
           (select ? as queue, ? as status, ? as type, ? as owner,
                   cast(? as timestamp with time zone) as before_at, cast(? as timestamp with time zone) as after_at,
                   ? as error_text, ? as ids from dual) f
     where (f.queue is null or j.queue = f.queue)
       and (f.status is null or j.status = f.status)
       and (f.type is null or j.type = f.type)
       and (f.owner is null or j.owner = f.owner)
       and (f.before_at is null or j.created_at < f.before_at)
       and (f.after_at is null or j.created_at > f.after_at)
       and (f.error_text is null or instr(j.error, f.error_text) > 0)
       and (f.ids is null or j.id in (select x.id from json_table(f.ids, '$[*]' columns (id number(19) path '$')) x)))

-- name: bulk_count_cancel
select count(*) as n from jobs where status in ('QUEUED', 'RUNNING') and id in (
    select j.id from jobs j,
           (select ? as queue, ? as status, ? as type, ? as owner,
                   cast(? as timestamp with time zone) as before_at, cast(? as timestamp with time zone) as after_at,
                   ? as error_text, ? as ids from dual) f
     where (f.queue is null or j.queue = f.queue)
       and (f.status is null or j.status = f.status)
       and (f.type is null or j.type = f.type)
       and (f.owner is null or j.owner = f.owner)
       and (f.before_at is null or j.created_at < f.before_at)
       and (f.after_at is null or j.created_at > f.after_at)
       and (f.error_text is null or instr(j.error, f.error_text) > 0)
       and (f.ids is null or j.id in (select x.id from json_table(f.ids, '$[*]' columns (id number(19) path '$')) x)))

-- name: bulk_delete
delete from jobs where status in ('COMPLETED', 'FAILED', 'CANCELLED') and id in (
    select j.id from jobs j,
           (select ? as queue, ? as status, ? as type, ? as owner,
                   cast(? as timestamp with time zone) as before_at, cast(? as timestamp with time zone) as after_at,
                   ? as error_text, ? as ids from dual) f
     where (f.queue is null or j.queue = f.queue)
       and (f.status is null or j.status = f.status)
       and (f.type is null or j.type = f.type)
       and (f.owner is null or j.owner = f.owner)
       and (f.before_at is null or j.created_at < f.before_at)
       and (f.after_at is null or j.created_at > f.after_at)
       and (f.error_text is null or instr(j.error, f.error_text) > 0)
       and (f.ids is null or j.id in (select x.id from json_table(f.ids, '$[*]' columns (id number(19) path '$')) x)))

-- name: bulk_count_delete
select count(*) as n from jobs where status in ('COMPLETED', 'FAILED', 'CANCELLED') and id in (
    select j.id from jobs j,
           (select ? as queue, ? as status, ? as type, ? as owner,
                   cast(? as timestamp with time zone) as before_at, cast(? as timestamp with time zone) as after_at,
                   ? as error_text, ? as ids from dual) f
     where (f.queue is null or j.queue = f.queue)
       and (f.status is null or j.status = f.status)
       and (f.type is null or j.type = f.type)
       and (f.owner is null or j.owner = f.owner)
       and (f.before_at is null or j.created_at < f.before_at)
       and (f.after_at is null or j.created_at > f.after_at)
       and (f.error_text is null or instr(j.error, f.error_text) > 0)
       and (f.ids is null or j.id in (select x.id from json_table(f.ids, '$[*]' columns (id number(19) path '$')) x)))

-- name: audit
insert into audit_log (actor, via, action, target, detail) values (?, ?, ?, ?, ?)

-- name: list_audit
-- Newest first, keyset paging on id; null filters match all (nvl: each bind once, as list_jobs).
select * from audit_log
 where actor = nvl(?, actor)
   and action = nvl(?, action)
   and id < nvl(cast(? as number(19)), 10000000000000000000)
 order by id desc
 fetch first ? rows only

-- name: heartbeat_replica
-- PostgreSQL: INSERT ... ON CONFLICT DO UPDATE.
merge into dispatcher_replicas r
using (select ? as replica_id, ? as slots, ? as draining from dual) s
   on (r.replica_id = s.replica_id)
 when matched then update set r.slots = s.slots, r.draining = s.draining, r.last_seen_at = systimestamp
 when not matched then insert (replica_id, slots, draining) values (s.replica_id, s.slots, s.draining)

-- name: remove_replica
delete from dispatcher_replicas where replica_id = ?

-- name: record_cycle
insert into dispatch_cycles (replica_id, started_at, ended_at, polls, claimed, completed, failed, jobs_per_sec)
values (?, ?, ?, ?, ?, ?, ?, ?)

-- name: notify_ready
-- Not run by the Oracle adapter: the enqueue itself wakes every session waiting in a dequeue,
-- so there is no separate wake-up signal (and no commit serialisation like NOTIFY's). Kept so
-- that both files have the same names.
select 1 as not_used from dual

-- name: list_events
select * from job_events where job_id = ? order by id

-- name: lock_events
select name from maintenance_locks where name = 'events' for update skip locked

-- name: unsent_events
-- The function-based index job_events_unsent_ix holds only the unsent ids.
select * from job_events where (case when sent_at is null then id end) is not null order by id fetch first ? rows only

-- name: event_sent
update job_events set sent_at = systimestamp where id = ?

-- name: lock_webhooks
select name from maintenance_locks where name = 'webhooks' for update skip locked

-- name: due_webhooks
select e.*, q.webhook_url, q.webhook_secret
  from job_events e left join job_queues q on q.name = e.queue
 where e.hook_due_at <= systimestamp
   and not exists (select 1 from job_events p where p.job_id = e.job_id and p.hook_due_at is not null and p.id < e.id)
 order by e.hook_due_at, e.id
 fetch first ? rows only

-- name: webhook_done
update job_events set hook_due_at = null, hook_attempts = ? where id = ?

-- name: webhook_later
update job_events set hook_due_at = systimestamp + numtodsinterval(? / 1000, 'SECOND'), hook_attempts = ? where id = ?

-- name: record_delivery
insert into job_webhook_deliveries (job_id, event_id, event, attempt, url, status_code, outcome, error)
values (?, ?, ?, ?, ?, ?, ?, ?)

-- name: list_deliveries
select * from job_webhook_deliveries where job_id = ? order by id

-- name: put_webhook
update job_queues set webhook_url = ?, webhook_secret = ?, updated_at = systimestamp where name = ?

-- name: find_webhook
select name, webhook_url, case when webhook_secret is null then 0 else 1 end as has_secret
  from job_queues where name = ?

-- name: prune_events
delete from job_events where id in (
    select id from job_events where created_at < systimestamp - numtodsinterval(? / 1000, 'SECOND')
     fetch first ? rows only)

-- name: register_job_type
-- PostgreSQL: INSERT ... ON CONFLICT DO UPDATE.
merge into job_types t
using (select ? as type, ? as params, ? as replica_id from dual) s
   on (t.type = s.type)
 when matched then update set t.params = s.params, t.replica_id = s.replica_id, t.registered_at = systimestamp
 when not matched then insert (type, params, replica_id) values (s.type, s.params, s.replica_id)

-- name: list_job_types
select type, params, replica_id, registered_at from job_types order by type

-- name: prune_job_types
delete from job_types where registered_at < systimestamp - numtodsinterval(? / 1000, 'SECOND')
