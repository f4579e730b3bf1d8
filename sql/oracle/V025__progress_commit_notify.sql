-- Twin of sql/postgres/V025__progress_commit_notify.sql, where every insert into progress_log
-- notifies the hubs on commit (LISTEN/NOTIFY) so that they read the log at once instead of at their
-- next poll. Oracle has no such notification a JDBC session can wait on without an extra grant and a
-- blocked session per hub (DBMS_ALERT), so on Oracle the hubs keep polling the log
-- (jobflow.hub.tail.poll-min / poll-max; a send through a hub wakes that hub at once). This version
-- records that in the data dictionary and keeps the two dialects' versions in lock-step.
comment on table progress_log is 'Progress messages of every room, read by the progress hubs, which poll it (jobflow.hub.tail.poll-min, poll-max)';
