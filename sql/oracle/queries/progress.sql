-- Named statements of the Oracle progress log (see jobs.sql for the format and the conventions).

-- name: publish
-- One row per room, in room order, in one transaction; the offset is taken inside the INSERT (the
-- column default), so no offset exists before its writer holds a transaction (a tailer never sees
-- a hole without a live writer). PostgreSQL: one call of progress_publish(rooms, payload). In the
-- database use jobflow_api.publish / jobflow_api.send.
insert into progress_log (room, payload) values (?, ?)

-- name: published_offset
-- oracle only: the offset the previous publish INSERT of this session took (no RETURNING into a
-- result set).
select progress_log_id_seq.currval as id from dual

-- name: read_after
-- job_owner: the row is a job's event, delivered to user:<job_owner> and jobs too; trace_parent:
-- its job's, for the hub's delivery span (V023).
select id, room, payload, created_at, job_owner, trace_parent from progress_log
 where id > ?
 order by id
 fetch first ? rows only

-- name: room_history
-- As PostgreSQL's: the room's own rows and, for user:<owner> and jobs, the job events (one row
-- each, V023), each branch walking its index in offset order up to the limit. Positional binds,
-- so OracleProgressLog passes each value where it is used: room, after, limit; the owner of a
-- user: room (null otherwise), after, limit; room, after, limit; limit.
select id, room, payload, created_at from (
    select * from (select id, room, payload, created_at from progress_log
                    where room = ? and id > ? order by id fetch first ? rows only)
    union all
    select * from (select id, 'user:' || job_owner as room, payload, created_at from progress_log
                    where job_owner = ? and id > ? order by id fetch first ? rows only)
    union all
    select * from (select id, 'jobs' as room, payload, created_at from progress_log
                    where job_owner is not null and ? = 'jobs' and id > ? order by id fetch first ? rows only)
)
 order by id
 fetch first ? rows only

-- name: head_offset
select nvl(max(id), 0) as id from progress_log

-- name: epoch
select epoch from progress_stream

-- The statements below mirror those the progress hub added on main (sql/postgres/queries/
-- progress.sql, V005_1); the Oracle ProgressLog methods that run them are still to be wired.

-- name: read_tail
-- The tailer's read: rows after its cursor plus the moment of the read (same statement). Oracle
-- has no exportable snapshot like pg_current_snapshot(); the token is the read's time (the
-- server clock of v$transaction.start_date), and writers_alive asks which publishing
-- transactions began before it.
select id, room, payload, created_at, job_owner, trace_parent,
       to_char(sysdate, 'YYYY-MM-DD"T"HH24:MI:SS') as snapshot
  from progress_log
 where id > ?
 order by id
 fetch first ? rows only

-- name: snapshot
select to_char(sysdate, 'YYYY-MM-DD"T"HH24:MI:SS') as snapshot from dual

-- name: writers_alive
-- How many transactions that began at or before the snapshot (whole seconds: a transaction of the
-- snapshot's own second counts, never too few) still hold a DML lock on progress_log: only those
-- can own a hole the read saw. A writer holds that lock from the INSERT that takes its offset
-- until it ends, and its transaction began before the offset existed. Needs SELECT on SYS.V_$LOCKED_OBJECT and SYS.V_$TRANSACTION (see
-- docs/oracle-install.md, "Progress hub"). The table is looked up in ALL_OBJECTS with its owner, the
-- session's current schema (USER_OBJECTS would find nothing for a service user that is not the
-- owner, and the hub would skip holes that are still open). PostgreSQL: pg_locks and the
-- snapshot's xip list.
select count(*) as n
  from v$locked_object lo
  join v$transaction t
    on t.xidusn = lo.xidusn and t.xidslot = lo.xidslot and t.xidsqn = lo.xidsqn
 where lo.object_id = (select object_id from all_objects
                        where owner = sys_context('USERENV', 'CURRENT_SCHEMA')
                          and object_name = 'PROGRESS_LOG' and object_type = 'TABLE')
   and t.start_date <= to_date(?, 'YYYY-MM-DD"T"HH24:MI:SS')

-- name: room_latest
-- The newest row of a room, job events included as in room_history. Binds: room; the owner of a
-- user: room (null otherwise); room.
select id, room, payload, created_at from (
    select * from (select id, room, payload, created_at from progress_log
                    where room = ? order by id desc fetch first 1 rows only)
    union all
    select * from (select id, 'user:' || job_owner as room, payload, created_at from progress_log
                    where job_owner = ? order by id desc fetch first 1 rows only)
    union all
    select * from (select id, 'jobs' as room, payload, created_at from progress_log
                    where job_owner is not null and ? = 'jobs' order by id desc fetch first 1 rows only)
)
 order by id desc
 fetch first 1 rows only

-- name: stream_info
select epoch, retained_from, (select nvl(max(id), 0) from progress_log) as head from progress_stream

-- name: trim_cutoff
-- The first offset to keep: everything older than max age (? ms) or beyond the newest ? rows goes.
select greatest(
         coalesce((select min(id) from progress_log
                    where created_at >= systimestamp - numtodsinterval(? / 1000, 'SECOND')),
                  (select nvl(max(id), 0) + 1 from progress_log)),
         nvl((select id from progress_log order by id desc offset ? - 1 rows fetch next 1 rows only), 0)) as keep_from
  from dual

-- name: trim_before
-- Deletes at most (limit) rows below (offset), oldest first; the caller loops until nothing is
-- left. Parameters in PostgreSQL's order: offset, limit.
delete from progress_log
 where id in (select id from progress_log where id < ? order by id fetch first ? rows only)

-- name: raise_retained_from
update progress_stream set retained_from = greatest(retained_from, ?)
