-- Twin of sql/postgres/V026__set_based_change_triggers.sql, where the row triggers that write a
-- changed job's progress-log row, outbox event and run became statement-level triggers that write
-- those rows for all the jobs of a statement at once (the claim of many slots, the ends a group
-- commit carries as one statement). Oracle's store changes one job per statement (its claim dequeues
-- and updates job by job, its ends are one statement each), so a compound trigger collecting the rows
-- for a FORALL would save nothing here: the row triggers (jobs_publish_event, jobs_record_event,
-- jobs_record_run) stay. This version records that in the data dictionary and keeps the two
-- dialects' versions in lock-step.
comment on table job_events is 'Outbox of job lifecycle events, one row per change, written by the trigger jobs_record_event in the transaction of the change';
