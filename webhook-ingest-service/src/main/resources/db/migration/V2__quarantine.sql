-- Columns hold whatever GoCardless may legally send. GoCardless documents no maximum length for ids,
-- links, resource types or actions (its ids are typically 14 characters, billing request flows 32), so
-- every such column is text: a legal event never fails on a width. varchar(n) -> text rewrites nothing.
-- The event id stays varchar(64): it is the outbox id and every consumer's dedup key (OutboxEvent
-- caps it at 64); an event with a longer id is quarantined, not stored in the inbox.
alter table webhook_delivery alter column webhook_id type text;

alter table gocardless_event alter column resource_type   type text;
alter table gocardless_event alter column action          type text;
alter table gocardless_event alter column resource_id     type text;
alter table gocardless_event alter column organisation_id type text;

-- The platform's outbox table (platform/outbox V0_1) carries the same values as key, type and
-- organisation header: widened here so that an event accepted into the inbox can always be published.
alter table outbox_event alter column aggregateid     type text;
alter table outbox_event alter column type            type text;
alter table outbox_event alter column organisation_id type text;

-- Correctly signed content that cannot be routed: a body that is not a webhook, or one event of a
-- batch without resource_type/action or with an unusable id. Kept until an operator releases it
-- (docs/runbook.md); the delivery itself is in webhook_delivery like any other.
create table quarantined_event (
    id              bigint       generated always as identity primary key,
    delivery_id     uuid         not null references webhook_delivery (id), -- first delivery that carried it
    event_index     integer,                  -- position in the batch; null: the whole body is quarantined
    content_sha256  bytea        not null unique, -- of the raw event or body (see QuarantineRepository): retries add no row
    raw_event       text,                     -- the event exactly as in the body; null for a whole body (see delivery)
    reason          varchar(64)  not null,    -- machine reason, the metric's tag: missing_action, id_too_long, ...
    detail          text         not null,    -- for humans
    event_id        text,                     -- the event's id as sent, when it is a string
    created_at      timestamptz  not null,
    released_at     timestamptz,
    released_by     text,                     -- the operator who released it
    release_reason  text,                     -- why, as the operator gave it
    corrected       text                      -- the corrected JSON released instead of the stored one, if any
);

-- What is waiting for an operator (the unreleased gauge and the list endpoint read this).
create index quarantined_event_unreleased on quarantined_event (created_at) where released_at is null;
create index quarantined_event_delivery on quarantined_event (delivery_id);

-- An inbox row that came out of quarantine: its payload may be an operator's correction, not the signed bytes.
alter table gocardless_event add column released_from bigint references quarantined_event (id);
