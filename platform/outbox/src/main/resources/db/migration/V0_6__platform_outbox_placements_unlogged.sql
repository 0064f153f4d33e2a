-- Where each outbox row went on Kafka, for the operators' event timeline, in a table of its own.
-- V0_4 kept them on the outbox row itself: recording them updated every relayed row, which wrote the whole
-- row, payload included, to the WAL a second time and made every relayed row a dead tuple (about a third of
-- PostgreSQL's work at webhook-ingest-service's batch throughput; docs/benchmarks.md).
--
-- Unlogged: nothing of it goes to the WAL, so recording a placement costs no fsync and no logical decoding.
-- The price: after a PostgreSQL crash (not a clean stop) the table is empty, and a standby promoted after a
-- failover has none of it; the timeline then shows those rows without their Kafka step. A placement is a
-- copy of what Kafka itself holds (the record, its `id` header), never the only record of anything.
create unlogged table outbox_placement (
    event_id        varchar(64) primary key, -- the outbox row's id
    kafka_partition integer     not null,
    kafka_offset    bigint      not null,
    relayed_at      timestamptz not null     -- the Kafka record's timestamp (set when sent, before the commit)
);

insert into outbox_placement (event_id, kafka_partition, kafka_offset, relayed_at)
select id, kafka_partition, kafka_offset, relayed_at from outbox_event where relayed_at is not null;

alter table outbox_event
    drop column kafka_partition,
    drop column kafka_offset,
    drop column relayed_at;
