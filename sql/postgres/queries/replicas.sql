-- Read-only queries of the dispatcher replicas (ReplicaDirectory). $1: the replica TTL in ms,
-- $2: how long a replica that is no longer seen stays listed, in ms.

-- name: list_replicas
-- Each replica with its most recent cycle. Oracle: the lateral subquery becomes
-- OUTER APPLY (... ORDER BY id DESC FETCH FIRST 1 ROW ONLY) and the boolean a CASE expression.
select r.replica_id, r.slots, r.draining, r.started_at, r.last_seen_at,
       r.last_seen_at > now() - $1 * interval '1 millisecond' as alive,
       c.started_at as cycle_started_at, c.ended_at as cycle_ended_at,
       c.polls, c.claimed, c.completed, c.failed
  from dispatcher_replicas r
  left join lateral (
       select d.started_at, d.ended_at, d.polls, d.claimed, d.completed, d.failed
         from dispatch_cycles d
        where d.replica_id = r.replica_id
        order by d.id desc
        limit 1) c on true
 where r.last_seen_at > now() - $2 * interval '1 millisecond'
 order by alive desc, r.replica_id
