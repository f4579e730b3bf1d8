-- Twin of sql/postgres/V028__key_change_notify.sql, where triggers on the key tables NOTIFY the
-- replicas of every change so that they may keep the keys they found. Oracle has no notification the
-- services listen to for this (the dispatch queue's AQ messages are for jobs), so job-api and the
-- hub look every presented key up in job_api_keys / progress_api_keys there, and a revoke is refused
-- from its commit on. Nothing to change; this version records that in the data dictionary and keeps
-- the two dialects' versions in lock-step.
comment on table job_api_keys is 'job-api caller keys by SHA-256; looked up on every request on Oracle (PostgreSQL replicas keep them until a trigger announces a change), so a revoke (revoked_at) is refused from its commit on';
