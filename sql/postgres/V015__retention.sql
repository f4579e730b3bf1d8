-- Retention (issue 14): finished jobs (with their runs and log lines), the cycle log, expired
-- unique keys and forgotten replicas are pruned in bounded batches by one replica at a time: the
-- pass that locks the row 'retention' of maintenance_locks (FOR UPDATE SKIP LOCKED) prunes, the
-- others skip. The Oracle twin is sql/oracle/V015__retention.sql.
create table maintenance_locks (
    name varchar(50) primary key
);
insert into maintenance_locks (name) values ('retention');

-- The pruning reads only these: finished jobs by end time and by id, cycles by end time.
create index jobs_finished_ix on jobs (finished_at, id) where status in ('COMPLETED', 'FAILED', 'CANCELLED');
create index dispatch_cycles_ended_ix on dispatch_cycles (ended_at);
create index job_unique_keys_expiry_ix on job_unique_keys (expires_at) where expires_at is not null;
