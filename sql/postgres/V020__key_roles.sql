-- Roles (issue 17): a job-api key has a role, as a person has one. viewer reads the jobs it owns (and
-- submits for any owner), operator reads and acts on every job (retry, cancel, delete, bulk, pause),
-- admin also manages queues, schedules and reads the audit log. Keys made before this migration could
-- do everything: they keep that as admin; give a new key the least role it needs.
alter table job_api_keys add column role varchar(20) not null default 'admin';
alter table job_api_keys add constraint job_api_keys_role_ck check (role in ('viewer', 'operator', 'admin'));
