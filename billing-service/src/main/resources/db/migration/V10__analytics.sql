-- billing-service outcome analytics (package io.paybridge.billing.analytics): a read model of the billing.payment,
-- billing.mandate and billing.billing-request facts. Per-resource state rows hold what each fact said (so that facts
-- arriving in any order give the same result); the roll-ups hold, per merchant x scheme x currency x amount band x
-- day, the sums the API and the metrics read, so that no query scans the state rows or raw history. A roll-up row
-- is always the sum, over the resources of its key, of what each resource's state contributes: the handler adds
-- the difference between a resource's contribution after and before each batch.

-- One row per payment seen in any fact. scheme/currency/amount/created_at come from PaymentCreated (null until it
-- arrives: the payment then contributes nothing yet); facts = the outcome facts seen, one entry per GoCardless event
-- ({id, type, at, cause, reasonCode, willAttemptRetry}).
create table analytics_payment (
    payment_id   varchar(64)  primary key,
    merchant_id  varchar(36)  not null,
    team         varchar(100) not null,
    scheme       varchar(40),
    currency     varchar(3),
    amount       bigint,
    created_at   timestamptz,
    facts        jsonb        not null
);

-- One row per billing request seen; counts in the mandate set-up funnel once BillingRequestCreated said it asks
-- for a mandate.
create table analytics_billing_request (
    billing_request_id varchar(64)  primary key,
    merchant_id        varchar(36)  not null,
    team               varchar(100) not null,
    scheme             varchar(40),
    mandate_requested  boolean,
    created_at         timestamptz,
    fulfilled_at       timestamptz,
    mandate_id         varchar(64)
);

create index analytics_billing_request_by_mandate on analytics_billing_request (mandate_id) where mandate_id is not null;

-- One row per mandate named by a fact: when it first became active (null: not yet). Also the lock that orders a
-- BillingRequestFulfilled and its mandate's MandateActive read on different consumer threads.
create table analytics_mandate (
    mandate_id   varchar(64)  primary key,
    active_at    timestamptz
);

-- Payments by creation day (UTC). Outcome columns count payments by their latest outcome (collected = confirmed or
-- paid out; failed; charged back; cancelled); late_failed, ever_charged_back, failed_early and recovered_* count
-- payments that ever did so. Amounts are in minor units of the row's currency.
create table analytics_payment_rollup (
    merchant_id                  varchar(36)  not null,
    scheme                       varchar(40)  not null,
    currency                     varchar(3)   not null,
    amount_band                  varchar(10)  not null,
    day                          date         not null,
    team                         varchar(100) not null,
    created                      bigint       not null,
    created_amount               bigint       not null,
    collected                    bigint       not null,
    collected_amount             bigint       not null,
    failed                       bigint       not null,
    failed_amount                bigint       not null,
    charged_back                 bigint       not null,
    charged_back_amount          bigint       not null,
    cancelled                    bigint       not null,
    late_failed                  bigint       not null,
    ever_charged_back            bigint       not null,
    failed_early                 bigint       not null,
    recovered_gocardless         bigint       not null,
    recovered_gocardless_amount  bigint       not null,
    recovered_paybridge          bigint       not null,
    recovered_paybridge_amount   bigint       not null,
    -- Fixed histograms of the time from creation to the first confirmation (confirmed_b*) and to the first payout
    -- (paid_out_b*): column b<i> counts the payments in bucket i of PaymentOutcome.BUCKET_BOUNDS_HOURS (1 h ... 60 d;
    -- b22 longer), so that a query reads counts and times from the same rows.
    confirmed_b0                 bigint       not null,
    confirmed_b1                 bigint       not null,
    confirmed_b2                 bigint       not null,
    confirmed_b3                 bigint       not null,
    confirmed_b4                 bigint       not null,
    confirmed_b5                 bigint       not null,
    confirmed_b6                 bigint       not null,
    confirmed_b7                 bigint       not null,
    confirmed_b8                 bigint       not null,
    confirmed_b9                 bigint       not null,
    confirmed_b10                bigint       not null,
    confirmed_b11                bigint       not null,
    confirmed_b12                bigint       not null,
    confirmed_b13                bigint       not null,
    confirmed_b14                bigint       not null,
    confirmed_b15                bigint       not null,
    confirmed_b16                bigint       not null,
    confirmed_b17                bigint       not null,
    confirmed_b18                bigint       not null,
    confirmed_b19                bigint       not null,
    confirmed_b20                bigint       not null,
    confirmed_b21                bigint       not null,
    confirmed_b22                bigint       not null,
    paid_out_b0                  bigint       not null,
    paid_out_b1                  bigint       not null,
    paid_out_b2                  bigint       not null,
    paid_out_b3                  bigint       not null,
    paid_out_b4                  bigint       not null,
    paid_out_b5                  bigint       not null,
    paid_out_b6                  bigint       not null,
    paid_out_b7                  bigint       not null,
    paid_out_b8                  bigint       not null,
    paid_out_b9                  bigint       not null,
    paid_out_b10                 bigint       not null,
    paid_out_b11                 bigint       not null,
    paid_out_b12                 bigint       not null,
    paid_out_b13                 bigint       not null,
    paid_out_b14                 bigint       not null,
    paid_out_b15                 bigint       not null,
    paid_out_b16                 bigint       not null,
    paid_out_b17                 bigint       not null,
    paid_out_b18                 bigint       not null,
    paid_out_b19                 bigint       not null,
    paid_out_b20                 bigint       not null,
    paid_out_b21                 bigint       not null,
    paid_out_b22                 bigint       not null,
    primary key (merchant_id, scheme, currency, amount_band, day)
);

create index analytics_payment_rollup_by_team on analytics_payment_rollup (team, day);

-- Failure facts by cause and reason code ('' when GoCardless gave none), on the payment's key.
create table analytics_failure_rollup (
    merchant_id  varchar(36)  not null,
    scheme       varchar(40)  not null,
    currency     varchar(3)   not null,
    amount_band  varchar(10)  not null,
    day          date         not null,
    cause        varchar(80)  not null,
    reason_code  varchar(40)  not null,
    team         varchar(100) not null,
    failures     bigint       not null,
    primary key (merchant_id, scheme, currency, amount_band, day, cause, reason_code)
);

create index analytics_failure_rollup_by_team on analytics_failure_rollup (team, day);

-- The mandate set-up funnel by the billing request's creation day: requested (created, asking for a mandate),
-- fulfilled, and its mandate active.
create table analytics_mandate_setup_rollup (
    merchant_id  varchar(36)  not null,
    scheme       varchar(40)  not null,
    day          date         not null,
    team         varchar(100) not null,
    requested    bigint       not null,
    fulfilled    bigint       not null,
    active       bigint       not null,
    primary key (merchant_id, scheme, day)
);

create index analytics_mandate_setup_rollup_by_team on analytics_mandate_setup_rollup (team, day);
