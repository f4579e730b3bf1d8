-- The queue tables are vacuumed after 1 % of their rows changed, not 20 % (issue 15).
--
-- A claim reads jobs_queued_ix (queue, priority, run_at, id where status = 'QUEUED') from its start.
-- A job that leaves QUEUED leaves its entry there, pointing at a dead row version, until VACUUM or an
-- insert into the same index page removes it. While jobs are claimed as they come, new entries land on
-- the pages of the old ones and the inserts clear them; but the entries of a backlog (a burst of
-- submits, a paused queue, dispatchers down) fill pages that no new job reaches once it drains, and
-- every later claim reads those pages first until VACUUM empties them. Measured with pgbench on a
-- jobs table of 1,000,000 finished jobs (retention's default count), one job inserted, claimed and
-- completed per transaction (docs/benchmarks.md 2l): a claim takes 0.80 ms; 1.67 ms on average over
-- the 150 s after a backlog of 90,000 jobs drained, when PostgreSQL's default (vacuum once 20 % of the
-- rows are dead: 260,000 here) had not yet run; with this version's settings autovacuum ran within
-- the first 110 s and the claims were back at 0.96 ms on average (the cycles at their earlier speed).
-- The outbox's unsent-events index (job_events_unsent_ix) is read from its start the same way.
--
-- From this version autovacuum takes these tables when 1,000 + 1 % of their rows are dead (and
-- analyzes them after 2 %): a drained backlog is cleared within a minute or two (autovacuum_naptime,
-- then the pass), where at the default a large table waited for a fifth of its rows to change.
-- (VACUUM may still leave the indexes for a later pass while fewer than 2 % of the table's pages hold
-- dead rows: PostgreSQL's own bound, of the same order.) The tables are vacuumed more often; a pass
-- reads only the pages changed since the last one (the visibility map) and the indexes. How fast a
-- pass runs is the server's (autovacuum_vacuum_cost_limit/_delay), and with autovacuum off nothing
-- changes (the retention pass vacuums what it prunes, as before).
-- Oracle has no VACUUM (undo, and index blocks reused in place): sql/oracle/V029 records the version.

alter table jobs set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                      autovacuum_analyze_scale_factor = 0.02);
alter table job_events set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                            autovacuum_analyze_scale_factor = 0.02);
