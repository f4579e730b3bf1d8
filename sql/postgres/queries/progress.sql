-- Named statements of the PostgreSQL progress log (see jobs.sql for the format).

-- name: publish
select progress_publish($1, $2) as id

-- name: read_after
select id, room, payload, created_at from progress_log
 where id > $1
 order by id
 limit $2

-- name: room_history
select id, room, payload, created_at from progress_log
 where room = $1 and id > $2
 order by id
 limit $3

-- name: head_offset
select coalesce(max(id), 0) as id from progress_log

-- name: epoch
select epoch from progress_stream
