-- A job's changes write their rows set-based, once per statement (issue 15). The three row-level
-- triggers that wrote, for every job a statement changed, its progress-log row (jobs_publish_event,
-- V023/V025), its outbox event (jobs_record_event_insert/_update, V018) and the run of an attempt that
-- ended (jobs_record_run, V014) become two statement-level triggers with transition tables: one
-- INSERT ... SELECT per kind of row for all the jobs of the statement. The rows, their contents and
-- the transaction they are written in are the same; what changes is the cost of a statement that
-- changes many jobs (a claim of the free slots, the ends a group commit carries as one statement):
-- 100 against 130 us of the backend's CPU per job for ends of 16 jobs per statement, and a 50,000-job
-- drain's PostgreSQL CPU per job 435-438 against 556-560 us with the group commit's flushes one at a
-- time (with four in flight most ends are single statements; docs/benchmarks.md 2h). A statement that
-- changes one job pays about as much as before (one set-based insert per kind instead of one
-- trigger call). Within a statement the rows are inserted in job id order.
--
-- A statement-level trigger fires for every UPDATE of jobs, not only of the columns the row triggers
-- named (PostgreSQL allows no column list with transition tables); the function compares the old and
-- new rows itself, so an update of other columns (a lease renewal) writes nothing, as before.
-- pg_current_xact_id() keeps the tailer's hole rule (V005_1): the transaction id is assigned before
-- the first offset is drawn. The notification (V025) is sent once per statement that wrote a
-- progress row; the statement trigger progress_log_notify still skips these inserts (made at trigger
-- depth 1). The Oracle twin is sql/oracle/V026__set_based_change_triggers.sql (row triggers there:
-- Oracle's store changes one job per statement).

-- A job's message to its room, as V023's row trigger wrote it: {"job_id", "pct", "status"}, and
-- "message" while the job has one. A plain SQL expression (stable, as jsonb_build_object is), inlined
-- where it is called.
create function jobs_progress_payload(p_id bigint, p_pct smallint, p_status varchar, p_message varchar)
returns jsonb language sql stable as $$
    select jsonb_build_object('job_id', p_id, 'pct', p_pct, 'status', p_status)
           || case when p_message is null then '{}'::jsonb else jsonb_build_object('message', p_message) end
$$;

create function jobs_after_insert() returns trigger language plpgsql as $$
begin
    perform pg_current_xact_id();
    insert into progress_log (room, payload, job_owner, trace_parent)
    select 'job:' || n.id,
           jobs_progress_payload(n.id, n.progress_pct, n.status, n.progress_message), n.owner, n.trace_parent
      from new_jobs n
     order by n.id;
    if found then
        perform pg_notify('jobflow_progress', '');
    end if;
    insert into job_events (job_id, queue, job_type, event, attempt, error, hook_due_at)
    select n.id, n.queue, n.type, 'SUBMITTED', n.attempts, null, case when q.webhook_url is not null then now() end
      from new_jobs n left join job_queues q on q.name = n.queue
     order by n.id;
    return null;
end
$$;

create function jobs_after_update() returns trigger language plpgsql as $$
declare
    v_published integer;
begin
    perform pg_current_xact_id();
    with changed as (
        select n.*, o.status as old_status, o.attempts as old_attempts, o.lease_owner as old_lease_owner,
               o.started_at as old_started_at
          from new_jobs n join old_jobs o on o.id = n.id
         where n.status <> o.status or n.progress_pct <> o.progress_pct
            or n.progress_message is distinct from o.progress_message
    ), published as (
        insert into progress_log (room, payload, job_owner, trace_parent)
        select 'job:' || c.id,
               jobs_progress_payload(c.id, c.progress_pct, c.status, c.progress_message), c.owner, c.trace_parent
          from changed c
         order by c.id
        returning 1
    ), recorded as (
        insert into job_events (job_id, queue, job_type, event, attempt, error, hook_due_at)
        select c.id, c.queue, c.type,
               case c.status when 'QUEUED' then 'RETRYING' when 'RUNNING' then 'STARTED' else c.status end,
               c.attempts, case when c.status in ('FAILED', 'QUEUED') then c.error end,
               case when q.webhook_url is not null then now() end
          from changed c left join job_queues q on q.name = c.queue
         where c.status <> c.old_status
         order by c.id
    ), ran as (
        insert into job_runs (job_id, attempt, replica, started_at, outcome, error)
        select c.id, c.old_attempts, c.old_lease_owner, c.old_started_at,
               case when c.status = 'QUEUED' and c.attempts < c.old_attempts then 'RELEASED'
                    when c.status = 'QUEUED' then 'FAILED'
                    else c.status end,
               case when c.status = 'COMPLETED' then null else c.error end
          from changed c
         where c.old_status = 'RUNNING' and c.status <> 'RUNNING'
         order by c.id
    )
    select count(*) into v_published from published;
    if v_published > 0 then
        perform pg_notify('jobflow_progress', '');
    end if;
    return null;
end
$$;

drop trigger jobs_publish_event on jobs;
drop trigger jobs_record_event_insert on jobs;
drop trigger jobs_record_event_update on jobs;
drop trigger jobs_record_run on jobs;
drop function jobs_publish_event();
drop function jobs_record_event();
drop function jobs_record_run();
create trigger jobs_after_insert after insert on jobs referencing new table as new_jobs
    for each statement execute function jobs_after_insert();
create trigger jobs_after_update after update on jobs referencing old table as old_jobs new table as new_jobs
    for each statement execute function jobs_after_update();
