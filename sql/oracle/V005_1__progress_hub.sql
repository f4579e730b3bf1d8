-- Progress hub: retention bookkeeping, producer API keys, the token signing key and the
-- autonomous database-side send. The Oracle twin of sql/postgres/V005_1__progress_hub.sql.

-- Offsets below retained_from may have been deleted by the retention job: a resume from below it
-- cannot be proven complete and is answered with recovered=false.
alter table progress_stream add (retained_from number(19) default 0 not null);

-- Producer keys for POST /api/v1/messages: only the SHA-256 of a key is stored. Revoke by setting
-- revoked_at; a revoked key is refused at once by every hub replica.
create table progress_api_keys (
    name        varchar2(100 char) not null,
    key_sha256  char(64)           not null,
    created_at  timestamp with time zone default systimestamp not null,
    revoked_at  timestamp with time zone,
    constraint progress_api_keys_pk primary key (name),
    constraint progress_api_keys_sha_uq unique (key_sha256)
);

-- The HS256 token signing secret shared by job-api (issues tokens) and the hubs (verify them) when
-- none is configured: created once by whichever service starts first, never logged.
create table progress_signing_key (
    id          number(1)          default 1 not null,
    secret      varchar2(200 char) not null,
    created_at  timestamp with time zone default systimestamp not null,
    constraint progress_signing_key_pk primary key (id),
    constraint progress_signing_key_one_row_ck check (id = 1)
);

-- The database-side send in the seed's call shape: a comma-separated list of rooms and the message
-- as JSON text. PostgreSQL needs dblink to commit apart from the caller; Oracle has autonomous
-- transactions (jobflow_api.send): the message is visible at once, even if the caller rolls back.
create or replace procedure progress_send(p_rooms in varchar2, p_message in varchar2) authid definer is
    l_rooms sys.odcivarchar2list := sys.odcivarchar2list();
    l_room  varchar2(200 char);
begin
    for i in 1 .. regexp_count(p_rooms, '[^,]+') loop
        l_room := trim(regexp_substr(p_rooms, '[^,]+', 1, i));
        if l_room is not null then
            l_rooms.extend;
            l_rooms(l_rooms.count) := l_room;
        end if;
    end loop;
    if l_rooms.count = 0 then
        raise_application_error(-20022, 'progress_send: no rooms given');
    end if;
    jobflow_api.send(l_rooms, p_message);
end progress_send;
/
