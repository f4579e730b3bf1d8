-- Oracle review fixes, part 2 (issue 16, items 3 and 7). Needs Oracle Database 19c or later.
-- The twin of sql/postgres/V019__oracle_service_user_and_exception_queue.sql (a no-op: PostgreSQL
-- has no AQ queue and its services already work in the schema they are given).
--
-- A service user that is not the schema owner (docs/oracle-install.md, "Service user"): its
-- sessions work in the owner's schema (ALTER SESSION SET CURRENT_SCHEMA, the setting
-- jobflow.store.oracle.schema) and hold only the grants jobflow_grant_service_user gives. What it
-- must not do itself is done here, as the owner (definer's rights): read the AQ queue table and
-- purge the exception queue.

create or replace package jobflow_aq authid definer as
    -- Gives a fresh message to at most p_max QUEUED jobs whose message is gone (moved to the
    -- exception queue after max_retries rolled-back claims, or removed by hand): queue_msgid := null
    -- makes jobs_enqueue enqueue one. A message being claimed right now still counts as present
    -- (its removal is not committed), so this never doubles a live claim. Returns how many.
    -- An autonomous transaction, so that SQL can call it (select ... from dual) and it commits on its
    -- own: call it outside a transaction that holds job rows.
    function requeue_orphans(p_max in number default 1000) return number;

    -- Removes at most p_batch messages of the exception queue jobflow_dispatch_eq, oldest first: those
    -- enqueued more than p_max_age_ms ago and those beyond the newest p_max_count. Every one of them
    -- is stale (requeue_orphans gave its job a fresh message), so nothing is lost. Returns how many.
    -- Autonomous, like requeue_orphans.
    function purge_exceptions(p_max_age_ms in number, p_max_count in number, p_batch in number) return number;
end jobflow_aq;
/

create or replace package body jobflow_aq as

    function requeue_orphans(p_max in number default 1000) return number is
        pragma autonomous_transaction;
        l_count number;
    begin
        update jobs j
           set queue_msgid = null
         where (case when status = 'QUEUED' then run_at end) is not null
           and not exists (select 1 from jobflow_dispatch_qt q
                            where q.msgid = j.queue_msgid and q.q_name = 'JOBFLOW_DISPATCH_Q')
           and rownum <= p_max;
        l_count := sql%rowcount;
        commit;
        return l_count;
    end requeue_orphans;

    function purge_exceptions(p_max_age_ms in number, p_max_count in number, p_batch in number) return number is
        pragma autonomous_transaction;
        l_options       dbms_aq.dequeue_options_t;
        l_properties    dbms_aq.message_properties_t;
        l_payload       raw(40);
        l_msgid         raw(16);
        l_removed       number := 0;
        no_message      exception;
        pragma exception_init(no_message, -25228);
        no_such_message exception;
        pragma exception_init(no_such_message, -25263);
    begin
        l_options.dequeue_mode := dbms_aq.remove_nodata;
        l_options.wait := dbms_aq.no_wait;
        l_options.visibility := dbms_aq.on_commit;
        -- enq_time of a 10.0-compatible queue table is UTC (the AQ$ view converts it with
        -- FROM_TZ(enq_time, '00:00')).
        for m in (select msgid
                    from (select q.msgid, q.enq_time,
                                 row_number() over (order by q.enq_time desc, q.msgid) as newest
                            from jobflow_dispatch_qt q
                           where q.q_name = 'JOBFLOW_DISPATCH_EQ')
                   where newest > p_max_count
                      or enq_time < sys_extract_utc(systimestamp) - numtodsinterval(p_max_age_ms / 1000, 'SECOND')
                   order by enq_time, msgid
                   fetch first p_batch rows only) loop
            l_options.msgid := m.msgid;
            begin
                dbms_aq.dequeue(
                    queue_name         => 'JOBFLOW_DISPATCH_EQ',
                    dequeue_options    => l_options,
                    message_properties => l_properties,
                    payload            => l_payload,
                    msgid              => l_msgid);
                l_removed := l_removed + 1;
            exception
                when no_message or no_such_message then
                    null; -- gone meanwhile
            end;
        end loop;
        commit;
        return l_removed;
    end purge_exceptions;

end jobflow_aq;
/

-- Gives a service user exactly what the services need on this schema's objects, as the owner
-- (definer's rights: the owner grants its own objects and its own queue). Run by the owner, or by
-- a DBA through sql/oracle/service_user.sql, after every upgrade that adds objects (it can be
-- re-run). docs/oracle-install.md lists the same grants.
create or replace procedure jobflow_grant_service_user(p_user in varchar2) authid definer is
    l_user varchar2(128) := dbms_assert.simple_sql_name(p_user);

    procedure grant_on(p_privileges in varchar2, p_objects in sys.odcivarchar2list) is
    begin
        for i in 1 .. p_objects.count loop
            execute immediate 'grant ' || p_privileges || ' on ' || p_objects(i) || ' to ' || l_user;
        end loop;
    end grant_on;
begin
    grant_on('select, insert, update, delete', sys.odcivarchar2list(
        'jobs', 'dispatcher_replicas', 'job_unique_keys', 'job_schedules', 'job_types'));
    grant_on('select, insert, delete', sys.odcivarchar2list('dispatch_cycles', 'progress_log', 'audit_log'));
    grant_on('select, insert, update', sys.odcivarchar2list(
        'dispatch_cap_slots', 'job_queue_slots', 'job_queues', 'progress_signing_key'));
    grant_on('select, update', sys.odcivarchar2list('progress_stream'));
    grant_on('select, update, delete', sys.odcivarchar2list('job_events'));
    grant_on('select, insert', sys.odcivarchar2list('job_webhook_deliveries'));
    grant_on('select', sys.odcivarchar2list(
        'job_api_keys', 'progress_api_keys', 'job_runs', 'job_logs', 'maintenance_locks',
        'jobs_id_seq', 'jobs_lease_token_seq', 'progress_log_id_seq'));
    grant_on('execute', sys.odcivarchar2list(
        'jobflow_aq', 'jobflow_log', 'jobflow_set_result', 'job_lease', 'job_progress', 'jobflow_api',
        'jobflow_demo', 'jobflow_fail'));
    -- The claims and the ready watch dequeue (and browse) the dispatch queue; the trigger enqueues
    -- as the owner, so no ENQUEUE privilege is needed.
    dbms_aqadm.grant_queue_privilege(
        privilege    => 'DEQUEUE',
        queue_name   => 'jobflow_dispatch_q',
        grantee      => l_user,
        grant_option => false);
end jobflow_grant_service_user;
/
