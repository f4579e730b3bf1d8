-- The global cap N without a global lock (invariant 4); the twin of sql/postgres/V006. V004_1
-- serialised every capped claim on the one row of jobs_claim_lock until the claim's commit, so the
-- claims of several replicas queued behind each other's redo write (in PostgreSQL the same design
-- cost a quarter of the throughput with 3 dispatchers: docs/benchmarks.md, section 2).
--
-- Now the cap is N slot rows. A capped claim (AqClaim) locks up to the free slots it needs with
-- SELECT ... FOR UPDATE SKIP LOCKED, fetching only that many rows (with SKIP LOCKED, Oracle locks
-- a row when it is fetched), dequeues at most that many messages, and writes each claimed job into
-- its slot (jobs.cap_slot and dispatch_cap_slots.job_id) in the same transaction. Claimers never
-- wait for each other: a slot another claim holds is skipped. A slot row that another claim filled
-- and committed after our locking query began is dropped by a second look (recheck_cap_slots, a new
-- statement after the locks were granted), whatever the locking query made of it.
--
-- A slot is freed by the trigger below in the same transaction that takes its job out of RUNNING,
-- whichever way it leaves (complete, fail, retry, cancel, hand-back, the reaper, a delete). Slot
-- rows 1..N are created on the first claim with cap N; slots above the cap still in use (the cap
-- was lowered) count against it; jobs claimed without a cap hold no slot and do not count.
--
-- jobs_claim_lock (V004_1) is no longer used: it stays so that dispatchers of the previous version
-- keep working during a rolling update; uninstall.sql drops it.
create table dispatch_cap_slots (
    slot   number(10) not null,
    job_id number(19),
    constraint dispatch_cap_slots_pk primary key (slot),
    constraint dispatch_cap_slots_slot_ck check (slot > 0)
);

alter table jobs add (cap_slot number(10));

create or replace trigger jobs_free_cap_slot
    after update of status or delete on jobs
    for each row
    when (old.status = 'RUNNING' and old.cap_slot is not null)
begin
    if deleting or :new.status <> 'RUNNING' then
        update dispatch_cap_slots set job_id = null where slot = :old.cap_slot and job_id = :old.id;
    end if;
end;
/
