-- An inbox row names the delivery that first carried it (delivery_id). The row and its delivery are
-- written by the same statement sequence in one transaction (WebhookRepository), so the reference is
-- right by construction; the foreign key only checked it again, one lookup and row lock of the
-- delivery per event: about a tenth of PostgreSQL's CPU at full batch load (docs/benchmarks.md).
-- Its one other use, "on delete set null" when retention removes a delivery, is done by the retention
-- itself (WebhookRetentionRepository: the links are set to null in the statement that deletes).
alter table gocardless_event drop constraint gocardless_event_delivery_id_fkey;
