-- The PostgreSQL twin of Oracle's V012 (issue 16). Column limits are bytes on both backends:
-- jobflow_truncate_bytes is the SQL twin of ColumnLimits.truncateToBytes (job-core), the longest
-- prefix within p_bytes UTF-8 bytes, never half a character; job_progress cuts its message with
-- it, as the services do. (Oracle's trigger also shortens the message to fit its 4,000-byte
-- payload column; progress_log.payload is jsonb here and has no such limit.)
create function jobflow_truncate_bytes(p_text text, p_bytes integer) returns text
language plpgsql immutable as $$
declare
    v_text text := left(p_text, p_bytes);
begin
    -- A character takes 1 to 4 bytes: dropping ceil(excess / 4) characters never drops too many.
    while octet_length(v_text) > p_bytes loop
        v_text := left(v_text, length(v_text) - ceil((octet_length(v_text) - p_bytes) / 4.0)::integer);
    end loop;
    return v_text;
end
$$;

create or replace function job_progress(p_job_id bigint, p_pct integer, p_message text default null)
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
           progress_message = jobflow_truncate_bytes(p_message, 1000),
           updated_at = now()
     where id = p_job_id
       and status = 'RUNNING'
       and (v_token is null or lease_token = v_token)
    returning cancel_requested into v_cancel;
    return found and not v_cancel;
end
$$;

-- JSON checks, object-only like Oracle's V012 (jsonb is already strict JSON). NOT VALID: every new
-- or changed row is checked; rows written before this version are not (the readers survive them).
alter table jobs add constraint jobs_params_object_ck check (jsonb_typeof(params) = 'object') not valid;

alter table progress_log add constraint progress_log_payload_object_ck check (jsonb_typeof(payload) = 'object') not valid;

-- Oracle's V012 also stops its jobs_enqueue trigger from removing a cancelled job's AQ message by
-- message id (it could wait for a claimer holding that message). Nothing to do here: the jobs
-- table is the queue, a cancel is one UPDATE and claims skip locked rows.
