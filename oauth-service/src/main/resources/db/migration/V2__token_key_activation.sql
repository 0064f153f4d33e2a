-- oauth-service: which key encrypts merchant tokens is one decision for the whole cluster, not each instance's
-- configuration (key material stays in each instance's secret store). See README "Token custody".

-- The cluster's token encryption keys by id: exactly one is 'active' (encrypts, and the rotation moves every
-- token onto it); a 'retired' key was active before and may still be needed to decrypt. Key material is never
-- stored here.
create table token_encryption_key (
    key_id       varchar(32)  primary key,
    state        varchar(20)  not null check (state in ('active', 'retired')),
    activated_at timestamptz  not null,
    activated_by varchar(255) not null,
    retired_at   timestamptz
);

create unique index token_encryption_key_one_active on token_encryption_key (state) where state = 'active';

-- Every activation (and the bootstrap from configuration): who made which key active, replacing which.
create table token_key_activation (
    id              bigserial    primary key,
    key_id          varchar(32)  not null,
    previous_key_id varchar(32),
    activated_by    varchar(255) not null,
    request_id      varchar(100),
    activated_at    timestamptz  not null
);

-- One row per running instance: the key ids it holds, refreshed by its heartbeat and deleted when it stops.
-- An activation is refused while a live instance lacks the key.
create table token_key_holder (
    instance_id  varchar(100) primary key,
    key_ids      text[]       not null,
    started_at   timestamptz  not null,
    last_seen_at timestamptz  not null
);

-- A token the rotation could not re-encrypt (key not held by the rotating instance, or ciphertext that does not
-- authenticate) is marked so that it is reported once and not retried by every batch; cleared when the token is
-- stored again or another key is activated.
alter table merchant_token
    add column reencrypt_failed_at timestamptz,
    add column reencrypt_failure   varchar(30) check (reencrypt_failure in ('key_unavailable', 'undecryptable'));

-- The token endpoint's refusals when this instance does not hold the key of the stored token.
alter table token_access_audit drop constraint token_access_audit_outcome_check;
alter table token_access_audit
    add constraint token_access_audit_outcome_check
        check (outcome in ('granted', 'not_connected', 'forbidden', 'key_unavailable'));
