-- Tracing (issue 18): the W3C traceparent of the submit's span, written at submit and read at claim,
-- so the dispatcher's spans (claim, run, progress) join the submit's trace across the queue. Null
-- when the job was submitted without tracing (tracing off, a schedule, the database-side API).
-- The Oracle twin is sql/oracle/V022__trace_context.sql.
alter table jobs add column trace_parent varchar(55);
