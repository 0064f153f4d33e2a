-- billing-service: projections of refunds, subscriptions and instalment schedules, like those of V1.
-- parent_id: the refund's payment, the subscription's or instalment schedule's mandate. amount: the refund's,
-- the subscription's per payment, the instalment schedule's total.
create table refund (
    id              varchar(64)  primary key,
    merchant_id     varchar(36)  not null,
    team            varchar(100) not null,
    organisation_id varchar(64)  not null,
    parent_id       varchar(64),
    status          varchar(40)  not null,
    amount          bigint,
    currency        varchar(3),
    view            jsonb        not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    last_event_at   timestamptz
);

create index refund_by_team on refund (team, created_at desc, id desc);
create index refund_by_payment on refund (parent_id);

create table subscription (like refund including all);
create index subscription_by_team on subscription (team, created_at desc, id desc);

create table instalment_schedule (like refund including all);
create index instalment_schedule_by_team on instalment_schedule (team, created_at desc, id desc);
