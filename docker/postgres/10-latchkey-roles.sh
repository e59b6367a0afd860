#!/bin/sh
# Runs once, when the PostgreSQL volume is new (the postgres image's docker-entrypoint-initdb.d).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set owner="$LATCHKEY_DB_OWNER" --set owner_password="$LATCHKEY_DB_OWNER_PASSWORD" \
  --set app="$LATCHKEY_DB_APP" --set app_password="$LATCHKEY_DB_APP_PASSWORD" \
  --set database="$LATCHKEY_DB_NAME" \
  --file /latchkey/latchkey-roles.sql
