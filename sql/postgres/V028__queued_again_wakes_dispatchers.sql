-- A job queued again wakes the dispatchers as it commits, whoever queued it (issue 15). V027 moved the
-- wake-up of a submit into jobs_after_insert; a job made QUEUED again by an update (a failed attempt
-- with a retry, a hand-back at drain, a reaped lease, an operator's retry, one by one or in bulk, or a
-- DBA's own UPDATE) was still announced by the service that made it, in a statement of its own after
-- its commit, and not at all when the update came from elsewhere. Now jobs_after_update sends the
-- dispatchers' notification (jobflow_jobs_ready, delivered at commit, one per transaction) when any
-- row of the statement went to QUEUED from another status. Other updates (a lease renewal, progress)
-- find no such row in the statement's changed rows and send nothing: the extra work is one scan of the
-- rows the trigger already gathers.
--
-- A queue that is resumed, or whose cap is raised or removed, wakes them too (job_queues_after_update):
-- its waiting jobs may be claimable now. Both are the same signal as the submit's.
-- Oracle: nothing to change (the trigger jobs_enqueue puts a job made QUEUED on JOBFLOW_DISPATCH_Q in
-- the same transaction, whoever updated it; resumed queues are seen within the watch's re-wake interval);
-- sql/oracle/V028__queued_again_wakes_dispatchers.sql records the version.

create or replace function jobs_after_update() returns trigger language plpgsql as $$
declare
    v_published integer;
    v_requeued integer;
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
    select (select count(*) from published),
           (select count(*) from changed c where c.status = 'QUEUED' and c.old_status <> 'QUEUED')
      into v_published, v_requeued;
    if v_published > 0 then
        perform pg_notify('jobflow_progress', '');
    end if;
    -- the dispatchers' wake-up (PgJobStore.READY_CHANNEL), delivered when this transaction commits
    if v_requeued > 0 then
        perform pg_notify('jobflow_jobs_ready', '');
    end if;
    return null;
end
$$;

create function job_queues_after_update() returns trigger language plpgsql as $$
begin
    if exists (select 1 from new_queues n join old_queues o on o.name = n.name
                where (o.paused and not n.paused)
                   or (o.cap is not null and (n.cap is null or n.cap > o.cap))) then
        perform pg_notify('jobflow_jobs_ready', '');
    end if;
    return null;
end
$$;

create trigger job_queues_after_update after update on job_queues
    referencing old table as old_queues new table as new_queues
    for each statement execute function job_queues_after_update();
