-- Every application of an event appends a row (no key on event_id), so an event applied twice shows
-- as two rows, and the ids give the order in which events were applied.
create table test_applications (
    id            bigserial primary key,
    event_id      varchar(64) not null,
    record_key    varchar(200) not null,
    record_offset bigint not null
);
create index test_applications_event_id on test_applications (event_id);
