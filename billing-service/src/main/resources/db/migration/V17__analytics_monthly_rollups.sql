-- Monthly roll-ups beside the daily ones (V10__analytics.sql): the same columns and meaning, with day = the first
-- day of the month (UTC) the payments / billing requests were created in. A query over a long range reads the whole
-- months inside it here and only the days at its two ends from the daily tables, so a 12-month query sums about 24
-- rows per key instead of about 730. The handler adds the same difference of contribution to both in one
-- transaction, so each monthly row is always the sum of its month's daily rows.

create table analytics_payment_rollup_month (like analytics_payment_rollup including defaults including constraints);
alter table analytics_payment_rollup_month
    add primary key (merchant_id, scheme, currency, amount_band, day),
    add constraint analytics_payment_rollup_month_first_day check (extract(day from day) = 1);
create index analytics_payment_rollup_month_by_team on analytics_payment_rollup_month (team, day);

create table analytics_failure_rollup_month (like analytics_failure_rollup including defaults including constraints);
alter table analytics_failure_rollup_month
    add primary key (merchant_id, scheme, currency, amount_band, day, cause, reason_code),
    add constraint analytics_failure_rollup_month_first_day check (extract(day from day) = 1);
create index analytics_failure_rollup_month_by_team on analytics_failure_rollup_month (team, day);

create table analytics_mandate_setup_rollup_month
    (like analytics_mandate_setup_rollup including defaults including constraints);
alter table analytics_mandate_setup_rollup_month
    add primary key (merchant_id, scheme, day),
    add constraint analytics_mandate_setup_rollup_month_first_day check (extract(day from day) = 1);
create index analytics_mandate_setup_rollup_month_by_team on analytics_mandate_setup_rollup_month (team, day);

-- What the daily roll-ups already hold. A key's team never changes (a merchant belongs to one team), so it is
-- carried by the group.
insert into analytics_payment_rollup_month
select merchant_id, scheme, currency, amount_band, date_trunc('month', day)::date, min(team),
    sum(created), sum(created_amount), sum(collected), sum(collected_amount), sum(failed), sum(failed_amount),
    sum(charged_back), sum(charged_back_amount), sum(cancelled), sum(late_failed), sum(ever_charged_back),
    sum(failed_early), sum(recovered_gocardless), sum(recovered_gocardless_amount), sum(recovered_paybridge),
    sum(recovered_paybridge_amount),
    sum(confirmed_b0), sum(confirmed_b1), sum(confirmed_b2), sum(confirmed_b3), sum(confirmed_b4), sum(confirmed_b5),
    sum(confirmed_b6), sum(confirmed_b7), sum(confirmed_b8), sum(confirmed_b9), sum(confirmed_b10),
    sum(confirmed_b11), sum(confirmed_b12), sum(confirmed_b13), sum(confirmed_b14), sum(confirmed_b15),
    sum(confirmed_b16), sum(confirmed_b17), sum(confirmed_b18), sum(confirmed_b19), sum(confirmed_b20),
    sum(confirmed_b21), sum(confirmed_b22),
    sum(paid_out_b0), sum(paid_out_b1), sum(paid_out_b2), sum(paid_out_b3), sum(paid_out_b4), sum(paid_out_b5),
    sum(paid_out_b6), sum(paid_out_b7), sum(paid_out_b8), sum(paid_out_b9), sum(paid_out_b10), sum(paid_out_b11),
    sum(paid_out_b12), sum(paid_out_b13), sum(paid_out_b14), sum(paid_out_b15), sum(paid_out_b16),
    sum(paid_out_b17), sum(paid_out_b18), sum(paid_out_b19), sum(paid_out_b20), sum(paid_out_b21),
    sum(paid_out_b22)
from analytics_payment_rollup
group by merchant_id, scheme, currency, amount_band, date_trunc('month', day)::date;

insert into analytics_failure_rollup_month
select merchant_id, scheme, currency, amount_band, date_trunc('month', day)::date, cause, reason_code, min(team),
    sum(failures)
from analytics_failure_rollup
group by merchant_id, scheme, currency, amount_band, date_trunc('month', day)::date, cause, reason_code;

insert into analytics_mandate_setup_rollup_month
select merchant_id, scheme, date_trunc('month', day)::date, min(team), sum(requested), sum(fulfilled), sum(active)
from analytics_mandate_setup_rollup
group by merchant_id, scheme, date_trunc('month', day)::date;
