#!/usr/bin/env bash
# Empties the demo system's data: every service schema in the demo database and the demo vhost.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PJ_DB=${PJ_DB:-patientjourney}
PJ_VHOST=${PJ_VHOST:-patientjourney}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
(cd / && as_root su postgres -c "PGOPTIONS='-c client_min_messages=warning' psql -q -p ${PJ_PG_PORT:-5432} -d $PJ_DB -c 'drop schema if exists journey, diagnosis, chemotherapy, interventional, imaging cascade'")
as_root rabbitmqctl ${PJ_RABBIT_NODE:+-n "$PJ_RABBIT_NODE"} -q delete_vhost "$PJ_VHOST" 2>/dev/null || true
"$here/up.sh"
