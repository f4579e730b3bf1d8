-- Progress log: every message to a room, one row per room. The id is the message's offset:
-- strictly increasing, assigned before commit (a tailer must wait for holes, not skip them).
create table progress_log (
    id          bigint generated always as identity primary key,
    room        varchar(200) not null,
    payload     jsonb        not null,
    created_at  timestamptz  not null default now()
);
create index progress_log_room_ix on progress_log (room, id);
create index progress_log_created_ix on progress_log (created_at);

-- The stream epoch changes only when the log is reset; clients holding offsets of another epoch
-- cannot resume and are told so.
create table progress_stream (
    id     smallint    primary key default 1 check (id = 1),
    epoch  varchar(40) not null
);
insert into progress_stream (epoch) values (md5(random()::text || clock_timestamp()::text));

-- The database-side send: appends one message to each room and returns the offsets. In-database
-- callers (a job's procedure) use this instead of an HTTP call to a message service.
create function progress_publish(p_rooms text[], p_payload jsonb) returns setof bigint
language sql as $$
    insert into progress_log (room, payload)
    select r, p_payload from unnest(p_rooms) with ordinality as t(r, n) order by n
    returning id
$$;

-- Every change of a job's status or progress writes its message in the same transaction
-- (invariant 11), whoever makes the change: a service, a stored procedure or a DBA.
create function jobs_publish_event() returns trigger
language plpgsql as $$
declare
    msg jsonb;
begin
    if tg_op = 'UPDATE'
       and new.status = old.status
       and new.progress_pct = old.progress_pct
       and new.progress_message is not distinct from old.progress_message then
        return null;
    end if;
    msg := jsonb_build_object('job_id', new.id, 'pct', new.progress_pct, 'status', new.status);
    if new.progress_message is not null then
        msg := msg || jsonb_build_object('message', new.progress_message);
    end if;
    perform progress_publish(array['job:' || new.id, 'user:' || new.owner, 'jobs'], msg);
    return null;
end
$$;

create trigger jobs_publish_event
    after insert or update of status, progress_pct, progress_message on jobs
    for each row execute function jobs_publish_event();
