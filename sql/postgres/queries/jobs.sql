-- Named statements of the PostgreSQL job store. Each starts with "-- name: <name>" and runs as
-- one statement (one implicit transaction). Positional parameters are $1, $2, ...
-- The Oracle adapter keeps the statements of the same names in sql/oracle/queries/.

-- name: submit_job
-- Job row and queue entry are one row here: one INSERT makes both durable (invariant 1).
-- ON CONFLICT on the caller's idempotency key returns nothing; the caller then reads the existing
-- job (and compares request_sha256).
insert into jobs (name, owner, type, params, priority, max_attempts, run_at, idempotency_key,
                  idempotency_caller, request_sha256)
values ($1, $2, $3, $4, $5, $6, coalesce($7, now()), $8, $9, $10)
on conflict (coalesce(idempotency_caller, ''), idempotency_key) where idempotency_key is not null do nothing
returning *

-- name: find_job
select * from jobs where id = $1

-- name: find_job_by_idempotency_key
-- $1 the caller, $2 the key (the expression of the unique index jobs_idempotency_uq).
select * from jobs where coalesce(idempotency_caller, '') = $1 and idempotency_key = $2

-- name: list_jobs
-- Newest first, keyset paging on id; null filters match all. Fetches one extra row to know
-- whether there is a next page.
select * from jobs
 where ($1::varchar is null or status = $1)
   and ($2::varchar is null or owner = $2)
   and ($3::bigint is null or id < $3)
 order by id desc
 limit $4

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
-- enforced inside jobs_claim with slot rows (V006). Oracle: the same slot rows, locked in AqClaim.
select * from jobs_claim($2, $1, $3, $4)

-- name: next_delayed_run_at
select min(run_at) as run_at from jobs where status = 'QUEUED' and run_at > now()

-- name: heartbeat_job
update jobs
   set lease_expires_at = now() + $3 * interval '1 millisecond'
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning cancel_requested

-- name: report_progress
update jobs
   set progress_pct = $3,
       progress_message = $4,
       lease_expires_at = now() + $5 * interval '1 millisecond',
       updated_at = now()
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning cancel_requested

-- name: complete_job
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = 'COMPLETED', progress_pct = 100, finished_at = now(), updated_at = now(),
       lease_expires_at = null, error = null
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning *

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
returning *

-- name: cancel_running_job
update jobs
   set progress_message = null, -- the last step's text does not describe the end
       status = 'CANCELLED', finished_at = now(), updated_at = now(), lease_expires_at = null
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning *

-- name: release_job
-- Drain: back to the queue now, the attempt not spent. run_at is kept (it is already due): the
-- job keeps its place instead of going behind everything queued since.
update jobs
   set status = 'QUEUED', attempts = greatest(attempts - 1, 0),
       lease_expires_at = null, updated_at = now()
 where id = $1 and lease_token = $2 and status = 'RUNNING'
returning *

-- name: reap_expired_leases
-- SKIP LOCKED: a job a live owner is updating right now is left to the next pass.
-- run_at is kept (already due): a dead replica's job is retried at once, in its old place in the
-- queue, not behind everything queued since it was first claimed.
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
       error = 'lease of ' || coalesce(j.lease_owner, '?') || ' expired (attempt ' || j.attempts || ')',
       lease_expires_at = null,
       updated_at = now()
  from expired
 where j.id = expired.id
returning j.id

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
