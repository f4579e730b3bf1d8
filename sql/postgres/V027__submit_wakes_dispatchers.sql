-- A submit wakes the dispatchers when it commits (issue 15). The job-api used to send the dispatchers'
-- NOTIFY (channel jobflow_jobs_ready) in a transaction of its own after the submit had committed and
-- been answered: a second round trip and commit on the way from a submit to its claim. Now
-- jobs_after_insert (V026) sends it in the inserting transaction itself, which PostgreSQL delivers at
-- commit (one per transaction, however many jobs it inserted: identical notifications are folded).
-- Retries, hand-backs and reaped leases still notify from the store (they are updates).
-- Oracle: nothing to change (its dispatch queue is fed by the enqueue in the same transaction);
-- sql/oracle/V027__submit_wakes_dispatchers.sql records the version.

create or replace function jobs_after_insert() returns trigger language plpgsql as $$
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
    -- the dispatchers' wake-up (PgJobStore.READY_CHANNEL), delivered when this transaction commits
    if found then
        perform pg_notify('jobflow_jobs_ready', '');
    end if;
    return null;
end
$$;

