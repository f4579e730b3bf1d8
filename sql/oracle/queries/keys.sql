-- Named statements of the keys and the shared secret the services check (Credentials), the
-- Oracle twin of sql/postgres/queries/keys.sql. Positional parameters are ?.
-- Only SHA-256 hashes of keys are stored; a revoked key never matches.

-- name: job_api_key
-- The job-api caller key (name, role, queues: V024) with this SHA-256 (hex), unless revoked.
select name, role, queues from job_api_keys where key_sha256 = ? and revoked_at is null

-- name: producer_key_name
-- The producer key with this SHA-256 (hex), unless revoked.
select name from progress_api_keys where key_sha256 = ? and revoked_at is null

-- name: signing_key_insert
-- PostgreSQL: ON CONFLICT DO NOTHING; here a MERGE that inserts only when the row is missing
-- (a concurrent insert of the same row fails with ORA-00001: the caller then reads the stored one).
merge into progress_signing_key k
using (select 1 as id, ? as secret from dual) s
   on (k.id = s.id)
 when not matched then insert (id, secret) values (s.id, s.secret)

-- name: signing_key
select secret from progress_signing_key where id = 1

-- name: keys_fingerprint
-- A digest of every row of both key tables (what a lookup reads from them): it changes with any
-- insert, update or delete. PostgreSQL takes an md5 of the rows in key order; LISTAGG is limited to
-- 4,000 bytes here, so Oracle sums a 32-bit ORA_HASH per row, with the row count (a change that
-- leaves both the same needs two different rows to hash alike: about one in four billion).
select (select count(*) || '.' || nvl(sum(ora_hash(key_sha256 || '|' || name || '|' || role || '|' || queues
                                                   || '|' || to_char(revoked_at, 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM'))), 0)
          from job_api_keys)
       || ':' ||
       (select count(*) || '.' || nvl(sum(ora_hash(key_sha256 || '|' || name
                                                   || '|' || to_char(revoked_at, 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM'))), 0)
          from progress_api_keys) as fingerprint
  from dual
