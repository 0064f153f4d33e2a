-- oauth-service: merchants (one row per connection attempt), their encrypted tokens and the audit trails.

-- A merchant is a GoCardless organisation a team connects. Each POST /merchant-connections makes a row in
-- 'pending'; the callback moves it to 'connected' or 'failed'; a disconnect moves 'connected' to 'disconnected'.
create table merchant (
    id                  varchar(36)  primary key,
    team                varchar(100) not null,
    status              varchar(20)  not null check (status in ('pending', 'connected', 'disconnected', 'failed')),
    organisation_id     varchar(64),
    creditor_id         varchar(64),
    verification_status varchar(30),
    failure_reason      varchar(100),
    disconnect_reason   varchar(100),
    -- The connect state: only a hash of its nonce is kept, and the moment it was used (single use).
    state_nonce_hash    varchar(64)  not null,
    state_expires_at    timestamptz  not null,
    state_consumed_at   timestamptz,
    created_at          timestamptz  not null default clock_timestamp(),
    updated_at          timestamptz  not null default clock_timestamp(),
    connected_at        timestamptz,
    disconnected_at     timestamptz
);

create index merchant_by_team on merchant (team, created_at desc);
create index merchant_pending_expiry on merchant (state_expires_at) where status = 'pending';
-- An organisation is connected through at most one merchant at a time: webhooks name the organisation only.
create unique index merchant_connected_organisation on merchant (organisation_id) where status = 'connected';

-- Access tokens, AES-256-GCM encrypted (TokenCipher); a row exists exactly while its merchant is connected.
create table merchant_token (
    merchant_id     varchar(36)  primary key references merchant (id),
    organisation_id varchar(64)  not null,
    key_id          varchar(32)  not null, -- also inside the ciphertext; a column so that rotation can find stale rows
    ciphertext      text         not null,
    stored_at       timestamptz  not null,
    reencrypted_at  timestamptz
);

create index merchant_token_by_key on merchant_token (key_id);

-- Callbacks whose state was refused (forged, expired, replayed, foreign): evidence for security reviews.
create table oauth_callback_rejection (
    id          bigserial    primary key,
    reason      varchar(30)  not null,
    merchant_id varchar(36),
    team        varchar(100),
    remote_addr varchar(64),
    request_id  varchar(100),
    received_at timestamptz  not null default clock_timestamp()
);

-- Every call of the internal token endpoint: who obtained (or was refused) which merchant's token.
create table token_access_audit (
    id               bigserial    primary key,
    merchant_id      varchar(64)  not null,
    caller_subject   varchar(255),
    caller_client_id varchar(255),
    outcome          varchar(20)  not null check (outcome in ('granted', 'not_connected', 'forbidden')),
    request_id       varchar(100),
    accessed_at      timestamptz  not null default clock_timestamp()
);

create index token_access_audit_by_merchant on token_access_audit (merchant_id, accessed_at);
