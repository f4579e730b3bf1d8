-- Named statements of the keys and the shared secret the services check (Credentials).
-- Positional parameters are $1, $2, ...; the Oracle twin is sql/oracle/queries/keys.sql.
-- Only SHA-256 hashes of keys are stored; a revoked key never matches.

-- name: job_api_key
-- The job-api caller key (name, role, queues: V024) with this SHA-256 (hex), unless revoked.
select name, role, queues from job_api_keys where key_sha256 = $1 and revoked_at is null

-- name: producer_key_name
-- The producer key with this SHA-256 (hex), unless revoked.
select name from progress_api_keys where key_sha256 = $1 and revoked_at is null

-- name: signing_key_insert
insert into progress_signing_key (secret) values ($1) on conflict (id) do nothing

-- name: signing_key
select secret from progress_signing_key where id = 1

-- name: keys_fingerprint
-- A digest of every row of both key tables (what a lookup reads from them): it changes with any
-- insert, update or delete. A service that keeps the keys it found reads it every few hundred ms
-- (KeyCache); the tables hold one row per key, so this is a scan of a small table.
select (select md5(coalesce(string_agg(key_sha256 || '|' || name || '|' || role || '|' || coalesce(queues, '')
                                       || '|' || coalesce(revoked_at::text, ''), ',' order by key_sha256), ''))
          from job_api_keys)
       || ':' ||
       (select md5(coalesce(string_agg(key_sha256 || '|' || name || '|' || coalesce(revoked_at::text, ''), ','
                                       order by key_sha256), ''))
          from progress_api_keys) as fingerprint
