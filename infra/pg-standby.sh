#!/usr/bin/env bash
# A PostgreSQL streaming standby of a primary on this machine, as a Debian cluster of its own (pg_createcluster).
#   infra/pg-standby.sh up     makes the cluster, fills it with pg_basebackup -R (a replication slot of its own on the
#                              primary), starts it, returns once the primary shows it streaming
#   infra/pg-standby.sh down   stops and drops the cluster, and drops its slot on the primary
# Options (defaults: deployment.json's cluster.postgres, what ./run.sh --cluster runs):
#   --primary-port P     the primary's port (5432: the machine's cluster)
#   --primary-host DIR   the primary's socket directory (Debian's /var/run/postgresql; a test's own cluster has its own)
#   --port P             the standby's port
#   --cluster NAME       the standby's Debian cluster name; its slot on the primary is pj_NAME
# The standby connects to the primary over its Unix socket as the postgres OS user: Debian's pg_hba.conf lets it
# replicate there ("local replication all peer"), and initdb's --auth-local=trust does too; nothing is added to the
# primary's pg_hba.conf, and no password is stored. The primary needs wal_level replica or logical (PostgreSQL 15's
# default, and what infra/up.sh keeps) and max_wal_senders above 0 (default 10): checked, not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/wal-archive.sh

command=${1:-}; [ $# -gt 0 ] && shift
described() { jq -r ".cluster.postgres.$1" deployment.json; }
primary_port=$(described primaryPort); port=$(described standbyPort); name=$(described standbyCluster)
primary_host=/var/run/postgresql
while [ $# -gt 0 ]; do
  case "$1" in
    --primary-port) primary_port=$2; shift 2 ;;
    --primary-host) primary_host=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --cluster) name=$2; shift 2 ;;
    *) echo "usage: infra/pg-standby.sh up|down [--primary-port P] [--primary-host DIR] [--port P] [--cluster NAME]" >&2; exit 2 ;;
  esac
done
bin=$(pj_pg_bin)
version=$(basename "$(dirname "$bin")")
slot="pj_${name//[^a-zA-Z0-9]/_}"
slot=${slot,,}

primary() { pj_as_postgres "$bin/psql" -h "$primary_host" -p "$primary_port" -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
exists() { pg_lsclusters -h | awk -v v="$version" -v c="$name" '$1 == v && $2 == c { found = 1 } END { exit !found }'; }
streaming() {
  [ "$(primary "select count(*) from pg_stat_replication r join pg_replication_slots s on s.active_pid = r.pid
                where s.slot_name = '$slot' and r.state = 'streaming'")" = 1 ]
}
drop_slot() {
  primary "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '$slot' and not active" >/dev/null
}

up() {
  if exists && streaming; then echo "pg-standby: $version/$name on port $port is streaming from port $primary_port"; return; fi
  [ "$(primary "show wal_level")" != minimal ] || { echo "pg-standby: the primary's wal_level is minimal (infra/up.sh sets replica)" >&2; exit 1; }
  [ "$(primary "show max_wal_senders")" -gt 0 ] || { echo "pg-standby: the primary's max_wal_senders is 0" >&2; exit 1; }
  down >/dev/null
  pg_createcluster "$version" "$name" --port "$port" >/dev/null
  local data; data=$(pg_lsclusters -h | awk -v v="$version" -v c="$name" '$1 == v && $2 == c { print $6 }')
  # The backup replaces what pg_createcluster put there; the configuration stays in /etc/postgresql/$version/$name.
  find "$data" -mindepth 1 -delete
  pj_as_postgres "$bin/pg_basebackup" -h "$primary_host" -p "$primary_port" -D "$data" -R -X stream -C -S "$slot" --checkpoint=fast
  # Queries on the standby hold back the primary's vacuum rather than being cancelled by it.
  pg_conftool "$version" "$name" set hot_standby_feedback on
  # A hot standby refuses to start with less of these than its primary has.
  local setting
  for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
    pg_conftool "$version" "$name" set "$setting" "$(primary "show $setting")"
  done
  pg_ctlcluster "$version" "$name" start
  for _ in $(seq 1 120); do streaming && break; sleep 0.5; done
  streaming || { echo "pg-standby: $version/$name does not stream; see /var/log/postgresql/postgresql-$version-$name.log" >&2; exit 1; }
  echo "pg-standby: $version/$name on port $port is streaming from port $primary_port (slot $slot)"
}

down() {
  if exists; then pg_dropcluster --stop "$version" "$name"; fi
  # The primary may be gone already (a test's own cluster): nothing then holds WAL back.
  drop_slot 2>/dev/null || true
  echo "pg-standby: $version/$name dropped"
}

case "$command" in
  up) up ;;
  down) down ;;
  *) echo "usage: infra/pg-standby.sh up|down [--primary-port P] [--primary-host DIR] [--port P] [--cluster NAME]" >&2; exit 2 ;;
esac
