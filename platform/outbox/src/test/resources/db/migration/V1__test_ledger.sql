-- A consumer's own state, for the idempotent-consumer tests.
create table test_ledger (
    event_id varchar(64) primary key,
    amount   integer not null
);
