-- Smart retries (io.paybridge.billing.retry): each merchant's retry policy as its team set it, and one decision per
-- payment failure (GoCardless's failed event), with why, and whether the retry was issued at GoCardless.

-- A merchant's policy; no row = the defaults of paybridge.billing.retry.*.
create table retry_policy (
    merchant_id varchar(36)  primary key,
    team        varchar(100) not null,
    enabled     boolean      not null,
    max_retries int          not null check (max_retries between 1 and 3),
    window_days int          not null check (window_days between 1 and 31),
    updated_at  timestamptz  not null
);

-- One row per failure (failure_event_id unique): a redelivered or concurrent failure inserts nothing, so it is
-- decided, published and retried once. issue_state: scheduled (the retry is still to be asked of GoCardless),
-- issued, refused (GoCardless refused it: issue_detail says why); null for a declined retry.
create table payment_retry_decision (
    id                  uuid         primary key,
    failure_event_id    varchar(64)  not null unique,
    payment_id          varchar(64)  not null,
    merchant_id         varchar(36)  not null,
    team                varchar(100) not null,
    organisation_id     varchar(64)  not null,
    mandate_id          varchar(64),
    failure_cause       varchar(80),
    failure_reason_code varchar(40),
    failed_at           timestamptz  not null,
    outcome             varchar(20)  not null,
    reason              varchar(40)  not null,
    charge_date         date,
    attempt             int          not null,
    explanation         text         not null,
    decided_at          timestamptz  not null,
    issue_state         varchar(20),
    issue_detail        text,
    issued_at           timestamptz
);

create index payment_retry_decision_by_payment on payment_retry_decision (payment_id);
create index payment_retry_decision_by_team on payment_retry_decision (team, decided_at desc);
