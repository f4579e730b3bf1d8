-- Idempotency keys belong to the caller that presented them (issue 20): the same key from two
-- callers makes two jobs, and the same key from one caller with another request is refused.
-- idempotency_caller names the identity ('key:<api key name>' or 'user:<name>'); request_sha256
-- is the SHA-256 of the request the key was first used with. Keys written before this version
-- have no caller: they no longer match any request (they were global, so no caller can be
-- assumed for them).
alter table jobs add column idempotency_caller varchar(200);
alter table jobs add column request_sha256 char(64);
alter table jobs drop constraint jobs_idempotency_key_uq;
-- coalesce: a key without a caller (none is written any more) is still unique among its kind,
-- as Oracle's unique constraint on (idempotency_caller, idempotency_key) treats it.
create unique index jobs_idempotency_uq on jobs (coalesce(idempotency_caller, ''), idempotency_key)
    where idempotency_key is not null;
