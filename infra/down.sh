#!/usr/bin/env bash
# Stops PostgreSQL and RabbitMQ started by infra/up.sh (their data stays).
set -uo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
read -r pg_version pg_cluster _ < <(pg_lsclusters -h | head -n 1)
as_root pg_ctlcluster "$pg_version" "$pg_cluster" stop
as_root rabbitmqctl -q stop
