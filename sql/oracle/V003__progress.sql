-- Progress log: every message to a room, one row per room. The id is the message's offset:
-- strictly increasing, assigned before commit (a tailer must wait for holes, not skip them).
-- ORDER keeps the offsets increasing across RAC instances.
create sequence progress_log_id_seq cache 100 order;

create table progress_log (
    id          number(19)      default progress_log_id_seq.nextval not null,
    room        varchar2(200 char) not null,
    -- JSON text (PostgreSQL: jsonb)
    payload     varchar2(4000 char) not null,
    created_at  timestamp with time zone default systimestamp not null,
    constraint progress_log_pk primary key (id),
    constraint progress_log_payload_json_ck check (payload is json)
);
create index progress_log_room_ix on progress_log (room, id);
create index progress_log_created_ix on progress_log (created_at);

-- The stream epoch changes only when the log is reset; clients holding offsets of another epoch
-- cannot resume and are told so.
create table progress_stream (
    id     number(1)        default 1 not null,
    epoch  varchar2(40 char) not null,
    constraint progress_stream_pk primary key (id),
    constraint progress_stream_one_row_ck check (id = 1)
);
insert into progress_stream (id, epoch) values (1, lower(rawtohex(sys_guid())));
commit;

-- The database-side API (PostgreSQL: the function progress_publish and the statements of the
-- services). Rooms are passed as SYS.ODCIVARCHAR2LIST, a collection type every database has, so
-- installing needs no CREATE TYPE.
create or replace package jobflow_api authid definer as
    -- Appends p_payload (JSON text) to every room, in the caller's transaction. The offsets
    -- are assigned in room order. Used by the jobs trigger (same transaction as the change).
    procedure publish(p_rooms in sys.odcivarchar2list, p_payload in varchar2);

    -- The in-database send (the seed's ams_api_pkg.send): appends the message to the rooms in
    -- an autonomous transaction, so subscribers see it at once even if the caller rolls back.
    procedure send(p_rooms in sys.odcivarchar2list, p_message in varchar2);
    procedure send(p_room in varchar2, p_message in varchar2);

    -- Writes the job and enqueues it in the caller's transaction (the enqueue is the jobs_enqueue
    -- trigger): commit makes both durable, rollback neither. An existing idempotency key returns
    -- that job's id instead of writing a duplicate.
    function submit_job(
        p_name            in varchar2,
        p_owner           in varchar2,
        p_type            in varchar2 default 'demo',
        p_params          in varchar2 default '{}',
        p_priority        in number   default 0,
        p_max_attempts    in number   default 3,
        p_run_at          in timestamp with time zone default null,
        p_idempotency_key in varchar2 default null) return number;

    -- The seed's demo job (AMS_JOBS_PKG.start_job) written against send: runs for p_duration
    -- seconds and sends {"job_id", "pct", "status"} to job:{id}, user:{owner} and jobs every
    -- p_interval seconds. With p_set_status it also marks the job RUNNING and then COMPLETED
    -- (autonomously, as the seed does); leave it false when a dispatcher holds the job's lease.
    procedure demo_job(
        p_job_id     in number,
        p_duration   in number  default null,
        p_interval   in number  default 5,
        p_set_status in boolean default false);
end jobflow_api;
/

create or replace package body jobflow_api as

    procedure publish(p_rooms in sys.odcivarchar2list, p_payload in varchar2) is
    begin
        for i in 1 .. p_rooms.count loop
            insert into progress_log (room, payload) values (p_rooms(i), p_payload);
        end loop;
    end publish;

    procedure send(p_rooms in sys.odcivarchar2list, p_message in varchar2) is
        pragma autonomous_transaction;
    begin
        publish(p_rooms, p_message);
        commit;
    end send;

    procedure send(p_room in varchar2, p_message in varchar2) is
    begin
        send(sys.odcivarchar2list(p_room), p_message);
    end send;

    function submit_job(
        p_name            in varchar2,
        p_owner           in varchar2,
        p_type            in varchar2 default 'demo',
        p_params          in varchar2 default '{}',
        p_priority        in number   default 0,
        p_max_attempts    in number   default 3,
        p_run_at          in timestamp with time zone default null,
        p_idempotency_key in varchar2 default null) return number is
        l_id jobs.id%type;
    begin
        insert into jobs (name, owner, type, params, priority, max_attempts, run_at, idempotency_key)
        values (p_name, p_owner, p_type, nvl(p_params, '{}'), nvl(p_priority, 0), nvl(p_max_attempts, 3),
                nvl(p_run_at, systimestamp), p_idempotency_key)
        returning id into l_id;
        return l_id;
    exception
        when dup_val_on_index then
            if p_idempotency_key is null then
                raise;
            end if;
            select id into l_id from jobs where idempotency_key = p_idempotency_key;
            return l_id;
    end submit_job;

    procedure set_job_status(p_job_id in number, p_status in varchar2, p_pct in number) is
        pragma autonomous_transaction;
    begin
        update jobs
           set status = p_status,
               progress_pct = p_pct,
               started_at = case when p_status = 'RUNNING' then systimestamp else started_at end,
               finished_at = case when p_status = 'COMPLETED' then systimestamp else finished_at end,
               updated_at = systimestamp
         where id = p_job_id;
        commit;
    end set_job_status;

    procedure demo_job(
        p_job_id     in number,
        p_duration   in number  default null,
        p_interval   in number  default 5,
        p_set_status in boolean default false) is
        l_owner    jobs.owner%type;
        l_duration number;
        l_steps    pls_integer;
        l_pct      pls_integer;
        l_status   varchar2(10);
        l_message  json_object_t;
    begin
        select owner, coalesce(p_duration, json_value(params, '$.duration' returning number), 30)
          into l_owner, l_duration
          from jobs
         where id = p_job_id;
        l_steps := greatest(1, ceil(l_duration / p_interval));
        if p_set_status then
            set_job_status(p_job_id, 'RUNNING', 0);
        end if;
        for i in 1 .. l_steps loop
            dbms_session.sleep(least(p_interval, l_duration - (i - 1) * p_interval));
            l_pct := round(i / l_steps * 100);
            l_status := case when i = l_steps then 'COMPLETED' else 'RUNNING' end;
            l_message := json_object_t();
            l_message.put('job_id', p_job_id);
            l_message.put('pct', l_pct);
            l_message.put('status', l_status);
            send(sys.odcivarchar2list('job:' || p_job_id, 'user:' || l_owner, 'jobs'), l_message.to_string);
        end loop;
        if p_set_status then
            set_job_status(p_job_id, 'COMPLETED', 100);
        end if;
    end demo_job;

end jobflow_api;
/

-- Every change of a job's status or progress writes its message in the same transaction
-- (invariant 11), whoever makes the change: a service, a stored procedure or a DBA.
create or replace trigger jobs_publish_event
    after insert or update of status, progress_pct, progress_message on jobs
    for each row
declare
    msg json_object_t;
begin
    if updating
       and :new.status = :old.status
       and :new.progress_pct = :old.progress_pct
       and (:new.progress_message = :old.progress_message
            or (:new.progress_message is null and :old.progress_message is null)) then
        return;
    end if;
    msg := json_object_t();
    msg.put('job_id', :new.id);
    msg.put('pct', :new.progress_pct);
    msg.put('status', :new.status);
    if :new.progress_message is not null then
        msg.put('message', :new.progress_message);
    end if;
    jobflow_api.publish(sys.odcivarchar2list('job:' || :new.id, 'user:' || :new.owner, 'jobs'), msg.to_string);
end;
/
