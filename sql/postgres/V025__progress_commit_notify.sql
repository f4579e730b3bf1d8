-- The hub's tailer wakes when progress commits instead of waiting for its next poll (issue 15).
-- Every insert into progress_log notifies the channel jobflow_progress with an empty payload:
-- PostgreSQL delivers a notification when its transaction commits, never for one that rolls back,
-- and folds a transaction's identical notifications into one, so a listener hears once per writing
-- transaction. Each hub replica LISTENs on the channel and reads the log at once; its adaptive poll
-- (jobflow.hub.tail.poll-max) stays as the safety net for notifications sent while its listening
-- connection reconnects. The Oracle twin is sql/oracle/V025__progress_commit_notify.sql (Oracle has
-- no LISTEN: its hubs poll).
--
-- Two places notify, so that a job's events, the hottest writer, pay one function call each and no
-- trigger of their own: jobs_publish_event (V023, unchanged but for its last statement) for a job's
-- status changes and progress, and a statement-level trigger for every other insert (a send through
-- a hub, progress_send, progress_publish, a direct insert), skipped for the inserts made inside
-- another trigger (pg_trigger_depth() > 0), which is where jobs_publish_event's are made.
create or replace function jobs_publish_event() returns trigger
language plpgsql as $$
declare
    msg jsonb;
begin
    if tg_op = 'UPDATE'
       and new.status = old.status
       and new.progress_pct = old.progress_pct
       and new.progress_message is not distinct from old.progress_message then
        return null;
    end if;
    msg := jsonb_build_object('job_id', new.id, 'pct', new.progress_pct, 'status', new.status);
    if new.progress_message is not null then
        msg := msg || jsonb_build_object('message', new.progress_message);
    end if;
    -- the transaction id before the offset, as progress_publish (V005_1): the tailer's hole rule
    perform pg_current_xact_id();
    insert into progress_log (room, payload, job_owner, trace_parent)
    values ('job:' || new.id, msg, new.owner, new.trace_parent);
    perform pg_notify('jobflow_progress', '');
    return null;
end
$$;

create function progress_log_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('jobflow_progress', '');
    return null;
end
$$;

create trigger progress_log_notify after insert on progress_log
    for each statement when (pg_trigger_depth() = 0) execute function progress_log_notify();
