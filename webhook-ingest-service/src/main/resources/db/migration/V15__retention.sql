-- Retention (paybridge.retention, docs/data-protection.md): raw deliveries are removed after
-- `webhook-deliveries` (30 days), long before the inbox rows made from them (`inbox-events`, 90 days).
-- An inbox row or a released quarantine row outlives its delivery: the link becomes null. An unreleased
-- quarantine row keeps its delivery (the retention's condition), since a whole-body quarantine has its
-- bytes only there.
alter table gocardless_event alter column delivery_id drop not null;
alter table gocardless_event drop constraint gocardless_event_delivery_id_fkey;
alter table gocardless_event
    add constraint gocardless_event_delivery_id_fkey
        foreign key (delivery_id) references webhook_delivery (id) on delete set null;

alter table quarantined_event alter column delivery_id drop not null;
alter table quarantined_event drop constraint quarantined_event_delivery_id_fkey;
alter table quarantined_event
    add constraint quarantined_event_delivery_id_fkey
        foreign key (delivery_id) references webhook_delivery (id) on delete set null;

-- Released quarantine rows are removed by age of their release (`released-quarantine`).
create index quarantined_event_released on quarantined_event (released_at) where released_at is not null;
create index gocardless_event_released_from on gocardless_event (released_from) where released_from is not null;
