-- Keys of services that write to job-api (submit, cancel, hub tokens): only the SHA-256 (hex) of a
-- key is stored. A key is a trusted service: it may act for any owner. Revoke by setting
-- revoked_at; a revoked key is refused at once by every job-api replica. The Oracle twin of
-- sql/postgres/V007__job_api_keys.sql.
create table job_api_keys (
    name        varchar2(100 char) not null,
    key_sha256  char(64)           not null,
    created_at  timestamp with time zone default systimestamp not null,
    revoked_at  timestamp with time zone,
    constraint job_api_keys_pk primary key (name),
    constraint job_api_keys_sha_uq unique (key_sha256)
);
