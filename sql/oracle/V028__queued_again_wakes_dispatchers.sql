-- Twin of sql/postgres/V028__queued_again_wakes_dispatchers.sql, where a job made QUEUED again by an
-- update (a retry, a hand-back, a reaped lease, an operator's or a DBA's retry) and a resumed queue
-- wake the dispatchers from the database as the change commits, instead of from the service that made
-- it. On Oracle a job made QUEUED already reaches the dispatchers that way: the trigger jobs_enqueue
-- puts its AQ message on JOBFLOW_DISPATCH_Q in the same transaction, whoever updated it. Nothing to
-- change; this version records that in the data dictionary and keeps the dialects' versions in step.
comment on table job_queues is 'Named queues: cap, defaults, paused flag; a job made QUEUED in any of them is enqueued on JOBFLOW_DISPATCH_Q by the trigger jobs_enqueue in the same transaction, which wakes the dispatchers when it commits';
