-- Retention (issue 14): the twin of sql/postgres/V015__retention.sql. One replica at a time prunes
-- in bounded batches: the pass that locks the row 'retention' (FOR UPDATE SKIP LOCKED).
create table maintenance_locks (
    name varchar2(50 char) not null,
    constraint maintenance_locks_pk primary key (name)
);
insert into maintenance_locks (name) values ('retention');
commit;

-- PostgreSQL uses partial indexes; here a function-based index null outside the finished states.
create index jobs_finished_ix on jobs (case when status in ('COMPLETED', 'FAILED', 'CANCELLED') then finished_at end);
create index dispatch_cycles_ended_ix on dispatch_cycles (ended_at);
create index job_unique_keys_expiry_ix on job_unique_keys (expires_at);
