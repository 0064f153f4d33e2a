-- Platform tables shared by every service (platform/outbox). Service migrations start at V1.

-- The transactional outbox, in Debezium's column names. Rows are inserted in the caller's transaction
-- and (by default) deleted in the same transaction: the relay reads the inserts from the WAL.
create table outbox_event (
    id              varchar(64)  primary key,
    aggregatetype   varchar(249) not null, -- the destination topic
    aggregateid     varchar(255) not null, -- the record key: the resource id
    type            varchar(255) not null, -- eventType / ce_type header
    payload         json         not null, -- json, not jsonb: the record value is kept byte for byte
    tenant          varchar(100),
    organisation_id varchar(255),
    traceparent     varchar(55),
    created_at      timestamptz  not null default clock_timestamp()
);

-- Idempotent consumers: one row per (consumer, event id) applied, written in the handler's transaction.
create table consumed_message (
    consumer    varchar(100) not null,
    event_id    varchar(255) not null,
    consumed_at timestamptz  not null default clock_timestamp(),
    primary key (consumer, event_id)
);

-- The relay's source offsets (Debezium JdbcOffsetBackingStore layout), kept in the service's own database.
create table outbox_relay_offset (
    id                varchar(36) not null primary key,
    offset_key        varchar(1255),
    offset_val        varchar(1255),
    record_insert_ts  timestamp   not null,
    record_insert_seq integer     not null
);
