-- Run history, results and log lines per job (issue 14): the twin of
-- sql/postgres/V014__runs_results_logs.sql. Needs Oracle Database 19c or later.

-- One row per attempt, written by the trigger below in the transaction that ends the attempt.
create table job_runs (
    id          number(19)         generated always as identity,
    job_id      number(19)         not null,
    attempt     number(10)         not null,
    replica     varchar2(200 char),
    started_at  timestamp with time zone,
    ended_at    timestamp with time zone default systimestamp not null,
    outcome     varchar2(10 char)  not null,
    error       varchar2(4000 char),
    constraint job_runs_pk primary key (id),
    constraint job_runs_job_fk foreign key (job_id) references jobs (id) on delete cascade,
    constraint job_runs_outcome_ck check (outcome in ('COMPLETED', 'FAILED', 'CANCELLED', 'RELEASED'))
);
create index job_runs_job_ix on job_runs (job_id, id);

create or replace trigger jobs_record_run
    after update of status on jobs
    for each row
    when (old.status = 'RUNNING' and new.status <> 'RUNNING')
begin
    insert into job_runs (job_id, attempt, replica, started_at, outcome, error)
    values (:old.id, :old.attempts, :old.lease_owner, :old.started_at,
            case when :new.status = 'QUEUED' and :new.attempts < :old.attempts then 'RELEASED'
                 when :new.status = 'QUEUED' then 'FAILED'
                 else :new.status end,
            case when :new.status = 'COMPLETED' then null else :new.error end);
end;
/

-- The job's result: a JSON value's text. IS JSON of 19c refuses a top-level scalar, so the check
-- wraps the value in brackets (hence at most 3,998 bytes, within SQL's 4,000-byte strings).
alter table jobs add (result varchar2(4000 char));
alter table jobs add constraint jobs_result_json_ck
    check (result is null or (lengthb(result) <= 3998 and ('[' || result || ']') is json (strict)));

create table job_logs (
    id          number(19)          generated always as identity,
    job_id      number(19)          not null,
    attempt     number(10)          not null,
    level_name  varchar2(5 char)    not null,
    message     varchar2(2000 char) not null,
    created_at  timestamp with time zone default systimestamp not null,
    constraint job_logs_pk primary key (id),
    constraint job_logs_job_fk foreign key (job_id) references jobs (id) on delete cascade,
    constraint job_logs_level_ck check (level_name in ('DEBUG', 'INFO', 'WARN', 'ERROR'))
);
create index job_logs_job_ix on job_logs (job_id, id);

-- Appends a log line of a running job, visible at once (autonomous transaction: it commits on its
-- own, even while the caller's transaction is open), and sends it to the room job:{id}. Fenced by
-- the session's job_lease token (or p_token). It only reads the job row: an autonomous transaction
-- that updated it would wait for its own caller's row lock (job_progress holds one) for ever.
-- Returns 1, or 0 when the job is not running under that lease (a function returning BOOLEAN
-- cannot be called from SQL before 23ai).
create or replace function jobflow_log(
    p_job_id  in number,
    p_level   in varchar2,
    p_message in varchar2,
    p_token   in number default null,
    p_max     in number default 1000) return number authid definer is
    pragma autonomous_transaction;
    l_token   number := nvl(p_token, job_lease.token);
    l_level   varchar2(5) := upper(nvl(p_level, 'INFO'));
    l_attempt number;
    l_lines   number;
    l_message varchar2(2000 char);
    l_id      number;
    l_at      timestamp with time zone;
    l_payload json_object_t := json_object_t();
    l_log     json_object_t := json_object_t();
begin
    if l_level not in ('DEBUG', 'INFO', 'WARN', 'ERROR') then
        raise_application_error(-20023, 'jobflow_log: level must be DEBUG, INFO, WARN or ERROR, was ' || p_level);
    end if;
    begin
        select attempts into l_attempt from jobs
         where id = p_job_id and status = 'RUNNING' and (l_token is null or lease_token = l_token);
    exception
        when no_data_found then
            rollback;
            return 0;
    end;
    select count(*) into l_lines from job_logs where job_id = p_job_id and rownum <= p_max + 1;
    if l_lines > p_max then
        rollback;
        return 1;
    end if;
    if l_lines = p_max then
        l_level := 'WARN';
        l_message := 'log lines dropped: this job writes more than ' || p_max || ' lines';
    else
        l_message := jobflow_truncate_bytes(nvl(p_message, ' '), 2000);
    end if;
    insert into job_logs (job_id, attempt, level_name, message) values (p_job_id, l_attempt, l_level, l_message)
    returning id, created_at into l_id, l_at;
    l_log.put('id', l_id);
    l_log.put('level', l_level);
    l_log.put('message', l_message);
    l_log.put('at', to_char(sys_extract_utc(l_at), 'YYYY-MM-DD"T"HH24:MI:SS.FF6"Z"'));
    l_payload.put('job_id', p_job_id);
    l_payload.put('log', l_log);
    jobflow_api.publish(sys.odcivarchar2list('job:' || p_job_id), l_payload.to_string());
    commit;
    return 1;
end jobflow_log;
/

-- Sets the result of a running job (fenced as above, in the caller's transaction); the
-- dispatcher keeps it when it completes the job. Returns 1, or 0 when the job is not running
-- under that lease.
create or replace function jobflow_set_result(
    p_job_id in number,
    p_result in varchar2,
    p_token  in number default null) return number authid definer is
    l_token number := nvl(p_token, job_lease.token);
begin
    update jobs set result = p_result
     where id = p_job_id and status = 'RUNNING' and (l_token is null or lease_token = l_token);
    return sql%rowcount;
end jobflow_set_result;
/
