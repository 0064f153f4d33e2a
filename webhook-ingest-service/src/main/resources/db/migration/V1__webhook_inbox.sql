-- Every webhook delivery as received, for audit and replay. The body is kept byte for byte.
create table webhook_delivery (
    id           uuid         primary key,
    webhook_id   varchar(255),                -- meta.webhook_id, GoCardless's id of the delivery
    received_at  timestamptz  not null,
    signature    varchar(128) not null,       -- the Webhook-Signature header (an HMAC, not a secret)
    user_agent   text,
    origin       text,
    traceparent  varchar(55),
    body         bytea        not null,
    event_count  integer      not null
);

create index webhook_delivery_received_at on webhook_delivery (received_at);
create index webhook_delivery_webhook_id on webhook_delivery (webhook_id);

-- The inbox: one row per GoCardless event ever received, whatever the number of deliveries.
create table gocardless_event (
    event_id        varchar(64)  primary key,  -- GoCardless's id, or a synthetic one when it sent null
    synthetic_id    boolean      not null,
    resource_type   varchar(255) not null,
    action          varchar(255) not null,
    resource_id     varchar(255),
    organisation_id varchar(255),
    occurred_at     timestamptz,               -- the event's created_at
    delivery_id     uuid         not null references webhook_delivery (id),
    received_at     timestamptz  not null,
    payload         json         not null      -- the event exactly as GoCardless sent it
);

create index gocardless_event_received_at on gocardless_event (received_at);
create index gocardless_event_resource on gocardless_event (resource_type, resource_id);
create index gocardless_event_delivery on gocardless_event (delivery_id);
