-- Operators limited to given queues (issue 17): the twin of sql/postgres/V024__operator_queues.sql.
-- An operator key with queues set (comma-separated queue names) reads and acts on the jobs of those
-- queues only, and on its own jobs; null: every queue. Only an operator key may have one.
alter table job_api_keys add (
    queues varchar2(2000 char),
    constraint job_api_keys_queues_ck check (
        queues is null
        or (role = 'operator' and regexp_like(queues, '^[a-z0-9][a-z0-9_.-]*(,[a-z0-9][a-z0-9_.-]*)*$')))
);
