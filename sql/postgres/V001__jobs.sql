-- Jobs: one row per job. In PostgreSQL the queue IS this table: a job is "enqueued" while its
-- status is QUEUED, so the job row and its queue entry are written by one INSERT (invariant 1).
create table jobs (
    id                bigint generated always as identity primary key,
    name              varchar(200)  not null,
    owner             varchar(100)  not null,
    type              varchar(100)  not null,
    params            jsonb         not null default '{}'::jsonb,
    status            varchar(10)   not null default 'QUEUED'
                      check (status in ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    progress_pct      smallint      not null default 0 check (progress_pct between 0 and 100),
    progress_message  varchar(1000),
    priority          integer       not null default 0,
    attempts          integer       not null default 0,
    max_attempts      integer       not null default 3 check (max_attempts >= 1),
    run_at            timestamptz   not null default now(),
    -- lease: who runs it, the fencing token of that claim, and until when the claim holds
    lease_owner       varchar(200),
    lease_token       bigint,
    lease_expires_at  timestamptz,
    cancel_requested  boolean       not null default false,
    idempotency_key   varchar(200),
    error             varchar(4000),
    created_at        timestamptz   not null default now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz   not null default now(),
    constraint jobs_idempotency_key_uq unique (idempotency_key)
);

-- The claim reads only this: ready jobs by priority, then age.
create index jobs_queued_ix on jobs (priority desc, run_at, id) where status = 'QUEUED';
-- The reaper reads only this: running jobs by lease expiry.
create index jobs_running_ix on jobs (lease_expires_at) where status = 'RUNNING';
-- Listing: newest first, optionally by owner or status.
create index jobs_owner_ix on jobs (owner, id desc);
create index jobs_status_ix on jobs (status, id desc);

-- Fencing tokens: every claim takes a fresh, strictly increasing one.
create sequence jobs_lease_token_seq;
