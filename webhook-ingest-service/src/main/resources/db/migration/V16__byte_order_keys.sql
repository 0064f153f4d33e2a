-- The keys of the indexes every webhook writes are compared byte by byte (collation "C") instead of
-- by the database's collation. GoCardless's ids, resource types and PayBridge's event ids are ASCII
-- identifiers: nothing sorts them for people, and the database's collation (en_US.UTF-8, C.UTF-8...)
-- made each comparison a strcoll() call. At full batch load text comparisons were about a tenth of
-- PostgreSQL's CPU (docs/benchmarks.md).
--
-- Only the collation changes: no table is rewritten, the indexes on these columns are rebuilt (under
-- the table's lock, for the time a rebuild takes). A later migration that changes one of these columns'
-- types must name the collation again, or the column returns to the database's.
alter table gocardless_event alter column event_id      type varchar(64) collate "C";
alter table gocardless_event alter column resource_type type text        collate "C";
alter table gocardless_event alter column resource_id   type text        collate "C";
alter table webhook_delivery alter column webhook_id    type text        collate "C";

-- The platform's outbox tables, as this service's migrations already widen them (V2).
alter table outbox_event     alter column id            type varchar(64) collate "C";
alter table outbox_event     alter column aggregateid   type text        collate "C";
alter table outbox_placement alter column event_id      type varchar(64) collate "C";
