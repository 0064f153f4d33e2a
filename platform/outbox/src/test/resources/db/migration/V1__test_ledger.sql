-- A consumer's own state, for the idempotent-consumer tests. No key on event_id: an event applied
-- twice must show as two rows, not be absorbed by the table.
create table test_ledger (
    event_id varchar(64) not null,
    amount   integer not null
);
