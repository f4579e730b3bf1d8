-- Progress hub: gap-free tailing, retention bookkeeping, producer API keys, the token signing key
-- and the autonomous database-side send.

-- A publisher takes its transaction id BEFORE it takes an offset. A tailer that sees a hole below a
-- visible offset then knows the hole's owner was in progress in the snapshot of that read (or has
-- rolled back): it waits only for those of the snapshot's transactions that still hold a write lock
-- on progress_log, never for unrelated ones (see docs/progress-hub.md, "Holes").
create or replace function progress_publish(p_rooms text[], p_payload jsonb) returns setof bigint
language plpgsql as $$
begin
    perform pg_current_xact_id();
    return query
        insert into progress_log (room, payload)
        select r, p_payload from unnest(p_rooms) with ordinality as t(r, n) order by n
        returning id;
end
$$;

-- Offsets below retained_from may have been deleted by the retention job: a resume from below it
-- cannot be proven complete and is answered with recovered=false.
alter table progress_stream add column retained_from bigint not null default 0;

-- Producer keys for POST /api/v1/messages: only the SHA-256 of a key is stored. Revoke by setting
-- revoked_at; a revoked key is refused at once by every hub replica.
create table progress_api_keys (
    name        varchar(100) primary key,
    key_sha256  char(64)     not null unique,
    created_at  timestamptz  not null default now(),
    revoked_at  timestamptz
);

-- The HS256 token signing secret shared by job-api (issues tokens) and the hubs (verify them) when
-- none is configured: created once by whichever service starts first, never logged.
create table progress_signing_key (
    id          smallint     primary key default 1 check (id = 1),
    secret      varchar(200) not null,
    created_at  timestamptz  not null default now()
);

-- The database-side send, for a job's procedure in place of the seed's HTTP call: no URL, no key,
-- no network ACL. It publishes through a dblink connection to this same database, so the message
-- commits at once, visible to subscribers while the caller's own transaction is still open (and
-- even if it later rolls back). The connection is opened once per session and reused.
-- Connection string: the setting jobflow.progress_conninfo if set (e.g.
--   alter database jobflow set jobflow.progress_conninfo = 'host=/var/run/postgresql user=jobflow_send';
-- ), else this database on the local socket as the current user.
do $$
begin
    create extension if not exists dblink;
exception when others then
    raise notice 'dblink is not available (%); progress_send will fail until it is installed', sqlerrm;
end
$$;

create function progress_send(p_rooms text[], p_payload jsonb) returns setof bigint
language plpgsql as $$
declare
    conninfo text := coalesce(nullif(current_setting('jobflow.progress_conninfo', true), ''),
                              format('dbname=%s port=%s user=%s', current_database(),
                                     current_setting('port'), current_user));
begin
    if p_rooms is null or cardinality(p_rooms) = 0 then
        raise exception 'progress_send: no rooms given' using errcode = '22023';
    end if;
    if not coalesce('jobflow_progress' = any (dblink_get_connections()), false) then
        perform dblink_connect('jobflow_progress', conninfo);
    end if;
    return query
        select t.id from dblink('jobflow_progress',
            format('select progress_publish(%L::text[], %L::jsonb)', p_rooms, p_payload)) as t(id bigint);
end
$$;

-- The seed's call shape: a comma-separated list of rooms and the message as JSON text.
create function progress_send(p_rooms text, p_message text) returns setof bigint
language sql as $$
    select progress_send(array(select btrim(r) from unnest(string_to_array(p_rooms, ',')) r
                                where btrim(r) <> ''), p_message::jsonb)
$$;
