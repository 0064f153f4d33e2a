-- The test service's effect: a balance that a second application of the same event would double.
create table test_balance (
    account varchar(64) primary key,
    total   bigint      not null
);
