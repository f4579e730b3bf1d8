-- Read-only queries of the dispatcher replicas (ReplicaDirectory), the Oracle twin of
-- sql/postgres/queries/replicas.sql (on main). ?: the replica TTL in ms, then how long a
-- replica that is no longer seen stays listed, in ms.

-- name: list_replicas
-- Each replica with its most recent cycle. PostgreSQL: LEFT JOIN LATERAL (... LIMIT 1) and a
-- boolean; here OUTER APPLY (... FETCH FIRST 1 ROW ONLY) and alive as 0/1.
select r.replica_id, r.slots, r.draining, r.started_at, r.last_seen_at,
       case when r.last_seen_at > systimestamp - numtodsinterval(? / 1000, 'SECOND') then 1 else 0 end as alive,
       c.started_at as cycle_started_at, c.ended_at as cycle_ended_at,
       c.polls, c.claimed, c.completed, c.failed
  from dispatcher_replicas r
 outer apply (
       select d.started_at, d.ended_at, d.polls, d.claimed, d.completed, d.failed
         from dispatch_cycles d
        where d.replica_id = r.replica_id
        order by d.id desc
        fetch first 1 row only) c
 where r.last_seen_at > systimestamp - numtodsinterval(? / 1000, 'SECOND')
 order by alive desc, r.replica_id
