-- Roles (issue 17): the twin of sql/postgres/V020__key_roles.sql. A job-api key has a role: viewer,
-- operator or admin; keys made before this script keep what they could do (admin).
alter table job_api_keys add (
    role varchar2(20 char) default 'admin' not null,
    constraint job_api_keys_role_ck check (role in ('viewer', 'operator', 'admin'))
);
