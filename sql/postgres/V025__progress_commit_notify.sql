-- The hub's tailer wakes when progress commits instead of waiting for its next poll (issue 15).
-- Every statement that inserts into progress_log (a send through any hub replica, a job's status
-- change or progress report, a database-side progress_send) notifies the channel jobflow_progress
-- with an empty payload. PostgreSQL delivers a notification when its transaction commits and folds
-- identical ones of one transaction into one, so a listener hears once per writing transaction, never
-- of rows that may still roll back. Each hub replica LISTENs on the channel and reads the log at
-- once; its adaptive poll (jobflow.hub.tail.poll-max) stays as the safety net for notifications lost
-- while its listening connection reconnects. The Oracle twin is sql/oracle/V025__progress_commit_notify.sql
-- (Oracle has no LISTEN: its hubs poll).
create function progress_log_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('jobflow_progress', '');
    return null;
end
$$;

create trigger progress_log_notify after insert on progress_log
    for each statement execute function progress_log_notify();
