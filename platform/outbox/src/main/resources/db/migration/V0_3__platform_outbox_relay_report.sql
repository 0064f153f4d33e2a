-- How far the relay leader is behind the outbox, reported by the leader a few times a second so that
-- every instance of the service can read it (RelayBacklog; a service such as webhook-ingest sheds new
-- work while its events wait too long for Kafka). One row per service; not in the outbox publication.
create table outbox_relay_report (
    service     varchar(100) primary key,
    lag_millis  bigint       not null,
    publishing  boolean      not null, -- false while Kafka fails or the relay refuses its slot
    reported_at timestamptz  not null default clock_timestamp()
);
