-- Operators limited to given queues (issue 17). An operator key with queues set reads and acts on
-- the jobs of those queues only (retry, cancel, delete, bulk, pause and resume, run a schedule), and
-- on its own jobs as a viewer does; null: every queue, as before. A comma-separated list of queue
-- names (queue names never contain a comma); only an operator key may have one (a viewer acts on
-- its own jobs, an admin on everything). The Oracle twin is sql/oracle/V024__operator_queues.sql.
alter table job_api_keys add column queues varchar(2000);
alter table job_api_keys add constraint job_api_keys_queues_ck check (
    queues is null
    or (role = 'operator' and queues ~ '^[a-z0-9][a-z0-9_.-]*(,[a-z0-9][a-z0-9_.-]*)*$'));
