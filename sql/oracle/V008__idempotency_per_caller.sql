-- Idempotency keys belong to the caller that presented them (issue 20): the same key from two
-- callers makes two jobs, and the same key from one caller with another request is refused.
-- idempotency_caller names the identity ('key:<api key name>', 'user:<name>', or 'sql' for
-- jobflow_api.submit_job); request_sha256 is the SHA-256 of the request the key was first used
-- with (job-api's requests only). Keys written before this version have no caller and no longer
-- match any request. The Oracle twin of sql/postgres/V008__idempotency_per_caller.sql; the
-- package body is V003's with submit_job's key scoped to 'sql'.
alter table jobs add (idempotency_caller varchar2(200 char), request_sha256 char(64));

alter table jobs drop constraint jobs_idempotency_key_uq drop index;

-- A row whose two columns are both null is not in the index (no key); a key without a caller is
-- unique among its kind (PostgreSQL: coalesce(idempotency_caller, '')).
alter table jobs add constraint jobs_idempotency_uq unique (idempotency_caller, idempotency_key);

create or replace package body jobflow_api as

    -- The caller of every key given to submit_job from SQL: keys of database code are their own
    -- namespace, apart from those of job-api's callers.
    c_sql_caller constant varchar2(3) := 'sql';

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
        insert into jobs (name, owner, type, params, priority, max_attempts, run_at, idempotency_key,
                          idempotency_caller)
        values (p_name, p_owner, p_type, nvl(p_params, '{}'), nvl(p_priority, 0), nvl(p_max_attempts, 3),
                nvl(p_run_at, systimestamp), p_idempotency_key,
                case when p_idempotency_key is not null then c_sql_caller end)
        returning id into l_id;
        return l_id;
    exception
        when dup_val_on_index then
            if p_idempotency_key is null then
                raise;
            end if;
            select id into l_id from jobs
             where idempotency_key = p_idempotency_key and idempotency_caller = c_sql_caller;
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
