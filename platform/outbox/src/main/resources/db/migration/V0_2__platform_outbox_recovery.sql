-- Platform tables for recovering from what the relay cannot relay (platform/outbox, ADR 0006).
-- Numbered below the services' V1: a database that already ran a service's migrations applies it
-- out of order, which the platform's Flyway customizer allows.

-- Outbox rows are kept for paybridge.outbox.retention (7 days) so that a range can be published again
-- after a lost replication slot; the retention job deletes by age.
create index outbox_event_created_at_idx on outbox_event (created_at);

-- Records Kafka refused for good (too large, not authorised, topic missing), parked by the relay so
-- that the rows behind them are relayed. headers: JSON array of [name, value] pairs, in record order.
create table outbox_parked (
    id           bigint generated always as identity primary key,
    event_id     varchar(64)  not null unique,
    topic        varchar(249) not null,
    record_key   varchar(255),
    record_value text,
    headers      json         not null,
    reason       varchar(40)  not null, -- record_too_large, topic_not_authorised, topic_missing, invalid_topic
    error        text,
    parked_at    timestamptz  not null default clock_timestamp(),
    resent_at    timestamptz,           -- sent to Kafka by an operator (same id and headers)
    discarded_at timestamptz,           -- given up by an operator
    note         text
);
create index outbox_parked_open_idx on outbox_parked (parked_at) where resent_at is null and discarded_at is null;

-- The relay's heartbeat (Debezium heartbeat.action.query) inserts a row here, and deletes the older
-- ones, so that a quiet service database still produces changes for its slot and the slot's
-- confirmed LSN follows the WAL of a busy cluster. The table is in the outbox publication (inserts
-- only); its changes never become Kafka records (the relay captures outbox_event only).
create table outbox_heartbeat (
    id      bigint generated always as identity primary key,
    beat_at timestamptz not null default clock_timestamp()
);

-- The outbox's replication slot as the platform created it: a slot missing while this row exists
-- was lost (a failover without slot sync, a manual drop) and is never recreated silently.
create table outbox_replication_slot (
    slot_name        varchar(63) primary key,
    created_at       timestamptz not null default clock_timestamp(),
    created_lsn      pg_lsn,
    acknowledged_at  timestamptz, -- an operator accepted a lost or replaced slot (runbook)
    acknowledged_note text
);
