-- No change on PostgreSQL: the lock-step twin of sql/oracle/V019__oracle_service_user_and_exception_queue.sql.
-- What it adds is Oracle's alone: the package jobflow_aq (the orphan re-queue and the purge of the AQ
-- exception queue, which PostgreSQL does not have: its queue is the jobs table) and the grants of a
-- service user that is not the schema owner (PostgreSQL's services log in as the owner of their schema).
select 1;
