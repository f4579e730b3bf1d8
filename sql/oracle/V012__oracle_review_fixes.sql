-- Fixes of issue 16 (an Oracle review without a server); V001-V007 stay as applied.
--
-- Column limits are bytes, not characters: varchar2(4000 char) holds at most 4,000 bytes under
-- the default MAX_STRING_SIZE=STANDARD, and the jobs trigger wraps progress_message in a JSON
-- payload that must fit progress_log.payload's 4,000 bytes. jobflow_truncate_bytes is the SQL
-- twin of ColumnLimits.truncateToBytes (job-core): the longest prefix within p_bytes bytes, never
-- half a character (SUBSTRB would pad a cut character with a blank).
create or replace function jobflow_truncate_bytes(p_text in varchar2, p_bytes in pls_integer)
    return varchar2 deterministic authid definer is
    l_text varchar2(32767) := substr(p_text, 1, p_bytes);
begin
    -- A character takes 1 to 4 bytes: dropping ceil(excess / 4) characters never drops too many.
    while lengthb(l_text) > p_bytes loop
        l_text := substr(l_text, 1, length(l_text) - ceil((lengthb(l_text) - p_bytes) / 4));
    end loop;
    return l_text;
end jobflow_truncate_bytes;
/

create or replace function job_progress(
    p_job_id  in number,
    p_pct     in number,
    p_message in varchar2 default null) return boolean authid definer is
    l_token  number := job_lease.token;
    l_cancel jobs.cancel_requested%type;
begin
    if p_pct is null or p_pct < 0 or p_pct > 100 then
        raise_application_error(-20022, 'job_progress: pct must be between 0 and 100, was ' || nvl(to_char(p_pct), 'null'));
    end if;
    update jobs
       set progress_pct = p_pct,
           progress_message = jobflow_truncate_bytes(p_message, 1000),
           updated_at = systimestamp
     where id = p_job_id
       and status = 'RUNNING'
       and (l_token is null or lease_token = l_token)
    returning cancel_requested into l_cancel;
    return sql%rowcount = 1 and l_cancel = 0;
end job_progress;
/

-- The message of the trigger's payload: progress_message (at most 1,000 bytes when written by
-- the services or job_progress; a DBA's UPDATE may write up to the column's 1,000 characters) can
-- grow when JSON escapes it (a control character takes 6 bytes). The message is shortened until
-- the payload fits, so a progress update never fails on its own event.
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
    jobflow_api.publish(sys.odcivarchar2list('job:' || :new.id, 'user:' || :new.owner, 'jobs'), l_payload);
end;
/

-- JSON checks: strict and object-only. V001/V003's `is json` is lax on 19c: it accepts {a: 1},
-- {'a':1} and bare scalars, which the services' strict readers cannot decode. IS JSON STRICT
-- exists on 19c; object-only is spelled as "the first non-blank character is {" because the
-- IS JSON OBJECT type filter is not in 19c. ENABLE NOVALIDATE: every new or changed row is
-- checked; rows written before this version are not (the readers survive them).
alter table jobs add constraint jobs_params_object_ck
    check (params is json strict and substr(ltrim(params, ' ' || chr(9) || chr(10) || chr(13)), 1, 1) = '{')
    enable novalidate;

alter table progress_log add constraint progress_log_payload_object_ck
    check (payload is json strict and substr(ltrim(payload, ' ' || chr(9) || chr(10) || chr(13)), 1, 1) = '{')
    enable novalidate;

-- Cancel of a queued job only marks it (issue 16): V002's jobs_enqueue removed the job's message
-- by message id, which waits when a claimer holds that message locked (dequeued, not committed)
-- while the claimer waits for the job row the cancel holds: the two could wait for each other.
-- Claimers already drop a message whose job is no longer QUEUED with that queue_msgid.
create or replace trigger jobs_enqueue
    before insert or update of status, run_at, queue_msgid on jobs
    for each row
declare
    enqueue_options    dbms_aq.enqueue_options_t;
    message_properties dbms_aq.message_properties_t;
    payload            raw(40);
    msgid              raw(16);
    until_run          interval day(9) to second(6);
begin
    if :new.status = 'QUEUED'
       and (inserting
            or :old.status <> 'QUEUED'
            or :old.run_at <> :new.run_at
            or :new.queue_msgid is null) then
        message_properties.priority := -:new.priority;
        -- One reading of the clock: in PL/SQL every SYSTIMESTAMP is a new call, so four readings
        -- could straddle a minute (hour, day) boundary and add that unit to the delay.
        until_run := :new.run_at - systimestamp;
        message_properties.delay := greatest(0, ceil(
              extract(day from until_run) * 86400
            + extract(hour from until_run) * 3600
            + extract(minute from until_run) * 60
            + extract(second from until_run)));
        if message_properties.delay = 0 then
            message_properties.delay := dbms_aq.no_delay;
        end if;
        message_properties.correlation := to_char(:new.id);
        message_properties.exception_queue := 'JOBFLOW_DISPATCH_EQ';
        payload := utl_raw.cast_to_raw(to_char(:new.id));
        dbms_aq.enqueue(
            queue_name         => 'JOBFLOW_DISPATCH_Q',
            enqueue_options    => enqueue_options,
            message_properties => message_properties,
            payload            => payload,
            msgid              => msgid);
        :new.queue_msgid := msgid;
    elsif updating and :old.status = 'QUEUED' and :new.status = 'CANCELLED' then
        -- Cancel only marks the job: its message stays and the next claimer that takes it finds
        -- the row no longer QUEUED (or another queue_msgid) and drops it in its own transaction.
        -- No dequeue by message id here: a claimer may hold that message locked while it waits
        -- for this row, and the two would wait for each other (issue 16).
        :new.queue_msgid := null;
    end if;
end;
/
