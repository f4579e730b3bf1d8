-- Claims with an optional global cap N on RUNNING jobs across every dispatcher replica
-- (invariant 4), enforced by the database, so it also holds while a rolling update briefly runs
-- extra pods. PostgreSQL: the function jobs_claim with a transaction-scoped advisory lock.
--
-- Oracle: a capped claim first locks the one row of this table (SELECT ... FOR UPDATE, held until
-- its commit: capped claims serialise, uncapped ones never touch it), then counts RUNNING jobs in
-- a new statement (under READ COMMITTED it sees every claim committed before the lock was
-- granted) and dequeues at most cap - running messages (sql/oracle/queries/jobs.sql:
-- claim_lock, count_running). A row lock instead of DBMS_LOCK: no extra grant is needed.
-- A long poll waits for work with a BROWSE dequeue before it takes the lock, never while holding it.
create table jobs_claim_lock (
    id  number(1) default 1 not null,
    constraint jobs_claim_lock_pk primary key (id),
    constraint jobs_claim_lock_one_row_ck check (id = 1)
);
insert into jobs_claim_lock (id) values (1);
commit;
