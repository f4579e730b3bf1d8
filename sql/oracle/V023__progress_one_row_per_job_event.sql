-- One progress-log row per job event (issue 15): the twin of
-- sql/postgres/V023__progress_one_row_per_job_event.sql. The trigger writes one row in the room
-- job:<id> with the job's owner in job_owner, where until V022 it wrote one row per room (job:<id>,
-- user:<owner>, jobs); the hub delivers a row with an owner to the three rooms and room_history /
-- room_latest read user:<owner> and jobs from job_owner. Rows from before V023 read as before.
-- jobflow_api.job_progress / send are unchanged: what they publish is the rows they name.
-- trace_parent: the job's (V022), so the hub's delivery joins the submit's trace; null without tracing.
alter table progress_log add (job_owner varchar2(100 char), trace_parent varchar2(55 char));
create index progress_log_job_owner_ix on progress_log (job_owner, id);

-- As V012's trigger (the message shortened until the payload fits 4,000 bytes), one row.
create or replace trigger jobs_publish_event
    after insert or update of status, progress_pct, progress_message on jobs
    for each row
declare
    msg       json_object_t;
    l_message varchar2(4000 char) := :new.progress_message;
    l_payload varchar2(32767);
begin
    if updating
       and :new.status = :old.status
       and :new.progress_pct = :old.progress_pct
       and (:new.progress_message = :old.progress_message
            or (:new.progress_message is null and :old.progress_message is null)) then
        return;
    end if;
    loop
        msg := json_object_t();
        msg.put('job_id', :new.id);
        msg.put('pct', :new.progress_pct);
        msg.put('status', :new.status);
        if l_message is not null then
            msg.put('message', l_message);
        end if;
        l_payload := msg.to_string;
        exit when lengthb(l_payload) <= 4000 or l_message is null;
        l_message := jobflow_truncate_bytes(l_message, trunc(lengthb(l_message) / 2));
    end loop;
    insert into progress_log (room, payload, job_owner, trace_parent)
    values ('job:' || :new.id, l_payload, :new.owner, :new.trace_parent);
end;
/
