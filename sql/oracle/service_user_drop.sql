-- Drops a service user made by service_user.sql. Run as a DBA, in SQL*Plus or SQLcl, before or
-- after uninstall.sql (which drops the owner's objects and with them every grant on them):
--     @service_user_drop.sql <service user>
-- e.g. @service_user_drop.sql jobflow_app. The user owns nothing (cascade only in case someone gave
-- it objects of its own); its sessions must be closed first (ORA-01940 otherwise).
whenever sqlerror exit failure rollback
set verify off

drop user &1 cascade;
