-- Claims with an optional global cap N on RUNNING jobs across every dispatcher replica
-- (invariant 4). The database enforces it, not replica arithmetic, so it also holds while a
-- rolling update briefly runs extra pods.
--
-- With a cap, a claimer takes one transaction-scoped advisory lock (claims serialise only among
-- capped claimers), then counts RUNNING jobs and claims at most cap - running. The count is a
-- separate statement of a VOLATILE PL/pgSQL function, so under READ COMMITTED it reads a fresh
-- snapshot taken after the lock was granted: it sees every claim committed before ours.
-- A job whose lease expired still counts until the reaper ends it (conservative).
-- Without a cap (p_cap null) no lock is taken: the plain FOR UPDATE SKIP LOCKED claim.
-- The Oracle adapter keeps the same contract with DBMS_LOCK / a lock row (see sql/oracle).
create function jobs_claim(p_owner varchar, p_max integer, p_lease_ms bigint, p_cap integer)
returns setof jobs
language plpgsql volatile as $$
declare
    v_limit integer := p_max;
    v_running integer;
begin
    if p_cap is not null then
        perform pg_advisory_xact_lock(hashtext('jobflow.jobs_claim'));
        select count(*) into v_running from jobs where status = 'RUNNING';
        v_limit := least(p_max, p_cap - v_running);
    end if;
    if v_limit <= 0 then
        return;
    end if;
    return query
    with next as (
        select id from jobs
         where status = 'QUEUED' and run_at <= now()
         order by priority desc, run_at, id
         limit v_limit
           for update skip locked
    ), claimed as (
        update jobs j
           set status = 'RUNNING',
               attempts = j.attempts + 1,
               lease_owner = p_owner,
               lease_token = nextval('jobs_lease_token_seq'),
               lease_expires_at = now() + p_lease_ms * interval '1 millisecond',
               progress_pct = 0,
               progress_message = null,
               started_at = now(),
               updated_at = now()
          from next
         where j.id = next.id
        returning j.*
    )
    select * from claimed;
end
$$;
