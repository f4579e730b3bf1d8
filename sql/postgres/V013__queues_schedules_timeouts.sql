-- Named queues with their own cap, schedules, timeouts and unique jobs (issue 13). The Oracle
-- twin is sql/oracle/V013__queues_schedules_timeouts.sql.

-- A queue is a row. cap: at most this many of its jobs RUNNING across all replicas (null: no
-- limit), enforced at claim time with slot rows exactly as the global cap (V006). The defaults
-- apply to a submit that does not give its own. paused: claims start nothing from it.
create table job_queues (
    name              varchar(100) primary key,
    cap               integer check (cap > 0),
    priority          integer      not null default 0,
    max_attempts      integer      not null default 3 check (max_attempts >= 1),
    backoff_seconds   integer      check (backoff_seconds > 0),
    timeout_seconds   integer      check (timeout_seconds > 0),
    paused            boolean      not null default false,
    created_at        timestamptz  not null default now(),
    updated_at        timestamptz  not null default now()
);
insert into job_queues (name) values ('default');

-- The queue caps' slots: (queue, 1..cap), job_id while a job holds it.
create table job_queue_slots (
    queue   varchar(100) not null references job_queues (name) on delete cascade,
    slot    integer      not null check (slot > 0),
    job_id  bigint,
    primary key (queue, slot)
);

-- Every job belongs to a queue. NOT VALID: the existing rows are all 'default' by the column
-- default (no scan of a big table at upgrade); every new or changed row is checked.
alter table jobs add column queue varchar(100) not null default 'default';
alter table jobs add constraint jobs_queue_fk foreign key (queue) references job_queues (name) not valid;
alter table jobs add column queue_slot integer;
-- timeout_seconds: the handler is interrupted after this long; deadline_at (set at claim: start +
-- timeout + the dispatcher's grace) is the hard end: a lease is never renewed past it, and the
-- reaper ends the job as timed out once it passed (a hung handler keeps neither lease nor slot).
alter table jobs add column timeout_seconds integer check (timeout_seconds > 0);
alter table jobs add column deadline_at timestamptz;
alter table jobs add column unique_key varchar(200);
alter table jobs add column schedule_name varchar(100);
alter table jobs add column scheduled_for timestamptz;

-- The claim reads ready jobs of one queue by priority, then age.
drop index jobs_queued_ix;
create index jobs_queued_ix on jobs (queue, priority desc, run_at, id) where status = 'QUEUED';

-- Unique jobs: while the key is held, a submit with the same (queue, key) returns the holder.
-- expires_at null: held while the job is QUEUED or RUNNING (the trigger below releases it);
-- else held until then, whatever the job does.
create table job_unique_keys (
    queue       varchar(100) not null,
    unique_key  varchar(200) not null,
    job_id      bigint       not null,
    expires_at  timestamptz,
    primary key (queue, unique_key)
);
create index job_unique_keys_job_ix on job_unique_keys (job_id);

-- Schedules: a fire is one job, whatever the number of replicas: (schedule_name, scheduled_for)
-- is unique, so a second insert for the same due time can never succeed.
create table job_schedules (
    name          varchar(100)  primary key,
    queue         varchar(100)  not null references job_queues (name),
    type          varchar(100)  not null,
    params        jsonb         not null default '{}'::jsonb check (jsonb_typeof(params) = 'object'),
    owner         varchar(100)  not null,
    cron          varchar(200),
    calendar      varchar(400),
    time_zone     varchar(64)   not null default 'UTC',
    overlap       varchar(5)    not null default 'skip' check (overlap in ('skip', 'allow')),
    misfire       varchar(8)    not null default 'run-once' check (misfire in ('run-once', 'skip')),
    enabled       boolean       not null default true,
    -- the start a calendar's INTERVAL counts from (DBMS_SCHEDULER's start_date)
    anchor_at     timestamptz   not null default now(),
    -- null: not computed yet (a row written from SQL); the next scheduler pass computes it
    next_fire_at  timestamptz,
    last_fire_at  timestamptz,
    last_job_id   bigint,
    -- why the schedule cannot fire (an expression the scheduler refused); it is then disabled
    last_error    varchar(1000),
    created_at    timestamptz   not null default now(),
    updated_at    timestamptz   not null default now(),
    constraint job_schedules_expression_ck check ((cron is null) <> (calendar is null))
);
create index job_schedules_due_ix on job_schedules (next_fire_at) where enabled;
create unique index jobs_schedule_fire_uq on jobs (schedule_name, scheduled_for) where schedule_name is not null;

-- The claim of one queue: the global cap (V006) and the queue's cap both hold; a paused queue
-- starts nothing. Both sets of slots are locked with FOR UPDATE SKIP LOCKED (claimers never wait
-- for each other) and filled in the same transaction; jobs_free_cap_slot frees both.
-- The 4-argument jobs_claim of V006 stays for dispatchers of the previous version during a
-- rolling update (they claim from every queue and know no queue caps).
create function jobs_claim(p_owner varchar, p_max integer, p_lease_ms bigint, p_cap integer,
                           p_queue varchar, p_grace_ms bigint)
returns setof jobs
language plpgsql volatile as $$
declare
    v_limit integer := p_max;
    v_slots integer[];
    v_queue_slots integer[];
    v_over integer;
    v_queue job_queues%rowtype;
begin
    if p_max <= 0 then
        return;
    end if;
    select * into v_queue from job_queues where name = p_queue;
    if not found or v_queue.paused then
        return;
    end if;
    if v_queue.cap is not null then
        if not exists (select 1 from job_queue_slots where queue = p_queue and slot = v_queue.cap) then
            insert into job_queue_slots (queue, slot)
            select p_queue, g from generate_series(1, v_queue.cap) g
            on conflict (queue, slot) do nothing;
        end if;
        select array_agg(slot order by slot) into v_queue_slots from (
            select slot from job_queue_slots
             where queue = p_queue and slot <= v_queue.cap and job_id is null
             order by slot
             limit v_limit
               for update skip locked
        ) free;
        select count(*) into v_over from job_queue_slots
         where queue = p_queue and slot > v_queue.cap and job_id is not null;
        v_limit := least(v_limit, coalesce(cardinality(v_queue_slots), 0) - v_over);
        if v_limit <= 0 then
            return;
        end if;
    end if;
    if p_cap is not null then
        if p_cap <= 0 then
            return;
        end if;
        if not exists (select 1 from dispatch_cap_slots where slot = p_cap) then
            insert into dispatch_cap_slots (slot)
            select g from generate_series(1, p_cap) g
            on conflict (slot) do nothing;
        end if;
        select array_agg(slot order by slot) into v_slots from (
            select slot from dispatch_cap_slots
             where slot <= p_cap and job_id is null
             order by slot
             limit v_limit
               for update skip locked
        ) free;
        select count(*) into v_over from dispatch_cap_slots where slot > p_cap and job_id is not null;
        v_limit := least(v_limit, coalesce(cardinality(v_slots), 0) - v_over);
    end if;
    if v_limit <= 0 then
        return;
    end if;
    return query
    with next as (
        select id from jobs
         where queue = p_queue and status = 'QUEUED' and run_at <= now()
         order by priority desc, run_at, id
         limit v_limit
           for update skip locked
    ), numbered as (
        select id, row_number() over (order by id) as n from next
    ), claimed as (
        update jobs j
           set status = 'RUNNING',
               attempts = j.attempts + 1,
               lease_owner = p_owner,
               lease_token = nextval('jobs_lease_token_seq'),
               lease_expires_at = now() + p_lease_ms * interval '1 millisecond',
               deadline_at = now() + j.timeout_seconds * interval '1 second' + p_grace_ms * interval '1 millisecond',
               progress_pct = 0,
               progress_message = null,
               started_at = now(),
               updated_at = now(),
               cap_slot = v_slots[numbered.n],
               queue_slot = v_queue_slots[numbered.n]
          from numbered
         where j.id = numbered.id
        returning j.*
    ), slotted as (
        update dispatch_cap_slots s
           set job_id = c.id
          from claimed c
         where s.slot = c.cap_slot
    ), queue_slotted as (
        update job_queue_slots s
           set job_id = c.id
          from claimed c
         where s.queue = c.queue and s.slot = c.queue_slot
    )
    select * from claimed;
end
$$;

-- Frees the queue slot in the transaction that takes its job out of RUNNING (any way out), as
-- jobs_free_cap_slot does for the global cap.
create function jobs_free_queue_slot() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or new.status <> 'RUNNING' then
        update job_queue_slots set job_id = null
         where queue = old.queue and slot = old.queue_slot and job_id = old.id;
    end if;
    return null;
end
$$;

create trigger jobs_free_queue_slot
after update of status or delete on jobs
for each row when (old.status = 'RUNNING' and old.queue_slot is not null)
execute function jobs_free_queue_slot();

-- Releases a unique key held "while active" when its job ends (any way: complete, fail, cancel,
-- the reaper, a delete).
create function jobs_release_unique_key() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or new.status in ('COMPLETED', 'FAILED', 'CANCELLED') then
        delete from job_unique_keys where job_id = old.id and expires_at is null;
    end if;
    return null;
end
$$;

create trigger jobs_release_unique_key
after update of status or delete on jobs
for each row when (old.unique_key is not null and old.status in ('QUEUED', 'RUNNING'))
execute function jobs_release_unique_key();

-- Schedules from SQL, so a DBA moves a DBMS_SCHEDULER job over with one call. The expression is
-- checked by the next scheduler pass (PostgreSQL cannot parse it here): a schedule it refuses is
-- disabled with the reason in last_error, visible in GET /api/v1/schedules/{name}.
create function jobflow_create_schedule(p_name varchar, p_type varchar, p_params jsonb default '{}'::jsonb,
                                        p_cron varchar default null, p_calendar varchar default null,
                                        p_time_zone varchar default 'UTC', p_queue varchar default 'default',
                                        p_overlap varchar default 'skip', p_misfire varchar default 'run-once',
                                        p_enabled boolean default true, p_owner varchar default current_user)
returns void
language sql volatile as $$
    insert into job_schedules (name, queue, type, params, owner, cron, calendar, time_zone, overlap, misfire, enabled)
    values (p_name, p_queue, p_type, coalesce(p_params, '{}'::jsonb), p_owner, p_cron, p_calendar,
            coalesce(p_time_zone, 'UTC'), coalesce(p_overlap, 'skip'), coalesce(p_misfire, 'run-once'),
            coalesce(p_enabled, true))
    on conflict (name) do update
       set queue = excluded.queue, type = excluded.type, params = excluded.params, cron = excluded.cron,
           calendar = excluded.calendar, time_zone = excluded.time_zone, overlap = excluded.overlap,
           misfire = excluded.misfire, enabled = excluded.enabled, next_fire_at = null, last_error = null,
           updated_at = now();
$$;

create function jobflow_drop_schedule(p_name varchar) returns boolean
language sql volatile as $$
    with dropped as (delete from job_schedules where name = p_name returning 1)
    select exists (select 1 from dropped);
$$;
