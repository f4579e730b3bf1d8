-- Job types and their declared parameters (issue 19): the twin of sql/postgres/V021__job_types.sql.
create table job_types (
    type          varchar2(100 char)  not null,
    params        varchar2(4000 char),
    replica_id    varchar2(200 char)  not null,
    registered_at timestamp with time zone default systimestamp not null,
    constraint job_types_pk primary key (type),
    constraint job_types_params_json check (params is json)
);
