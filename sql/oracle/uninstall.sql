-- Removes every Jobflow object from the current schema: the reverse of every V*.sql (and of the
-- Flyway history table, if Flyway installed them). Run as the schema owner, in SQL*Plus or SQLcl:
--     @uninstall.sql
-- The grants a service user held on these objects go with them; the user itself is dropped by a
-- DBA with service_user_drop.sql.
-- Not a migration (no V prefix): Flyway never runs it. Each drop is independent, so the script
-- can be re-run after a partial install or a partial uninstall; "does not exist" errors are
-- ignored, any other error stops it.
whenever sqlerror exit failure rollback

-- The triggers first, so nothing enqueues or publishes while the rest goes.
begin
    for t in (select trigger_name from user_triggers
               where trigger_name in ('JOBS_ENQUEUE', 'JOBS_PUBLISH_EVENT', 'JOBS_FREE_CAP_SLOT', 'JOBS_FREE_QUEUE_SLOT',
                                      'JOBS_RELEASE_UNIQUE_KEY', 'JOBS_RECORD_RUN', 'JOBS_SEARCH_TEXT',
                                      'JOBS_RECORD_EVENT')) loop
        execute immediate 'drop trigger ' || t.trigger_name;
    end loop;
end;
/

-- The AQ queues and their queue table (force: also drops the queues in it, messages included).
declare
    no_queue_table exception;
    pragma exception_init(no_queue_table, -24002);
begin
    dbms_aqadm.drop_queue_table(queue_table => 'jobflow_dispatch_qt', force => true);
exception
    when no_queue_table then
        null;
end;
/

-- The database-side API, the tables and the sequences.
begin
    for o in (select object_type, object_name from user_objects
               where (object_type = 'PACKAGE' and object_name in ('JOBFLOW_API', 'JOB_LEASE', 'JOBFLOW_SCHEDULES', 'JOBFLOW_AQ'))
                  or (object_type = 'FUNCTION' and object_name in ('JOB_PROGRESS', 'JOBFLOW_TRUNCATE_BYTES', 'JOBFLOW_LOG',
                                                                   'JOBFLOW_SET_RESULT'))
                  or (object_type = 'PROCEDURE' and object_name in ('JOBFLOW_DEMO', 'JOBFLOW_FAIL', 'PROGRESS_SEND',
                                                                    'JOBFLOW_GRANT_SERVICE_USER'))
                  or (object_type = 'TABLE' and object_name in ('JOBS', 'JOBS_CLAIM_LOCK', 'DISPATCH_CAP_SLOTS', 'DISPATCHER_REPLICAS',
                                                                'DISPATCH_CYCLES', 'PROGRESS_LOG', 'PROGRESS_STREAM',
                                                                'PROGRESS_API_KEYS', 'PROGRESS_SIGNING_KEY', 'JOB_API_KEYS',
                                                                'JOB_QUEUE_SLOTS', 'JOB_UNIQUE_KEYS', 'JOB_SCHEDULES', 'JOB_QUEUES',
                                                                'JOB_RUNS', 'JOB_LOGS', 'MAINTENANCE_LOCKS', 'AUDIT_LOG', 'JOB_TYPES',
                                                                'JOB_EVENTS', 'JOB_WEBHOOK_DELIVERIES',
                                                                'flyway_schema_history'))
                  or (object_type = 'SEQUENCE' and object_name in ('JOBS_ID_SEQ', 'JOBS_LEASE_TOKEN_SEQ',
                                                                   'PROGRESS_LOG_ID_SEQ'))) loop
        execute immediate 'drop ' || o.object_type || ' "' || o.object_name || '"'
            || case when o.object_type = 'TABLE' then ' cascade constraints purge' end;
    end loop;
end;
/

-- The Oracle Text preferences of the job search (V017); its index went with the table.
begin
    for p in (select pre_name from ctx_user_preferences
               where pre_name in ('JOBFLOW_SEARCH_LEXER', 'JOBFLOW_SEARCH_WORDLIST')) loop
        ctx_ddl.drop_preference(p.pre_name);
    end loop;
end;
/
