-- The database-side job progress API for stored-procedure handlers (dispatcher type
-- "sql:<procedure>"). The dispatcher CALLs the procedure as (p_job_id bigint, p_params jsonb)
-- outside an explicit transaction block, after setting the session setting
-- jobflow.lease_token to the claim's fencing token. The procedure reports progress with
-- job_progress and COMMITs between steps, so every step (and its progress_log message, written
-- by the jobs trigger in the same transaction) is visible to watchers while the procedure runs.
--
-- job_progress returns true to go on, false to stop: the job was cancelled, or this session's
-- claim is no longer the job's current one (fencing: a stale owner cannot change the job).
-- Completion (COMPLETED, 100 %) is written by the dispatcher when the procedure returns.
create function job_progress(p_job_id bigint, p_pct integer, p_message text default null)
returns boolean
language plpgsql volatile as $$
declare
    v_token bigint := nullif(current_setting('jobflow.lease_token', true), '')::bigint;
    v_cancel boolean;
begin
    if p_pct is null or p_pct < 0 or p_pct > 100 then
        raise exception 'job_progress: pct must be between 0 and 100, was %', p_pct
            using errcode = '22023';
    end if;
    update jobs
       set progress_pct = p_pct,
           progress_message = left(p_message, 1000),
           updated_at = now()
     where id = p_job_id
       and status = 'RUNNING'
       and (v_token is null or lease_token = v_token)
    returning cancel_requested into v_cancel;
    return found and not v_cancel;
end
$$;

-- The seed page's job as a stored procedure: runs duration seconds (param "duration", default a
-- random 30-90), reports progress every step seconds (param "step", default 5) as
-- pct = elapsed / duration * 100, committing after each step. Fractional seconds are allowed.
create procedure jobflow_demo(p_job_id bigint, p_params jsonb)
language plpgsql as $$
declare
    v_duration float8 := coalesce((p_params ->> 'duration')::float8, 30 + floor(random() * 61));
    v_step float8 := greatest(coalesce((p_params ->> 'step')::float8, 5), 0.01);
    v_started timestamptz := clock_timestamp();
    v_elapsed float8;
begin
    loop
        v_elapsed := extract(epoch from clock_timestamp() - v_started);
        exit when v_elapsed >= v_duration;
        perform pg_sleep(least(v_step, v_duration - v_elapsed));
        v_elapsed := least(extract(epoch from clock_timestamp() - v_started), v_duration);
        if not job_progress(p_job_id, floor(v_elapsed / v_duration * 100)::integer,
                            'step ' || round(v_elapsed::numeric, 1) || ' s of ' || round(v_duration::numeric, 1) || ' s') then
            return;
        end if;
        commit;
    end loop;
end
$$;

-- A procedure that always fails, for tests of the failure path of stored-procedure jobs.
create procedure jobflow_fail(p_job_id bigint, p_params jsonb)
language plpgsql as $$
begin
    raise exception 'jobflow_fail: % failed on purpose', p_job_id using errcode = 'P0001';
end
$$;
