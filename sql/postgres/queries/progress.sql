-- Named statements of the PostgreSQL progress log (see jobs.sql for the format).

-- name: publish
select progress_publish($1, $2) as id

-- name: read_after
-- job_owner: the row is a job's event, delivered to user:<job_owner> and jobs too; trace_parent:
-- its job's, for the hub's delivery span (V023).
select id, room, payload, created_at, job_owner, trace_parent from progress_log
 where id > $1
 order by id
 limit $2

-- name: room_history
-- A room's rows after $2: those written to it and, for user:<owner> and jobs, the job events (one
-- row each, in the room job:<id>, V023) of that owner or of every owner, read as rows of the room.
-- Each branch walks its own index in offset order and stops at $3.
select id, $1::text as room, payload, created_at from (
    (select id, payload, created_at from progress_log
      where room = $1::text and id > $2 order by id limit $3)
    union all
    (select id, payload, created_at from progress_log
      where $1::text = 'jobs' and job_owner is not null and id > $2 order by id limit $3)
    union all
    (select id, payload, created_at from progress_log
      where $1::text like 'user:%' and job_owner = substr($1::text, 6) and id > $2 order by id limit $3)
) rows
 order by id
 limit $3

-- name: head_offset
select coalesce(max(id), 0) as id from progress_log

-- name: epoch
select epoch from progress_stream

-- name: read_tail
-- The tailer's read: rows after its cursor plus the snapshot the read saw (same statement, so the
-- same snapshot). Oracle: no equivalent snapshot; its adapter will resolve holes differently.
select id, room, payload, created_at, job_owner, trace_parent, pg_current_snapshot()::text as snapshot
  from progress_log
 where id > $1
 order by id
 limit $2

-- name: snapshot
select pg_current_snapshot()::text as snapshot

-- name: writers_alive
-- How many transactions that were in progress in snapshot $1 still hold a write lock on
-- progress_log: only those can own a hole seen by the read that took the snapshot.
select count(*)::int as n
  from pg_locks rel
  join pg_locks tx on tx.virtualtransaction = rel.virtualtransaction
 where rel.locktype = 'relation'
   and rel.database = (select oid from pg_database where datname = current_database())
   and rel.relation = 'progress_log'::regclass
   and rel.mode = 'RowExclusiveLock'
   and rel.granted
   and tx.locktype = 'transactionid'
   and tx.mode = 'ExclusiveLock'
   and tx.granted
   and tx.transactionid in (select x::xid from pg_snapshot_xip($1::text::pg_snapshot) x)

-- name: room_latest
-- The newest row of a room, job events included as in room_history.
select id, $1::text as room, payload, created_at from (
    (select id, payload, created_at from progress_log where room = $1::text order by id desc limit 1)
    union all
    (select id, payload, created_at from progress_log
      where $1::text = 'jobs' and job_owner is not null order by id desc limit 1)
    union all
    (select id, payload, created_at from progress_log
      where $1::text like 'user:%' and job_owner = substr($1::text, 6) order by id desc limit 1)
) rows
 order by id desc
 limit 1

-- name: stream_info
select epoch, retained_from, (select coalesce(max(id), 0) from progress_log) as head from progress_stream

-- name: trim_cutoff
-- The first offset to keep: everything older than max age ($1 ms) or beyond the newest $2 rows goes.
select greatest(
         coalesce((select min(id) from progress_log
                    where created_at >= now() - $1 * interval '1 millisecond'),
                  (select coalesce(max(id), 0) + 1 from progress_log)),
         coalesce((select id from progress_log order by id desc offset $2 - 1 limit 1), 0)) as keep_from

-- name: trim_before
-- Deletes at most $2 rows below offset $1, oldest first; the caller loops until nothing is left.
delete from progress_log
 where id in (select id from progress_log where id < $1 order by id limit $2)

-- name: raise_retained_from
update progress_stream set retained_from = greatest(retained_from, $1)
