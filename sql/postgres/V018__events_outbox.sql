-- Events out to the systems around it (issue 18): a transactional outbox of job lifecycle events
-- and webhooks per queue. The Oracle twin is sql/oracle/V018__events_outbox.sql.

-- A queue's webhook: every event of its jobs is POSTed there, signed with the secret (HMAC-SHA256).
-- The secret is only ever read by the dispatcher's webhook relay; no API answer carries it.
alter table job_queues add column webhook_url varchar(2000);
alter table job_queues add column webhook_secret varchar(200);

-- The outbox: one row per lifecycle change of a job, written by the triggers below in the
-- transaction that makes the change (so a rolled-back change leaves none). event: SUBMITTED (the
-- insert), STARTED (claimed), COMPLETED, FAILED, CANCELLED, RETRYING (back to the queue: a failed
-- attempt that is retried, a hand-back, an operator's retry). Ids grow with commits per job (the
-- job row's lock orders its changes), so relaying in id order keeps each job's events in order.
-- sent_at: published to the broker (null: waiting). hook_due_at: the queue had a webhook when the
-- event was written and its delivery is due then (null: nothing to deliver, delivered or given up).
create table job_events (
    id             bigint generated always as identity primary key,
    job_id         bigint        not null references jobs (id) on delete cascade,
    queue          varchar(100)  not null,
    job_type       varchar(100)  not null,
    event          varchar(10)   not null
        check (event in ('SUBMITTED', 'STARTED', 'COMPLETED', 'FAILED', 'CANCELLED', 'RETRYING')),
    attempt        integer       not null,
    error          varchar(4000),
    created_at     timestamptz   not null default now(),
    sent_at        timestamptz,
    hook_due_at    timestamptz,
    hook_attempts  integer       not null default 0
);
create index job_events_job_ix on job_events (job_id, id);
create index job_events_unsent_ix on job_events (id) where sent_at is null;
create index job_events_hook_ix on job_events (hook_due_at, id) where hook_due_at is not null;
create index job_events_created_ix on job_events (created_at);

-- Each webhook delivery attempt, kept with the job (GET /api/v1/jobs/{id}/webhooks).
-- outcome: DELIVERED (2xx), RETRY (failed, tried again later), GAVE_UP (failed, attempts spent).
create table job_webhook_deliveries (
    id            bigint generated always as identity primary key,
    job_id        bigint        not null references jobs (id) on delete cascade,
    event_id      bigint        not null,
    event         varchar(10)   not null,
    attempt       integer       not null,
    url           varchar(2000) not null,
    status_code   integer,
    outcome       varchar(10)   not null check (outcome in ('DELIVERED', 'RETRY', 'GAVE_UP')),
    error         varchar(1000),
    at            timestamptz   not null default now()
);
create index job_webhook_deliveries_job_ix on job_webhook_deliveries (job_id, id);

-- One relay of each kind at a time: the pass that locks its row works, the others skip.
insert into maintenance_locks (name) values ('events');
insert into maintenance_locks (name) values ('webhooks');

create function jobs_record_event() returns trigger
language plpgsql as $$
begin
    insert into job_events (job_id, queue, job_type, event, attempt, error, hook_due_at)
    values (new.id, new.queue, new.type,
            case when tg_op = 'INSERT' then 'SUBMITTED'
                 when new.status = 'QUEUED' then 'RETRYING'
                 when new.status = 'RUNNING' then 'STARTED'
                 else new.status end,
            new.attempts,
            case when new.status in ('FAILED', 'QUEUED') and tg_op = 'UPDATE' then new.error end,
            (select now() from job_queues q where q.name = new.queue and q.webhook_url is not null));
    return null;
end
$$;

create trigger jobs_record_event_insert
after insert on jobs
for each row execute function jobs_record_event();

create trigger jobs_record_event_update
after update of status on jobs
for each row when (old.status <> new.status)
execute function jobs_record_event();
