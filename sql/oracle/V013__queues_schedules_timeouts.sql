-- Named queues with their own cap, schedules, timeouts and unique jobs (issue 13): the twin of
-- sql/postgres/V013__queues_schedules_timeouts.sql. Needs Oracle Database 19c or later.
--
-- How named queues map to AQ: one AQ queue (jobflow_dispatch_q) for all of them, the job's queue
-- name as the message's correlation; a claim for queue Q dequeues with correlation Q. Not one AQ
-- queue per named queue: PUT /api/v1/queues/{name} would then need DBMS_AQADM (DDL, the
-- AQ_ADMINISTRATOR_ROLE) at run time in the service user, and every dispatcher would need a
-- session per queue. Caps and the paused flag live in job_queues, as in PostgreSQL
-- (docs/oracle-vs-postgres.md).

create table job_queues (
    name              varchar2(100 char) not null,
    cap               number(10),
    priority          number(10)      default 0 not null,
    max_attempts      number(10)      default 3 not null,
    backoff_seconds   number(10),
    timeout_seconds   number(10),
    -- 0/1 (PostgreSQL: boolean)
    paused            number(1)       default 0 not null,
    created_at        timestamp with time zone default systimestamp not null,
    updated_at        timestamp with time zone default systimestamp not null,
    constraint job_queues_pk primary key (name),
    constraint job_queues_cap_ck check (cap > 0),
    constraint job_queues_max_attempts_ck check (max_attempts >= 1),
    constraint job_queues_backoff_ck check (backoff_seconds > 0),
    constraint job_queues_timeout_ck check (timeout_seconds > 0),
    constraint job_queues_paused_ck check (paused in (0, 1))
);
insert into job_queues (name) values ('default');
commit;

create table job_queue_slots (
    queue   varchar2(100 char) not null,
    slot    number(10)         not null,
    job_id  number(19),
    constraint job_queue_slots_pk primary key (queue, slot),
    constraint job_queue_slots_queue_fk foreign key (queue) references job_queues (name) on delete cascade,
    constraint job_queue_slots_slot_ck check (slot > 0)
);

-- A NOT NULL column with a default is added without touching the rows (metadata only); the
-- foreign key is ENABLE NOVALIDATE: existing rows are all 'default', new and changed rows are checked.
alter table jobs add (
    queue           varchar2(100 char) default 'default' not null,
    queue_slot      number(10),
    timeout_seconds number(10),
    deadline_at     timestamp with time zone,
    unique_key      varchar2(200 char),
    schedule_name   varchar2(100 char),
    scheduled_for   timestamp with time zone
);
alter table jobs add constraint jobs_queue_fk foreign key (queue) references job_queues (name) enable novalidate;
alter table jobs add constraint jobs_timeout_ck check (timeout_seconds > 0);

-- Per-queue figures read only the queued and running jobs (null elsewhere: a small index).
create index jobs_queue_active_ix on jobs (case when status in ('QUEUED', 'RUNNING') then queue end);

create table job_unique_keys (
    queue       varchar2(100 char) not null,
    unique_key  varchar2(200 char) not null,
    job_id      number(19)         not null,
    expires_at  timestamp with time zone,
    constraint job_unique_keys_pk primary key (queue, unique_key)
);
create index job_unique_keys_job_ix on job_unique_keys (job_id);

create table job_schedules (
    name          varchar2(100 char)  not null,
    queue         varchar2(100 char)  not null,
    type          varchar2(100 char)  not null,
    params        varchar2(4000 char) default '{}' not null,
    owner         varchar2(100 char)  not null,
    cron          varchar2(200 char),
    calendar      varchar2(400 char),
    time_zone     varchar2(64 char)   default 'UTC' not null,
    overlap       varchar2(5 char)    default 'skip' not null,
    misfire       varchar2(8 char)    default 'run-once' not null,
    enabled       number(1)           default 1 not null,
    anchor_at     timestamp with time zone default systimestamp not null,
    next_fire_at  timestamp with time zone,
    last_fire_at  timestamp with time zone,
    last_job_id   number(19),
    last_error    varchar2(1000 char),
    created_at    timestamp with time zone default systimestamp not null,
    updated_at    timestamp with time zone default systimestamp not null,
    constraint job_schedules_pk primary key (name),
    constraint job_schedules_queue_fk foreign key (queue) references job_queues (name),
    constraint job_schedules_params_ck check (params is json (strict)),
    constraint job_schedules_overlap_ck check (overlap in ('skip', 'allow')),
    constraint job_schedules_misfire_ck check (misfire in ('run-once', 'skip')),
    constraint job_schedules_enabled_ck check (enabled in (0, 1)),
    constraint job_schedules_expression_ck check ((cron is null and calendar is not null)
                                                  or (cron is not null and calendar is null))
);
create index job_schedules_due_ix on job_schedules (case when enabled = 1 then next_fire_at end);
-- One job per (schedule, due time). Rows with both keys null (every other job) are not indexed. A
-- TIMESTAMP WITH TIME ZONE cannot be a unique key as it is (ORA-02329): its UTC instant is.
create unique index jobs_schedule_fire_uq on jobs (schedule_name, sys_extract_utc(scheduled_for));

-- The enqueue of V012, now with the job's queue as the correlation: a claim for queue Q dequeues
-- with correlation Q (V002 put the job id there; nothing read it).
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
        until_run := :new.run_at - systimestamp;
        message_properties.delay := greatest(0, ceil(
              extract(day from until_run) * 86400
            + extract(hour from until_run) * 3600
            + extract(minute from until_run) * 60
            + extract(second from until_run)));
        if message_properties.delay = 0 then
            message_properties.delay := dbms_aq.no_delay;
        end if;
        message_properties.correlation := :new.queue;
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
        :new.queue_msgid := null;
    end if;
end;
/

-- The queued jobs get a message with the new correlation (their old message becomes stale: its
-- msgid no longer matches queue_msgid), then the stale messages are purged.
update jobs set queue_msgid = null where status = 'QUEUED';
commit;

declare
    po dbms_aqadm.aq$_purge_options_t;
begin
    po.block := false;
    dbms_aqadm.purge_queue_table(
        queue_table     => 'jobflow_dispatch_qt',
        purge_condition => 'qtview.queue = ''JOBFLOW_DISPATCH_Q'' and (qtview.corr_id is null or qtview.corr_id <> ''default'')',
        purge_options   => po);
end;
/

-- Frees the queue slot in the transaction that takes its job out of RUNNING (any way out).
create or replace trigger jobs_free_queue_slot
    after update of status or delete on jobs
    for each row
    when (old.status = 'RUNNING' and old.queue_slot is not null)
begin
    if deleting or :new.status <> 'RUNNING' then
        update job_queue_slots set job_id = null
         where queue = :old.queue and slot = :old.queue_slot and job_id = :old.id;
    end if;
end;
/

-- Releases a unique key held "while active" when its job ends.
create or replace trigger jobs_release_unique_key
    after update of status or delete on jobs
    for each row
    when (old.unique_key is not null and old.status in ('QUEUED', 'RUNNING'))
begin
    if deleting or :new.status in ('COMPLETED', 'FAILED', 'CANCELLED') then
        delete from job_unique_keys where job_id = :old.id and expires_at is null;
    end if;
end;
/

-- Schedules from SQL: a DBA moves a DBMS_SCHEDULER job over with one call, e.g.
--   exec jobflow_schedules.create_schedule('nightly-load', 'sql:load_sales', calendar => 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYSECOND=0', time_zone => 'Europe/Berlin');
-- A calendar is checked here with DBMS_SCHEDULER.EVALUATE_CALENDAR_STRING (ORA-27481 etc. on a
-- bad one); a cron expression is checked by the next scheduler pass, which disables a schedule it
-- cannot read and says why in last_error.
create or replace package jobflow_schedules authid definer as
    procedure create_schedule(
        p_name      in varchar2,
        p_type      in varchar2,
        p_params    in varchar2 default '{}',
        p_cron      in varchar2 default null,
        p_calendar  in varchar2 default null,
        p_time_zone in varchar2 default 'UTC',
        p_queue     in varchar2 default 'default',
        p_overlap   in varchar2 default 'skip',
        p_misfire   in varchar2 default 'run-once',
        p_enabled   in boolean  default true,
        p_owner     in varchar2 default sys_context('USERENV', 'SESSION_USER'));

    procedure drop_schedule(p_name in varchar2);
end jobflow_schedules;
/

create or replace package body jobflow_schedules as
    procedure create_schedule(
        p_name      in varchar2,
        p_type      in varchar2,
        p_params    in varchar2 default '{}',
        p_cron      in varchar2 default null,
        p_calendar  in varchar2 default null,
        p_time_zone in varchar2 default 'UTC',
        p_queue     in varchar2 default 'default',
        p_overlap   in varchar2 default 'skip',
        p_misfire   in varchar2 default 'run-once',
        p_enabled   in boolean  default true,
        p_owner     in varchar2 default sys_context('USERENV', 'SESSION_USER')) is
        v_next    timestamp with time zone;
        v_enabled number(1) := case when p_enabled then 1 else 0 end;
    begin
        if p_calendar is not null then
            dbms_scheduler.evaluate_calendar_string(
                calendar_string   => p_calendar,
                start_date        => systimestamp at time zone nvl(p_time_zone, 'UTC'),
                return_date_after => systimestamp,
                next_run_date     => v_next);
        end if;
        merge into job_schedules s
        using (select p_name as name from dual) n
           on (s.name = n.name)
         when matched then update
              set queue = nvl(p_queue, 'default'), type = p_type, params = nvl(p_params, '{}'),
                  owner = p_owner, cron = p_cron, calendar = p_calendar, time_zone = nvl(p_time_zone, 'UTC'),
                  overlap = nvl(p_overlap, 'skip'), misfire = nvl(p_misfire, 'run-once'), enabled = v_enabled,
                  anchor_at = systimestamp, next_fire_at = null, last_error = null, updated_at = systimestamp
         when not matched then insert
              (name, queue, type, params, owner, cron, calendar, time_zone, overlap, misfire, enabled)
              values (p_name, nvl(p_queue, 'default'), p_type, nvl(p_params, '{}'), p_owner, p_cron, p_calendar,
                      nvl(p_time_zone, 'UTC'), nvl(p_overlap, 'skip'), nvl(p_misfire, 'run-once'), v_enabled);
    end create_schedule;

    procedure drop_schedule(p_name in varchar2) is
    begin
        delete from job_schedules where name = p_name;
    end drop_schedule;
end jobflow_schedules;
/
