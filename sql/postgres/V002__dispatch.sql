-- Dispatcher replicas: each live replica keeps its row fresh; queue capacity is the sum of the
-- slots of the replicas seen recently.
create table dispatcher_replicas (
    replica_id    varchar(200) primary key,
    slots         integer      not null check (slots >= 0),
    started_at    timestamptz  not null default now(),
    last_seen_at  timestamptz  not null default now(),
    draining      boolean      not null default false
);

-- One row per dispatch cycle (the seed's "useful logs of frequency and messages per second").
create table dispatch_cycles (
    id            bigint generated always as identity primary key,
    replica_id    varchar(200)  not null,
    started_at    timestamptz   not null,
    ended_at      timestamptz   not null,
    polls         integer       not null,
    claimed       integer       not null,
    completed     integer       not null,
    failed        integer       not null,
    jobs_per_sec  numeric(12,3) not null
);
create index dispatch_cycles_replica_ix on dispatch_cycles (replica_id, id desc);
