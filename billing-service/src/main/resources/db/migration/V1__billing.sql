-- billing-service: who owns which merchant (from merchants.connection), the projections of GoCardless's resources,
-- and the teams' idempotency keys. Statuses are GoCardless's own words, kept as sent (no check constraint): a value
-- GoCardless adds is stored and counted, never refused.

-- Merchants as oauth-service announces them: the owning team decides who may see and use a merchant.
create table merchant (
    id                  varchar(36)  primary key,
    team                varchar(100) not null,
    organisation_id     varchar(64)  not null,
    creditor_id         varchar(64),
    verification_status varchar(40),
    connected           boolean      not null,
    updated_at          timestamptz  not null
);

create index merchant_by_organisation on merchant (organisation_id) where connected;

-- One projection per GoCardless resource kind. last_event_at = GoCardless's time of the newest event applied
-- (forward-only: an older event never moves the status); view = the API's JSON of the resource.
create table billing_request (
    id              varchar(64)  primary key,
    merchant_id     varchar(36)  not null,
    team            varchar(100) not null,
    organisation_id varchar(64)  not null,
    status          varchar(40)  not null,
    mandate_id      varchar(64),
    payment_id      varchar(64),
    view            jsonb        not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    last_event_at   timestamptz
);

create index billing_request_by_team on billing_request (team, created_at desc, id desc);

create table mandate (
    id              varchar(64)  primary key,
    merchant_id     varchar(36)  not null,
    team            varchar(100) not null,
    organisation_id varchar(64)  not null,
    status          varchar(40)  not null,
    view            jsonb        not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    last_event_at   timestamptz
);

create index mandate_by_team on mandate (team, created_at desc, id desc);

create table payment (
    id              varchar(64)  primary key,
    merchant_id     varchar(36)  not null,
    team            varchar(100) not null,
    organisation_id varchar(64)  not null,
    mandate_id      varchar(64),
    status          varchar(40)  not null,
    amount          bigint       not null,
    currency        varchar(3)   not null,
    view            jsonb        not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    last_event_at   timestamptz
);

create index payment_by_team on payment (team, created_at desc, id desc);

-- A team's Idempotency-Key per operation: the hash of the body it came with and the resource it made.
create table idempotency_key (
    team         varchar(100) not null,
    operation    varchar(40)  not null,
    key          varchar(255) not null,
    request_hash varchar(64)  not null,
    resource_id  varchar(64)  not null,
    created_at   timestamptz  not null default clock_timestamp(),
    primary key (team, operation, key)
);
