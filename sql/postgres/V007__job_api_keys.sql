-- Keys of services that write to job-api (submit, cancel, hub tokens): only the SHA-256 (hex) of a
-- key is stored. A key is a trusted service: it may act for any owner. Revoke by setting
-- revoked_at; a revoked key is refused at once by every job-api replica.
create table job_api_keys (
    name        varchar(100) primary key,
    key_sha256  char(64)     not null unique,
    created_at  timestamptz  not null default now(),
    revoked_at  timestamptz
);
