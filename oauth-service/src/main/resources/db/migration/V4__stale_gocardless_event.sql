-- GoCardless events that arrived after the organisation was connected again and were older than that connection
-- (a retried webhook, consumer lag, a dead-letter replay): they changed nothing. Kept so that an operator can
-- see what was ignored and why, and check a case close to the boundary (docs/runbook.md).
create table stale_gocardless_event (
    event_id         varchar(100) primary key, -- the consumed id: GoCardless's EV… or webhook-ingest's synthetic-…
    resource_type    varchar(50)  not null,
    action           varchar(50)  not null,
    organisation_id  varchar(64)  not null,
    event_created_at timestamptz  not null,    -- GoCardless's clock
    merchant_id      varchar(36)  not null references merchant (id),
    connected_at     timestamptz  not null,    -- our clock: when the current connection was stored
    recorded_at      timestamptz  not null default clock_timestamp()
);

create index stale_gocardless_event_by_organisation on stale_gocardless_event (organisation_id, recorded_at desc);
