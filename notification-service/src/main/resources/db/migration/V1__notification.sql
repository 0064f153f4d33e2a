-- notification-service: teams' subscriptions (endpoints), their signing secrets, one delivery per
-- (fact, endpoint) and the log of every attempt. Platform tables (outbox, consumed_message) come from
-- platform/outbox's V0_x migrations.

-- A team's subscription: a webhook URL or an email address, and the facts it wants.
create table endpoint (
    id            uuid         primary key,
    team          varchar(100) not null,
    kind          varchar(10)  not null check (kind in ('webhook', 'email')),
    url           text,                   -- kind webhook
    email         varchar(320),           -- kind email
    event_types   text[]       not null,  -- filters: topic (merchants.connection), wildcard (billing.*), type (PaymentFailed), *
    description   varchar(200),
    enabled       boolean      not null,
    disabled_reason varchar(40),          -- by_team, gone (410), failing
    disabled_at   timestamptz,
    failing_since timestamptz,            -- first failed attempt since the last success
    created_at    timestamptz  not null,
    check ((kind = 'webhook' and url is not null) or (kind = 'email' and email is not null))
);
create index endpoint_team_idx on endpoint (team, enabled);

-- Signing secrets of webhook endpoints, AES-GCM encrypted (key id in the row). While a secret
-- rotates, the old one has an expiry and both sign.
create table endpoint_secret (
    endpoint_id uuid        not null references endpoint on delete cascade,
    version     int         not null,
    key_id      varchar(40) not null,
    ciphertext  bytea       not null,
    created_at  timestamptz not null,
    expires_at  timestamptz,            -- null: current
    primary key (endpoint_id, version)
);

-- One delivery per (fact, endpoint): the unique constraint makes a redelivered fact create none.
-- The body is fixed at creation so that every attempt sends the same bytes under the same webhook-id.
create table delivery (
    id              uuid         primary key,
    endpoint_id     uuid         not null references endpoint on delete cascade,
    team            varchar(100) not null,
    fact_id         varchar(64)  not null,
    event_type      varchar(255) not null,
    body            text         not null,
    status          varchar(12)  not null check (status in ('pending', 'succeeded', 'dead')),
    attempts        int          not null default 0, -- every attempt ever (numbers the attempt log)
    cycle_attempts  int          not null default 0, -- attempts since creation or the last replay (the retry schedule)
    next_attempt_at timestamptz,          -- due time while pending; a claim pushes it by the lease
    created_at      timestamptz  not null,
    completed_at    timestamptz,
    unique (fact_id, endpoint_id)
);
-- The claim reads each endpoint's oldest due deliveries: one short index range per endpoint, however
-- long another endpoint's backlog.
create index delivery_endpoint_due_idx on delivery (endpoint_id, next_attempt_at) where status = 'pending';
create index delivery_team_idx on delivery (team, created_at);
create index delivery_dead_idx on delivery (completed_at) where status = 'dead';

-- The attempt log: what a team or an operator sees of each try.
create table delivery_attempt (
    id               bigint generated always as identity primary key,
    delivery_id      uuid        not null references delivery on delete cascade,
    attempt          int         not null,
    attempted_at     timestamptz not null,
    outcome          varchar(20) not null, -- succeeded, http_error, gone, redirect, timeout, network_error, refused_address, smtp_error
    status_code      int,
    latency_ms       int         not null,
    response_excerpt varchar(1024),
    error            varchar(500)
);
create index delivery_attempt_delivery_idx on delivery_attempt (delivery_id, attempt);
