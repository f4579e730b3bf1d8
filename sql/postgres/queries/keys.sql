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
