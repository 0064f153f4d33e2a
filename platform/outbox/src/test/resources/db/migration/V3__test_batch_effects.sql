-- Every application of an event by the batch test listener appends a row (no key on event_id), so an
-- event applied twice shows as two rows.
create table test_batch_effects (
    id            bigserial primary key,
    event_id      varchar(64) not null,
    record_offset bigint not null
);

-- A database failure at commit, after the handler ran: the first (test_commit_failures' limit) commits
-- holding a 'crash' row fail with a serialization failure (40001) from a deferred trigger. A sequence,
-- because it is not rolled back with the failing transaction.
create sequence test_commit_failures;
create table test_commit_failures_limit (failures integer not null);
insert into test_commit_failures_limit values (0);

create function test_fail_at_commit() returns trigger language plpgsql as $$
begin
    if new.event_id like 'crash-%'
        and nextval('test_commit_failures') <= (select failures from test_commit_failures_limit) then
        raise exception 'simulated database failure at commit' using errcode = '40001';
    end if;
    return null;
end;
$$;

create constraint trigger test_batch_effects_fail_at_commit
    after insert on test_batch_effects deferrable initially deferred
    for each row execute function test_fail_at_commit();
