-- Jobs: one row per job, a superset of the seed's ams_jobs (job_id, job_name, job_user,
-- job_duration, job_status): id, name, owner (the seed's user), params.duration, status.
-- Unlike PostgreSQL, the queue is NOT this table: it is the AQ queue of V002. The row is the
-- truth; a queue message only says "this job may be claimable now". The trigger of V002 enqueues
-- whenever a row becomes QUEUED, in the same transaction, so the row and its message commit or
-- roll back together (invariant 1).
-- Runs as a plain script (SQL*Plus / SQLcl) and under Flyway. Needs Oracle Database 19c or later.

create sequence jobs_id_seq cache 100;

create table jobs (
    id                number(19)      default jobs_id_seq.nextval not null,
    name              varchar2(200 char)  not null,
    owner             varchar2(100 char)  not null,
    type              varchar2(100 char)  not null,
    -- JSON text (PostgreSQL: jsonb). At most 4000 bytes with MAX_STRING_SIZE=STANDARD.
    params            varchar2(4000 char) default '{}' not null,
    status            varchar2(10 char)   default 'QUEUED' not null,
    progress_pct      number(3)       default 0 not null,
    progress_message  varchar2(1000 char),
    priority          number(10)      default 0 not null,
    attempts          number(10)      default 0 not null,
    max_attempts      number(10)      default 3 not null,
    run_at            timestamp with time zone default systimestamp not null,
    -- lease: who runs it, the fencing token of that claim, and until when the claim holds
    lease_owner       varchar2(200 char),
    lease_token       number(19),
    lease_expires_at  timestamp with time zone,
    -- 0/1 (PostgreSQL: boolean); BOOLEAN columns exist only from 23ai on.
    cancel_requested  number(1)       default 0 not null,
    idempotency_key   varchar2(200 char),
    error             varchar2(4000 char),
    created_at        timestamp with time zone default systimestamp not null,
    started_at        timestamp with time zone,
    finished_at       timestamp with time zone,
    updated_at        timestamp with time zone default systimestamp not null,
    -- Oracle only: the id of the AQ message that currently stands for this QUEUED job. A claim
    -- takes the job only with this message; any other message for the job is stale.
    queue_msgid       raw(16),
    constraint jobs_pk primary key (id),
    constraint jobs_idempotency_key_uq unique (idempotency_key),
    constraint jobs_status_ck check (status in ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    constraint jobs_progress_pct_ck check (progress_pct between 0 and 100),
    constraint jobs_max_attempts_ck check (max_attempts >= 1),
    constraint jobs_cancel_requested_ck check (cancel_requested in (0, 1)),
    constraint jobs_params_json_ck check (params is json)
);

-- PostgreSQL uses partial indexes; Oracle indexes only non-null keys, so a function-based index
-- that is null outside the status gives the same small index.
-- The claim does not read an index here: the AQ queue table orders the ready work.
create index jobs_queued_ix on jobs (case when status = 'QUEUED' then run_at end);
-- The reaper reads only this: running jobs by lease expiry.
create index jobs_running_ix on jobs (case when status = 'RUNNING' then lease_expires_at end);
-- Listing: newest first, optionally by owner or status.
create index jobs_owner_ix on jobs (owner, id desc);
create index jobs_status_ix on jobs (status, id desc);

-- Fencing tokens: every claim takes a fresh, strictly increasing one. ORDER keeps them
-- increasing across RAC instances too.
create sequence jobs_lease_token_seq cache 100 order;
