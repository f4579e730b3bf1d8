-- Job types and their declared parameters (issue 19): every dispatcher replica registers the types
-- it runs (at start and then every minute); job-api refuses a submit of a type none registered
-- (unless jobflow.api.submit-unknown-types) and checks the params against the declaration.
-- A type not registered for the retention of forgotten replicas is pruned with them.
-- The Oracle twin is sql/oracle/V021__job_types.sql.
create table job_types (
    type          varchar(100)  primary key,
    params        varchar(4000),                      -- JSON array of the declared parameters; null: not declared
    replica_id    varchar(200)  not null,              -- the replica that registered it last
    registered_at timestamptz   not null default now()
);
