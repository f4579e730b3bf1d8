-- Tracing (issue 18): the twin of sql/postgres/V022__trace_context.sql. The W3C traceparent of the
-- submit's span, written at submit and read at claim (AqClaim reads the claimed row back with it);
-- null when the job was submitted without tracing.
alter table jobs add (trace_parent varchar2(55 char));
