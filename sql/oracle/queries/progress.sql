-- Named statements of the Oracle progress log (see jobs.sql for the format and the conventions).

-- name: next_offsets
-- oracle only: one offset per room, in room order, taken before the inserts (no RETURNING into a
-- result set). Offsets are assigned before commit, as in PostgreSQL.
select progress_log_id_seq.nextval as id from dual connect by level <= ?

-- name: publish
-- One row per room, batched, in one transaction with next_offsets. PostgreSQL: one call of
-- progress_publish(rooms, payload). In the database use jobflow_api.publish / jobflow_api.send.
insert into progress_log (id, room, payload) values (?, ?, ?)

-- name: read_after
select id, room, payload, created_at from progress_log
 where id > ?
 order by id
 fetch first ? rows only

-- name: room_history
select id, room, payload, created_at from progress_log
 where room = ? and id > ?
 order by id
 fetch first ? rows only

-- name: head_offset
select nvl(max(id), 0) as id from progress_log

-- name: epoch
select epoch from progress_stream
