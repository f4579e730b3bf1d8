-- The database-side job progress API for stored-procedure handlers (dispatcher type
-- "sql:<procedure>"), the Oracle twin of job_progress / jobflow_demo / jobflow_fail.
-- The dispatcher calls the procedure as (p_job_id number, p_params varchar2 JSON) in one block
-- after setting the claim's fencing token:
--     begin job_lease.set_token(:token); <procedure>(:job_id, :params); end;
-- (PostgreSQL: the session setting jobflow.lease_token; Oracle: package state of job_lease, which
-- lives as long as the session, so it needs no CREATE ANY CONTEXT.) The procedure reports progress
-- with job_progress and commits between steps, so every step (and its progress_log message,
-- written by the jobs trigger in the same transaction) is visible to watchers while it runs.
--
-- job_progress returns true to go on, false to stop: the job was cancelled, or this session's
-- claim is no longer the job's current one (fencing: a stale owner cannot change the job).
-- Completion (COMPLETED, 100 %) is written by the dispatcher when the procedure returns.

create or replace package job_lease authid definer as
    -- The fencing token of the claim this session runs a procedure for; null: not fenced.
    procedure set_token(p_token in number);
    function token return number;
end job_lease;
/

create or replace package body job_lease as
    g_token number;

    procedure set_token(p_token in number) is
    begin
        g_token := p_token;
    end set_token;

    function token return number is
    begin
        return g_token;
    end token;
end job_lease;
/

create or replace function job_progress(
    p_job_id  in number,
    p_pct     in number,
    p_message in varchar2 default null) return boolean authid definer is
    l_token  number := job_lease.token;
    l_cancel jobs.cancel_requested%type;
begin
    if p_pct is null or p_pct < 0 or p_pct > 100 then
        raise_application_error(-20022, 'job_progress: pct must be between 0 and 100, was ' || nvl(to_char(p_pct), 'null'));
    end if;
    update jobs
       set progress_pct = p_pct,
           progress_message = substr(p_message, 1, 1000),
           updated_at = systimestamp
     where id = p_job_id
       and status = 'RUNNING'
       and (l_token is null or lease_token = l_token)
    returning cancel_requested into l_cancel;
    return sql%rowcount = 1 and l_cancel = 0;
end job_progress;
/

-- The seed page's job as a stored procedure: runs duration seconds (param "duration", default a
-- random 30-90), reports progress every step seconds (param "step", default 5) as
-- pct = elapsed / duration * 100, committing after each step. Fractional seconds are allowed.
create or replace procedure jobflow_demo(p_job_id in number, p_params in varchar2) authid definer is
    l_duration number := nvl(json_value(p_params, '$.duration' returning number), 30 + trunc(dbms_random.value(0, 61)));
    l_step     number := greatest(nvl(json_value(p_params, '$.step' returning number), 5), 0.01);
    l_started  timestamp with time zone := systimestamp;
    l_elapsed  number;

    function seconds_since(p_start in timestamp with time zone) return number is
        l_age interval day(9) to second(6) := systimestamp - p_start;
    begin
        return extract(day from l_age) * 86400 + extract(hour from l_age) * 3600
             + extract(minute from l_age) * 60 + extract(second from l_age);
    end seconds_since;
begin
    loop
        l_elapsed := seconds_since(l_started);
        exit when l_elapsed >= l_duration;
        dbms_session.sleep(least(l_step, l_duration - l_elapsed));
        l_elapsed := least(seconds_since(l_started), l_duration);
        if not job_progress(p_job_id, floor(l_elapsed / l_duration * 100),
                            'step ' || to_char(round(l_elapsed, 1)) || ' s of ' || to_char(round(l_duration, 1)) || ' s') then
            return;
        end if;
        commit;
    end loop;
end jobflow_demo;
/

-- A procedure that always fails, for tests of the failure path of stored-procedure jobs.
create or replace procedure jobflow_fail(p_job_id in number, p_params in varchar2) authid definer is
begin
    raise_application_error(-20001, 'jobflow_fail: ' || p_job_id || ' failed on purpose');
end jobflow_fail;
/
