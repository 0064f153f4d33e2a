-- The audit log of security-relevant actions (platform/operations-support AuditLog): who did what, when,
-- under which request, to what. Written in the same transaction as the action where there is one; rows
-- older than paybridge.audit.retention are deleted by the audit retention job. Never holds a token or a
-- secret: the detail is what the action's code puts there (ids, counts, outcomes).
create table audit_entry (
    id          uuid         primary key,
    at          timestamptz  not null,
    action      varchar(100) not null, -- e.g. dead-letters.replayed, merchant.disconnected
    actor       text         not null, -- team:<team>, client:<client id>, subject:<sub>, or system
    request_id  text,                  -- the request's X-Request-Id, when the action came through one
    target      text,                  -- what the action was done to: an id, a topic, a filter
    detail      jsonb        not null default '{}'::jsonb
);

create index audit_entry_at on audit_entry (at);
