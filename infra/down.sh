#!/usr/bin/env bash
# Stops PostgreSQL and RabbitMQ started by infra/up.sh (their data stays).
set -uo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# The same servers as up.sh: the PostgreSQL cluster on PJ_PG_PORT, the RabbitMQ node PJ_RABBIT_NODE.
read -r pg_version pg_cluster < <(pg_lsclusters -h | awk -v port="${PJ_PG_PORT:-5432}" '$3 == port { print $1, $2; exit }')
as_root pg_ctlcluster "$pg_version" "$pg_cluster" stop
as_root rabbitmqctl ${PJ_RABBIT_NODE:+-n "$PJ_RABBIT_NODE"} -q stop
