-- billing-service: operators' erasure requests about payers (docs/runbook.md) and each service's
-- acknowledgement of them, read from payers.erasure. A request keeps the customer's pseudonym (a keyed
-- hash), never the customer id.
create table erasure_request (
    id                 uuid         primary key,
    customer_pseudonym varchar(64)  not null,   -- erased-<hex>: HMAC-SHA256 of the customer id (Pseudonyms)
    requested_by       varchar(255) not null,   -- the operator (token subject or client id)
    requested_at       timestamptz  not null,
    resource_count     integer      not null    -- the payer's resources known here when it was asked
);

create index erasure_request_by_pseudonym on erasure_request (customer_pseudonym);

-- One row per service that applied a request (PayerErasureApplied).
create table erasure_acknowledgement (
    request_id   uuid         not null references erasure_request (id),
    service      varchar(100) not null,
    rows_changed integer      not null,
    applied_at   timestamptz  not null,
    primary key (request_id, service)
);
