-- A connection whose organisation differs from what the team expected is held for the team's review
-- ('needs_review'); its token is stored but held (never handed out) until the team confirms.

alter table merchant drop constraint merchant_status_check;
alter table merchant add constraint merchant_status_check
    check (status in ('pending', 'needs_review', 'connected', 'disconnected', 'failed'));

-- What the team expected (it also pre-filled GoCardless's form with it), optional.
alter table merchant add column expected_email        varchar(255);
alter table merchant add column expected_company_name varchar(200);
-- Only the values that differed from the expectation (comma-separated fields: company_name, email).
alter table merchant add column review_mismatches     varchar(100);
alter table merchant add column received_email        varchar(320);
alter table merchant add column received_company_name varchar(300);
-- Who confirmed or rejected the held connection (the team member's JWT subject), and when.
alter table merchant add column reviewed_by           varchar(255);
alter table merchant add column reviewed_at           timestamptz;

-- An organisation under review is held like a connected one: a second connection of it cannot slip in
-- meanwhile, and revoking the held token on rejection cannot revoke a token another merchant uses.
drop index merchant_connected_organisation;
create unique index merchant_holding_organisation on merchant (organisation_id)
    where status in ('connected', 'needs_review');

alter table merchant_token add column held boolean not null default false;

-- The retention job deletes refused callbacks by age and beyond a cap, oldest first.
create index oauth_callback_rejection_by_time on oauth_callback_rejection (received_at);
