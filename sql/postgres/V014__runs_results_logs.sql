-- Run history, results and log lines per job (issue 14). The Oracle twin is
-- sql/oracle/V014__runs_results_logs.sql.

-- One row per attempt, written by the trigger below in the transaction that ends the attempt,
-- whoever ends it (the dispatcher, the reaper, a drain, a DBA). outcome: how the attempt ended;
-- FAILED covers failures that are retried (the job goes back to QUEUED), timeouts and lost leases
-- (error says which); RELEASED is a hand-back on drain (no attempt spent).
create table job_runs (
    id          bigint generated always as identity primary key,
    job_id      bigint        not null references jobs (id) on delete cascade,
    attempt     integer       not null,
    replica     varchar(200),
    started_at  timestamptz,
    ended_at    timestamptz   not null default now(),
    outcome     varchar(10)   not null check (outcome in ('COMPLETED', 'FAILED', 'CANCELLED', 'RELEASED')),
    error       varchar(4000)
);
create index job_runs_job_ix on job_runs (job_id, id);

create function jobs_record_run() returns trigger
language plpgsql as $$
begin
    insert into job_runs (job_id, attempt, replica, started_at, outcome, error)
    values (old.id, old.attempts, old.lease_owner, old.started_at,
            case when new.status = 'QUEUED' and new.attempts < old.attempts then 'RELEASED'
                 when new.status = 'QUEUED' then 'FAILED'
                 else new.status end,
            case when new.status = 'COMPLETED' then null else new.error end);
    return null;
end
$$;

create trigger jobs_record_run
after update of status on jobs
for each row when (old.status = 'RUNNING' and new.status <> 'RUNNING')
execute function jobs_record_run();

-- The job's result: a JSON value the handler returned (Java) or set (jobflow_set_result), kept as
-- its text (as Oracle keeps it; nothing queries inside it), checked to be JSON, at most 3,998
-- bytes (Oracle's check wraps it in brackets within SQL's 4,000-byte strings).
alter table jobs add column result text
    constraint jobs_result_json_ck check (result is null or (octet_length(result) <= 3998 and result::jsonb is not null));

-- Log lines of a job, kept while the job is kept. A job keeps its first p_max lines (default
-- 1,000) and one marker saying that more were dropped.
create table job_logs (
    id          bigint generated always as identity primary key,
    job_id      bigint        not null references jobs (id) on delete cascade,
    attempt     integer       not null,
    level       varchar(5)    not null check (level in ('DEBUG', 'INFO', 'WARN', 'ERROR')),
    message     varchar(2000) not null,
    created_at  timestamptz   not null default now()
);
create index job_logs_job_ix on job_logs (job_id, id);

-- Appends a log line of a running job (fenced like job_progress: p_token, or else the session's
-- jobflow.lease_token, when set, must be the job's current one) and sends it to the room job:{id}
-- as {"job_id", "log": {"id", "level", "message", "at"}}. It reads the job row without locking it
-- (Oracle's twin is an autonomous transaction, which must not wait for its caller's row lock).
-- Returns false when the job is not running under that lease. In a stored procedure the line is
-- visible when the procedure commits (PostgreSQL has no autonomous transactions); the dispatcher's
-- Java handlers write each line in a statement of its own.
create function jobflow_log(p_job_id bigint, p_level varchar, p_message text, p_token bigint default null,
                            p_max integer default 1000)
returns boolean
language plpgsql volatile as $$
declare
    v_token bigint := coalesce(p_token, nullif(current_setting('jobflow.lease_token', true), '')::bigint);
    v_level varchar := upper(coalesce(p_level, 'INFO'));
    v_attempt integer;
    v_lines integer;
    v_message text;
    v_id bigint;
    v_at timestamptz;
begin
    if v_level not in ('DEBUG', 'INFO', 'WARN', 'ERROR') then
        raise exception 'jobflow_log: level must be DEBUG, INFO, WARN or ERROR, was %', p_level using errcode = '22023';
    end if;
    select attempts into v_attempt from jobs
     where id = p_job_id and status = 'RUNNING' and (v_token is null or lease_token = v_token);
    if not found then
        return false;
    end if;
    select count(*) into v_lines from (select 1 from job_logs where job_id = p_job_id limit p_max + 1) kept;
    if v_lines > p_max then
        return true; -- the marker is written: counted out
    end if;
    if v_lines = p_max then
        v_level := 'WARN';
        v_message := 'log lines dropped: this job writes more than ' || p_max || ' lines';
    else
        v_message := jobflow_truncate_bytes(coalesce(p_message, ''), 2000);
    end if;
    insert into job_logs (job_id, attempt, level, message) values (p_job_id, v_attempt, v_level, v_message)
    returning id, created_at into v_id, v_at;
    perform progress_publish(array['job:' || p_job_id], jsonb_build_object('job_id', p_job_id, 'log',
            jsonb_build_object('id', v_id, 'level', v_level, 'message', v_message, 'at', v_at)));
    return true;
end
$$;

-- Sets the result of a running job (fenced as above); the dispatcher keeps it when it completes
-- the job. Returns false when the job is not running under that lease.
create function jobflow_set_result(p_job_id bigint, p_result jsonb, p_token bigint default null)
returns boolean
language plpgsql volatile as $$
declare
    v_token bigint := coalesce(p_token, nullif(current_setting('jobflow.lease_token', true), '')::bigint);
begin
    update jobs set result = p_result::text
     where id = p_job_id and status = 'RUNNING' and (v_token is null or lease_token = v_token);
    return found;
end
$$;

-- The seed's demo job as a stored procedure, now with a log line per step and a result.
create or replace procedure jobflow_demo(p_job_id bigint, p_params jsonb)
language plpgsql as $$
declare
    v_duration float8 := coalesce((p_params ->> 'duration')::float8, 30 + floor(random() * 61));
    v_step float8 := greatest(coalesce((p_params ->> 'step')::float8, 5), 0.01);
    v_started timestamptz := clock_timestamp();
    v_elapsed float8;
    v_steps integer := 0;
begin
    loop
        v_elapsed := extract(epoch from clock_timestamp() - v_started);
        exit when v_elapsed >= v_duration;
        perform pg_sleep(least(v_step, v_duration - v_elapsed));
        v_elapsed := least(extract(epoch from clock_timestamp() - v_started), v_duration);
        v_steps := v_steps + 1;
        perform jobflow_log(p_job_id, 'INFO', 'step ' || v_steps || ': ' || round(v_elapsed::numeric, 1) || ' s of '
                            || round(v_duration::numeric, 1) || ' s');
        if not job_progress(p_job_id, floor(v_elapsed / v_duration * 100)::integer,
                            'step ' || round(v_elapsed::numeric, 1) || ' s of ' || round(v_duration::numeric, 1) || ' s') then
            return;
        end if;
        commit;
    end loop;
    perform jobflow_set_result(p_job_id, jsonb_build_object('steps', v_steps, 'seconds', v_duration));
    commit;
end
$$;
