-- The audit log (issue 14): every write action through job-api (who, how identified, what, on
-- which jobs or objects, when). Kept like the cycle log (retention by age). The Oracle twin is
-- sql/oracle/V016__audit_log.sql.
create table audit_log (
    id      bigint generated always as identity primary key,
    at      timestamptz   not null default now(),
    actor   varchar(200)  not null,
    via     varchar(10)   not null,
    action  varchar(100)  not null,
    target  varchar(200),
    detail  varchar(4000)
);
create index audit_log_actor_ix on audit_log (actor, id desc);
create index audit_log_at_ix on audit_log (at);
