-- One progress-log row per job event (issue 15). Until V022 every status change and progress
-- report of a job wrote three rows, one for each of its rooms (job:<id>, user:<owner>, jobs), each
-- with its own index entries: two thirds of the WAL a job's lifecycle wrote. Now the trigger writes
-- one row in the room job:<id> and names the job's owner in job_owner; the rows of the rooms
-- user:<owner> and jobs are derived where the log is read: the hub's tailer delivers a row with an
-- owner to all three rooms, and room_history / room_latest read those rooms from job_owner. The
-- offset is the row's, the same in the three rooms, so a resume in any of them is as gap-free as
-- before. Rows written before V023 (one per room, job_owner null) read as they always did. The
-- Oracle twin is sql/oracle/V023__progress_one_row_per_job_event.sql.
-- trace_parent: the job's (jobs.trace_parent, V022), so the hub's delivery of the row joins the
-- trace of the submit (docs/observability.md); null when the job was submitted without tracing.
alter table progress_log add column job_owner varchar(100), add column trace_parent varchar(55);
create index progress_log_job_owner_ix on progress_log (job_owner, id) where job_owner is not null;

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
    return null;
end
$$;
