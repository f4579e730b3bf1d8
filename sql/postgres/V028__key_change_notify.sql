-- Key changes are announced (issue 15). job-api and the hub looked a presented key up in
-- job_api_keys / progress_api_keys on every request: a database round trip per submit. Now each
-- replica keeps the keys it found (KeyCache) and drops them all when one of these triggers tells it
-- that a key table changed: a NOTIFY on jobflow_keys_changed, sent once per transaction that inserted,
-- updated, deleted or truncated keys and delivered when it commits. A revoke is refused from the
-- moment the notice reaches a replica (milliseconds); a replica whose LISTEN connection is down keeps
-- nothing and looks every key up. Oracle: nothing to announce with (keys are looked up on every
-- request there); sql/oracle/V028__key_change_notify.sql records the version.

create function keys_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('jobflow_keys_changed', tg_table_name);
    return null;
end
$$;

create trigger job_api_keys_changed after insert or update or delete or truncate on job_api_keys
    for each statement execute function keys_changed();
create trigger progress_api_keys_changed after insert or update or delete or truncate on progress_api_keys
    for each statement execute function keys_changed();
