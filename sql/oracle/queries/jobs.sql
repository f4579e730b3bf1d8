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
-- Job row and queue message in one statement: the BEFORE trigger enqueues (invariant 1).
-- A duplicate (caller, idempotency key) fails with ORA-00001 (statement rolled back, message included);
-- the caller then reads the existing job. PostgreSQL: ON CONFLICT DO NOTHING RETURNING *.
-- run_at is cast: a null (run now) reaches Oracle as a VARCHAR2 null (the reactive client binds
-- nulls with setObject(i, null)), and COALESCE does not mix VARCHAR2 with TIMESTAMP WITH TIME
-- ZONE (ORA-00932); the cast types the bind whatever its value (PostgreSQL: $7 is typed by the
-- column).
insert into jobs (id, name, owner, type, params, priority, max_attempts, run_at, idempotency_key,
                  idempotency_caller, request_sha256)
values (?, ?, ?, ?, ?, ?, ?, coalesce(cast(? as timestamp with time zone), systimestamp), ?, ?, ?)

-- name: find_job
select * from jobs where id = ?

-- name: find_job_by_idempotency_key
-- the caller, then the key (the unique constraint jobs_idempotency_uq)
select * from jobs where idempotency_caller = ? and idempotency_key = ?

-- name: list_jobs
-- Newest first, keyset paging on id; null filters match all (nvl: each parameter bound once).
-- Fetches one extra row to know whether there is a next page. The id bound is cast (a null
-- arrives as a VARCHAR2 null) and compared with a constant when absent, so the id range is a
-- number range the primary key index can use (issue 16).
select * from jobs
 where status = nvl(?, status)
   and owner = nvl(?, owner)
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
-- cap_slot: the global-cap slot the claim locked for this job (lock_cap_slots), null without a cap.
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
       cap_slot = ?
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
-- Followed by lease_state in the same transaction (PostgreSQL: RETURNING cancel_requested).
update jobs
   set lease_expires_at = systimestamp + numtodsinterval(? / 1000, 'SECOND')
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: lease_state
-- oracle only: what heartbeat_job and report_progress return in PostgreSQL.
select cancel_requested from jobs where id = ? and lease_token = ? and status = 'RUNNING'

-- name: report_progress
update jobs
   set progress_pct = ?,
       progress_message = ?,
       lease_expires_at = systimestamp + numtodsinterval(? / 1000, 'SECOND'),
       updated_at = systimestamp
 where id = ? and lease_token = ? and status = 'RUNNING'

-- name: complete_job
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = 'COMPLETED', progress_pct = 100, finished_at = systimestamp, updated_at = systimestamp,
       lease_expires_at = null, error = null
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
       error = 'lease of ' || nvl(lease_owner, '?') || ' expired (attempt ' || attempts || ')',
       lease_expires_at = null,
       updated_at = systimestamp
 where id = ? and status = 'RUNNING' and lease_expires_at < systimestamp

-- name: requeue_orphans
-- oracle only: a QUEUED job whose message is gone (moved to the exception queue after
-- max_retries rolled-back claims, or removed by hand) gets a fresh one: setting queue_msgid to
-- null makes the trigger enqueue. A message being claimed right now still counts as present
-- (its removal is not committed), so this never doubles a live claim. Run with the reaper.
update jobs j
   set queue_msgid = null
 where (case when status = 'QUEUED' then run_at end) is not null
   and not exists (select 1 from jobflow_dispatch_qt q
                    where q.msgid = j.queue_msgid and q.q_name = 'JOBFLOW_DISPATCH_Q')

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
