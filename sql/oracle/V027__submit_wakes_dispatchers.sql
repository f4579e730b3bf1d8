-- Twin of sql/postgres/V027__submit_wakes_dispatchers.sql, where a submit's transaction itself wakes
-- the dispatchers on commit (its insert trigger sends the NOTIFY the job-api used to send afterwards,
-- in a transaction of its own). On Oracle a new job already reaches the dispatchers in its own
-- transaction: the trigger jobs_enqueue puts its message on the AQ queue JOBFLOW_DISPATCH_Q, which
-- becomes visible when the submit commits and wakes the dequeue that waits on it. Nothing to change;
-- this version records that in the data dictionary and keeps the two dialects' versions in lock-step.
comment on table jobs is 'Jobs; a QUEUED job is enqueued on JOBFLOW_DISPATCH_Q by the trigger jobs_enqueue in the transaction that made it QUEUED, which wakes the dispatchers when it commits';
