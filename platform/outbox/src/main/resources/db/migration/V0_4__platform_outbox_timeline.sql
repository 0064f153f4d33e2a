-- Where each outbox row went on Kafka, for the operators' event timeline (GET /operations/timeline).
-- Written by the relay leader after the row's Kafka transaction committed, in the background: a row
-- without them was relayed before this migration, by a relay that could not record them, or not yet.
-- The outbox publication carries inserts only, so these updates never reach Kafka.
alter table outbox_event
    add column kafka_partition integer,
    add column kafka_offset    bigint,
    add column relayed_at      timestamptz; -- the Kafka record's timestamp (set when sent, before the commit)

-- The timeline looks rows up by resource id (the record key) as well as by event id.
create index outbox_event_aggregateid_idx on outbox_event (aggregateid);
