-- Twin of sql/postgres/V029__queue_tables_vacuumed_early.sql, where autovacuum takes jobs and job_events
-- after 1 % of their rows changed instead of 20 %: on PostgreSQL every job that left QUEUED leaves a dead
-- entry at the start of the index a claim reads, until VACUUM removes it. Oracle has no VACUUM: a change
-- keeps its old version in undo, not in the table, and a claim is an AQ dequeue from JOBFLOW_DISPATCH_Q,
-- not a scan of jobs. Nothing to change; this version records that in the data dictionary and keeps the
-- dialects' versions in step.
comment on column jobs.status is 'QUEUED, RUNNING, COMPLETED, FAILED or CANCELLED; a claim takes a QUEUED job by its AQ message on JOBFLOW_DISPATCH_Q, not by a scan of this table';
