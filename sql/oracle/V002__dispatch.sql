-- Dispatch: the AQ queue that stands for the ready work, the replica registry and the cycle log.
--
-- Payload type RAW (the job id as decimal text, also in the correlation): array dequeue
-- (OracleConnection.dequeue(..., deqsize), DBMS_AQ.DEQUEUE_ARRAY) works with RAW and object
-- payloads but not with JSON payloads, and RAW needs no CREATE TYPE privilege and no type to
-- evolve. JMS payloads (AQ$_JMS_*) would tie us to the JMS API. Everything about the job lives
-- in the jobs row; the message carries only the id.
-- Sort order PRIORITY, ENQ_TIME: the enqueue gives priority = -jobs.priority (in AQ a smaller
-- number is more urgent), so claims go by priority, then age, as in PostgreSQL.
-- Nothing here uses DBMS_SCHEDULER or DBMS_JOB: no JOB_QUEUE_PROCESSES slot is taken. Delayed
-- messages are made ready by the AQ time manager (QMON), a background process.

begin
    dbms_aqadm.create_queue_table(
        queue_table        => 'jobflow_dispatch_qt',
        queue_payload_type => 'RAW',
        sort_list          => 'PRIORITY,ENQ_TIME',
        multiple_consumers => false,
        comment            => 'Jobflow dispatch queue: one message per QUEUED job (payload = job id)');
    dbms_aqadm.create_queue(
        queue_name     => 'jobflow_dispatch_q',
        queue_table    => 'jobflow_dispatch_qt',
        max_retries    => 5,
        retry_delay    => 0,
        retention_time => 0,
        comment        => 'Ready and delayed jobs; dispatchers dequeue (REMOVE, ON_COMMIT) to claim');
    -- Messages whose claim transaction rolled back more than max_retries times land here; the
    -- reaper re-enqueues their jobs (the row stays QUEUED), so nothing is lost.
    dbms_aqadm.create_queue(
        queue_name  => 'jobflow_dispatch_eq',
        queue_table => 'jobflow_dispatch_qt',
        queue_type  => dbms_aqadm.exception_queue,
        comment     => 'Exception queue of jobflow_dispatch_q');
    dbms_aqadm.start_queue(queue_name => 'jobflow_dispatch_q');
    dbms_aqadm.start_queue(queue_name => 'jobflow_dispatch_eq', enqueue => false, dequeue => true);
end;
/

-- Enqueues a message whenever a job becomes QUEUED (submit, retry, release, reaper) or a
-- QUEUED job's run_at changes, in the same transaction as the row change, whoever makes it (a
-- service, the PL/SQL API or a DBA). Leaving QUEUED by cancel removes the message at once.
-- BEFORE ROW, so the message id lands in the row being written.
create or replace trigger jobs_enqueue
    before insert or update of status, run_at, queue_msgid on jobs
    for each row
declare
    enqueue_options    dbms_aq.enqueue_options_t;
    message_properties dbms_aq.message_properties_t;
    dequeue_options    dbms_aq.dequeue_options_t;
    payload            raw(40);
    msgid              raw(16);
    until_run          interval day(9) to second(6);
    no_message         exception;
    pragma exception_init(no_message, -25228);
    no_such_message    exception;
    pragma exception_init(no_such_message, -25263);
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
    elsif updating and :old.status = 'QUEUED' and :new.status <> 'QUEUED' and :old.queue_msgid is not null
          and :new.status = 'CANCELLED' then
        -- Cancel of a queued job: take its message out now. A claimer holding the message
        -- (dequeued, not committed) makes this a no-op; its claim then finds the row CANCELLED.
        dequeue_options.msgid := :old.queue_msgid;
        dequeue_options.dequeue_mode := dbms_aq.remove_nodata;
        dequeue_options.wait := dbms_aq.no_wait;
        dequeue_options.visibility := dbms_aq.on_commit;
        begin
            dbms_aq.dequeue(
                queue_name         => 'JOBFLOW_DISPATCH_Q',
                dequeue_options    => dequeue_options,
                message_properties => message_properties,
                payload            => payload,
                msgid              => msgid);
        exception
            when no_message or no_such_message then
                null;
        end;
        :new.queue_msgid := null;
    end if;
end;
/

-- Dispatcher replicas: each live replica keeps its row fresh; queue capacity is the sum of the
-- slots of the replicas seen recently.
create table dispatcher_replicas (
    replica_id    varchar2(200 char) not null,
    slots         number(10)      not null,
    started_at    timestamp with time zone default systimestamp not null,
    last_seen_at  timestamp with time zone default systimestamp not null,
    draining      number(1)       default 0 not null,
    constraint dispatcher_replicas_pk primary key (replica_id),
    constraint dispatcher_replicas_slots_ck check (slots >= 0),
    constraint dispatcher_replicas_draining_ck check (draining in (0, 1))
);

-- One row per dispatch cycle (the seed's "useful logs of frequency and messages per second").
create table dispatch_cycles (
    id            number(19) generated always as identity,
    replica_id    varchar2(200 char) not null,
    started_at    timestamp with time zone not null,
    ended_at      timestamp with time zone not null,
    polls         number(10)      not null,
    claimed       number(10)      not null,
    completed     number(10)      not null,
    failed        number(10)      not null,
    jobs_per_sec  number(12,3)    not null,
    constraint dispatch_cycles_pk primary key (id)
);
create index dispatch_cycles_replica_ix on dispatch_cycles (replica_id, id desc);
