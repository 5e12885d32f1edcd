#!/usr/bin/env bash
# docker-compose.yml's cluster profile, the PostgreSQL standby's entrypoint (as the postgres user): at its first start a
# base backup of the primary with its own replication slot (what infra/pg-standby.sh does on one machine), then
# its command (PostgreSQL with the primary's settings), in recovery, streaming.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h postgres-primary -U patientjourney; do sleep 1; done
  pg_basebackup -h postgres-primary -U patientjourney -D "$PGDATA" -R -X stream -C -S standby
  echo "hot_standby_feedback = on" >>"$PGDATA/postgresql.auto.conf"
  chmod 0700 "$PGDATA"
fi
exec "$@"
