#!/usr/bin/env bash
# Runs once, on an empty data directory (docker-entrypoint-initdb.d): a database and a user per
# service, each user owning its database. REPLICATION lets the service's outbox relay open its
# logical replication slot (pgoutput) and create the publication on its own outbox table.
set -euo pipefail

create() {
  local name="$1" password="$2"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN REPLICATION PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
}

create oauth_service "$OAUTH_SERVICE_DB_PASSWORD"
create webhook_ingest_service "$WEBHOOK_INGEST_SERVICE_DB_PASSWORD"
create billing_service "$BILLING_SERVICE_DB_PASSWORD"
create notification_service "$NOTIFICATION_SERVICE_DB_PASSWORD"
