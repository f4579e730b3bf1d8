-- Events out to the systems around it (issue 18): the twin of sql/postgres/V018__events_outbox.sql.
-- Needs Oracle Database 19c or later.

alter table job_queues add (webhook_url varchar2(2000 char), webhook_secret varchar2(200 char));

create table job_events (
    id             number(19)          generated always as identity,
    job_id         number(19)          not null,
    queue          varchar2(100 char)  not null,
    job_type       varchar2(100 char)  not null,
    event          varchar2(10 char)   not null,
    attempt        number(10)          not null,
    error          varchar2(4000 char),
    created_at     timestamp with time zone default systimestamp not null,
    sent_at        timestamp with time zone,
    hook_due_at    timestamp with time zone,
    hook_attempts  number(10)          default 0 not null,
    constraint job_events_pk primary key (id),
    constraint job_events_job_fk foreign key (job_id) references jobs (id) on delete cascade,
    constraint job_events_event_ck
        check (event in ('SUBMITTED', 'STARTED', 'COMPLETED', 'FAILED', 'CANCELLED', 'RETRYING'))
);
create index job_events_job_ix on job_events (job_id, id);
-- PostgreSQL uses partial indexes; here function-based indexes null outside what they serve.
create index job_events_unsent_ix on job_events (case when sent_at is null then id end);
create index job_events_hook_ix on job_events (hook_due_at);
create index job_events_created_ix on job_events (created_at);

create table job_webhook_deliveries (
    id            number(19)           generated always as identity,
    job_id        number(19)           not null,
    event_id      number(19)           not null,
    event         varchar2(10 char)    not null,
    attempt       number(10)           not null,
    url           varchar2(2000 char)  not null,
    status_code   number(10),
    outcome       varchar2(10 char)    not null,
    error         varchar2(1000 char),
    at            timestamp with time zone default systimestamp not null,
    constraint job_webhook_deliveries_pk primary key (id),
    constraint job_webhook_deliveries_job_fk foreign key (job_id) references jobs (id) on delete cascade,
    constraint job_webhook_deliveries_out_ck check (outcome in ('DELIVERED', 'RETRY', 'GAVE_UP'))
);
create index job_webhook_deliveries_job_ix on job_webhook_deliveries (job_id, id);

insert into maintenance_locks (name) values ('events');
insert into maintenance_locks (name) values ('webhooks');
commit;

-- One row per lifecycle change, in the transaction that makes it (see the PostgreSQL twin).
create or replace trigger jobs_record_event
    after insert or update of status on jobs
    for each row
    when (old.status is null or old.status <> new.status)
declare
    l_due timestamp with time zone;
begin
    begin
        select systimestamp into l_due from job_queues where name = :new.queue and webhook_url is not null;
    exception
        when no_data_found then l_due := null;
    end;
    insert into job_events (job_id, queue, job_type, event, attempt, error, hook_due_at)
    values (:new.id, :new.queue, :new.type,
            case when inserting then 'SUBMITTED'
                 when :new.status = 'QUEUED' then 'RETRYING'
                 when :new.status = 'RUNNING' then 'STARTED'
                 else :new.status end,
            :new.attempts,
            case when updating and :new.status in ('FAILED', 'QUEUED') then :new.error end,
            l_due);
end;
/
