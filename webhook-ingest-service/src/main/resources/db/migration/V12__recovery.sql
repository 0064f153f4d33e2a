-- Recovery of missed events: the service reads GoCardless's events API for every connected
-- organisation and feeds what it reads into the same inbox -> outbox path as a webhook.

-- The connected merchants, from merchants.connection (oauth-service's facts): whose token reads
-- which organisation's events, and since when.
create table recovery_merchant (
    merchant_id      text         primary key,  -- PayBridge's merchant id (oauth-service's UUID)
    team             text         not null,     -- the owning team (the fact's tenant)
    organisation_id  text         not null,     -- GoCardless organisation (OR...)
    connected        boolean      not null,
    connected_at     timestamptz,               -- when it connected: a first recovery reads from here
    updated_at       timestamptz  not null
);

create index recovery_merchant_organisation on recovery_merchant (organisation_id) where connected;

-- Per organisation, how far the scheduled recovery has read: every event created before
-- read_until has been read and stored (the next run starts a little before it, see overlap).
create table recovery_cursor (
    organisation_id  text         primary key,
    read_until       timestamptz  not null,
    last_event_id    text,                      -- the newest event the last run read
    lease_owner      text,                      -- the instance running it now
    lease_until      timestamptz,               -- another instance may take over after this
    updated_at       timestamptz  not null
);

-- Every recovery, scheduled or asked for by an operator.
create table recovery_run (
    id                       bigint       generated always as identity primary key,
    organisation_id          text         not null,
    merchant_id              text         not null,  -- whose token read the events
    trigger                  text         not null,  -- schedule | operator
    requested_by             text,                   -- the operator's token subject (operator runs)
    created_from             timestamptz  not null,  -- events created at or after this ...
    created_until            timestamptz  not null,  -- ... and before this
    status                   text         not null,  -- running | succeeded | failed
    started_at               timestamptz  not null,
    heartbeat_at             timestamptz  not null,  -- a running run older than its lease was abandoned
    finished_at              timestamptz,
    pages                    integer      not null default 0,
    events_read              integer      not null default 0,
    events_recovered         integer      not null default 0,  -- new to the inbox: published by recovery
    events_already_received  integer      not null default 0,
    events_quarantined       integer      not null default 0,
    error                    text                               -- why it failed (no token, no body)
);

create index recovery_run_started on recovery_run (started_at desc);
create index recovery_run_organisation on recovery_run (organisation_id, started_at desc);

-- A page read from the events API is stored like a delivery (audit, and the inbox's delivery_id),
-- marked with its run; it has no signature (it was fetched with the merchant's token over TLS).
-- No foreign key: validating one would scan the whole delivery table under an exclusive lock.
alter table webhook_delivery add column recovery_run_id bigint;
alter table webhook_delivery alter column signature drop not null;
