-- The global cap N without a global lock (invariant 4). V004_1 serialised every capped claim on
-- one advisory lock held until the claim's commit, so the claims of several replicas queued behind
-- each other's WAL flush: with 3 dispatchers the cap cost a quarter of the throughput
-- (docs/benchmarks.md, section 2).
--
-- Now the cap is N slot rows. A capped claim locks up to p_max free slots with FOR UPDATE SKIP
-- LOCKED (claimers never wait for each other: a slot another claim holds is skipped, not waited
-- for), claims at most that many jobs, and writes each job into its slot (jobs.cap_slot and
-- dispatch_cap_slots.job_id) in the same transaction. Why this is exact under READ COMMITTED: a
-- slot row that another claim filled and committed after our snapshot is re-checked on its newest
-- version when we lock it (job_id is no longer null, so it is passed over), and an uncommitted one
-- is locked, so it is skipped.
--
-- A slot is freed by the trigger below in the same transaction that takes its job out of RUNNING,
-- whichever way it leaves (complete, fail, retry, cancel, hand-back, the reaper, a delete), so no
-- end path can leak a slot. A job whose lease expired holds its slot until the reaper ends it
-- (conservative).
--
-- Slot rows 1..N are created on the first claim with cap N. Slots above the cap still in use (the
-- cap was lowered) count against it. Jobs claimed without a cap hold no slot and do not count:
-- give every replica the same cap (the Helm chart does).
create table dispatch_cap_slots (
    slot   integer primary key check (slot > 0),
    job_id bigint
);
alter table jobs add column cap_slot integer;

create or replace function jobs_claim(p_owner varchar, p_max integer, p_lease_ms bigint, p_cap integer)
returns setof jobs
language plpgsql volatile as $$
declare
    v_limit integer := p_max;
    v_slots integer[];
    v_over integer;
begin
    if p_cap is not null then
        if p_max <= 0 or p_cap <= 0 then
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
             limit p_max
               for update skip locked
        ) free;
        select count(*) into v_over from dispatch_cap_slots where slot > p_cap and job_id is not null;
        v_limit := least(p_max, coalesce(cardinality(v_slots), 0) - v_over);
    end if;
    if v_limit <= 0 then
        return;
    end if;
    return query
    with next as (
        select id from jobs
         where status = 'QUEUED' and run_at <= now()
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
               progress_pct = 0,
               progress_message = null,
               started_at = now(),
               updated_at = now(),
               cap_slot = v_slots[numbered.n]
          from numbered
         where j.id = numbered.id
        returning j.*
    ), slotted as (
        update dispatch_cap_slots s
           set job_id = c.id
          from claimed c
         where s.slot = c.cap_slot
    )
    select * from claimed;
end
$$;

create function jobs_free_cap_slot() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or new.status <> 'RUNNING' then
        update dispatch_cap_slots set job_id = null where slot = old.cap_slot and job_id = old.id;
    end if;
    return null;
end
$$;

create trigger jobs_free_cap_slot
after update of status or delete on jobs
for each row when (old.status = 'RUNNING' and old.cap_slot is not null)
execute function jobs_free_cap_slot();
