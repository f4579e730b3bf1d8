-- Creates a service user for the Jobflow services that is not the schema owner (what DBAs require):
-- it may log in and use the owner's objects, and nothing more. Run as a DBA (it creates a user, and
-- runs the owner's jobflow_grant_service_user, which needs EXECUTE ANY PROCEDURE or a grant), in
-- SQL*Plus or SQLcl, after the V*.sql scripts:
--     @service_user.sql <owner> <service user> <password>
-- e.g. @service_user.sql jobflow jobflow_app "change-me". The services then log in as the service
-- user with jobflow.store.oracle.schema (JOBFLOW_STORE_ORACLE_SCHEMA) set to the owner. After an
-- upgrade that adds objects, re-run only the last statement (as the owner or a DBA). Not a migration
-- (no V prefix): Flyway never runs it. service_user_drop.sql removes the user again.
whenever sqlerror exit failure rollback
set verify off

create user &2 identified by "&3";

grant create session to &2;

-- The JDBC AQ dequeue of the claims and the ready watch (the queue privilege itself is granted by the owner below).
grant execute on sys.dbms_aq to &2;

-- The progress hub's gap check (writers_alive) on Oracle.
grant select on sys.v_$locked_object to &2;

grant select on sys.v_$transaction to &2;

-- The object grants and the DEQUEUE privilege on the dispatch queue, given by the owner (V019).
begin
    &1..jobflow_grant_service_user('&2');
end;
/
