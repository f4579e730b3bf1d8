-- The audit log (issue 14): the twin of sql/postgres/V016__audit_log.sql.
create table audit_log (
    id      number(19)          generated always as identity,
    at      timestamp with time zone default systimestamp not null,
    actor   varchar2(200 char)  not null,
    via     varchar2(10 char)   not null,
    action  varchar2(100 char)  not null,
    target  varchar2(200 char),
    detail  varchar2(4000 char),
    constraint audit_log_pk primary key (id)
);
create index audit_log_actor_ix on audit_log (actor, id desc);
create index audit_log_at_ix on audit_log (at);
