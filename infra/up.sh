#!/usr/bin/env bash
# Brings up PostgreSQL 15 and RabbitMQ on a Debian machine without Docker: installs the OS packages
# when missing, starts both, and creates the role, database, user and vhost the services use.
# Idempotent: safe to run again while everything is already up.
set -euo pipefail

PJ_DB=${PJ_DB:-patientjourney}
PJ_USER=${PJ_USER:-patientjourney}
PJ_PASSWORD=${PJ_PASSWORD:-patientjourney}
PJ_VHOST=${PJ_VHOST:-patientjourney}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "infra: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# PostgreSQL: the first cluster Debian created (15 main on bookworm).
read -r pg_version pg_cluster _ < <(pg_lsclusters -h | head -n 1)
if ! pg_lsclusters -h | head -n 1 | grep -q online; then
  as_root pg_ctlcluster "$pg_version" "$pg_cluster" start
fi
for _ in $(seq 1 60); do (cd / && as_root su postgres -c "pg_isready -q") && break; sleep 0.5; done
psql_admin() { (cd / && as_root su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""); }
[ "$(psql_admin "select 1 from pg_roles where rolname='$PJ_USER'")" = 1 ] ||
  psql_admin "create role $PJ_USER login createdb password '$PJ_PASSWORD'"
[ "$(psql_admin "select 1 from pg_database where datname='$PJ_DB'")" = 1 ] ||
  psql_admin "create database $PJ_DB owner $PJ_USER"
# Settings that take a restart. Integration tests make a database per test class; many hosts at once need more than
# the default 100 connections. Debian's 128 MB of shared buffers and 4 MB of WAL buffers made backends write pages
# and WAL themselves under load (pg_stat_bgwriter: 1.4 million backend writes; pg_stat_wal: 70,000 times the WAL
# buffers were full), each one a write a commit waited for; with 1 GB and 64 MB neither happened again over a whole
# benchmark run (docs/benchmarks.md, 2026-12-02).
pg_restart=0
if [ "$(psql_admin "show max_connections")" -lt 500 ]; then psql_admin "alter system set max_connections = 500"; pg_restart=1; fi
[ "$(psql_admin "show shared_buffers")" = 1GB ] || { psql_admin "alter system set shared_buffers = '1GB'"; pg_restart=1; }
[ "$(psql_admin "show wal_buffers")" = 64MB ] || { psql_admin "alter system set wal_buffers = '64MB'"; pg_restart=1; }
pg_restart_and_wait() {
  as_root pg_ctlcluster "$pg_version" "$pg_cluster" restart
  for _ in $(seq 1 60); do (cd / && as_root su postgres -c "pg_isready -q") && break; sleep 0.5; done
}
[ "$pg_restart" = 0 ] || pg_restart_and_wait

# WAL: every journey write rewrites a patient's view (8 KB of JSON); with 1 GB of WAL a checkpoint was forced every
# couple of minutes under load (10 of 11 checkpoints in one afternoon of benchmarks), each followed by full-page images
# of every page touched. Compressed images and fewer forced checkpoints write less to the disk that every commit and
# RabbitMQ's quorum queue wait on (docs/benchmarks.md, 2026-12-02). That view is stored compressed (TOAST): lz4
# instead of the default pglz took its upsert from 0.246 to 0.140 ms a call. All three take effect on a reload.
pg_reload=0
[ "$(psql_admin "show default_toast_compression")" = lz4 ] || { psql_admin "alter system set default_toast_compression = 'lz4'"; pg_reload=1; }
[ "$(psql_admin "show wal_compression")" = lz4 ] || { psql_admin "alter system set wal_compression = 'lz4'"; pg_reload=1; }
[ "$(psql_admin "show max_wal_size")" = 4GB ] || { psql_admin "alter system set max_wal_size = '4GB'"; pg_reload=1; }
[ "$pg_reload" = 0 ] || psql_admin "select pg_reload_conf()" >/dev/null

# Huge pages for PostgreSQL's shared memory (its default huge_pages = try uses them when the kernel has them reserved,
# and the 4 KB pages otherwise). With 1 GB of shared buffers in 4 KB pages every backend faults in and keeps its own
# page-table entries for each page it touches; in 2 MB pages PostgreSQL spent 0.17-0.19 ms of CPU per event instead of
# 0.26-0.31 and the pipeline carried 22-60 % more events back to back (docs/benchmarks.md, 2026-12-05, fourth session).
# A kernel setting of the machine: reserved only where this script may write it (root, not in a container that hides
# it), given back when the kernel cannot find enough contiguous memory, and PJ_HUGE_PAGES=0 leaves it alone.
pg_huge_pages_in_use() {
  local pid; pid=$(as_root head -n 1 "$(pg_lsclusters -h | head -n 1 | awk '{print $6}')/postmaster.pid" 2>/dev/null) || return 1
  as_root grep -q 'KernelPageSize: *2048 kB' "/proc/$pid/smaps" 2>/dev/null
}
if [ "${PJ_HUGE_PAGES:-1}" != 0 ] && [ -w /proc/sys/vm/nr_hugepages ] && ! pg_huge_pages_in_use; then
  needed=$(psql_admin "show shared_memory_size_in_huge_pages" 2>/dev/null || echo -1)
  reserved=$(cat /proc/sys/vm/nr_hugepages)
  if [ "$needed" -gt 0 ] 2>/dev/null; then
    [ "$reserved" -ge "$needed" ] || echo "$needed" > /proc/sys/vm/nr_hugepages
    if [ "$(cat /proc/sys/vm/nr_hugepages)" -ge "$needed" ]; then
      pg_restart_and_wait
      pg_huge_pages_in_use && echo "infra: PostgreSQL's shared memory in $needed huge pages of 2 MB"
    else
      echo "$reserved" > /proc/sys/vm/nr_hugepages
      echo "infra: the kernel could not reserve $needed huge pages; PostgreSQL keeps 4 KB pages"
    fi
  fi
fi

# RabbitMQ
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  as_root rabbitmq-server -detached
fi
# A detached node takes a few seconds to register with epmd; until then await_startup fails at once
# ("node not running at all") instead of waiting, so retry it.
rabbit_up=0
for _ in $(seq 1 90); do
  if as_root rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; then rabbit_up=1; break; fi
  sleep 1
done
[ "$rabbit_up" = 1 ] || { echo "infra: RabbitMQ did not start; see /var/log/rabbitmq/" >&2; as_root rabbitmqctl -q await_startup; }
# The management API lets tests create a vhost each in milliseconds.
as_root rabbitmq-plugins -q list -e -m | grep -qx rabbitmq_management || as_root rabbitmq-plugins -q enable rabbitmq_management
as_root rabbitmqctl -q list_users | grep -q "^$PJ_USER\b" ||
  { as_root rabbitmqctl -q add_user "$PJ_USER" "$PJ_PASSWORD" && as_root rabbitmqctl -q set_user_tags "$PJ_USER" administrator; }
as_root rabbitmqctl -q list_vhosts | grep -qx "$PJ_VHOST" || as_root rabbitmqctl -q add_vhost "$PJ_VHOST"
as_root rabbitmqctl -q set_permissions -p "$PJ_VHOST" "$PJ_USER" ".*" ".*" ".*"
for _ in $(seq 1 120); do
  curl -fsS -u "$PJ_USER:$PJ_PASSWORD" http://localhost:15672/api/overview >/dev/null 2>&1 && break
  sleep 0.5
done

echo "infra: PostgreSQL $pg_version on localhost:5432 (database $PJ_DB), RabbitMQ on localhost:5672 (vhost $PJ_VHOST)"
