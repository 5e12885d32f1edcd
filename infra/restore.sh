#!/usr/bin/env bash
# Restores a backup of infra/backup.sh into a fresh data directory, replays the archived WAL up to a point in time
# (point-in-time recovery), promotes and starts the cluster on a port of its own. The live cluster is never touched:
# the restored one runs beside it until an operator points the services at it (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/secrets.sh
. infra/wal-archive.sh
dest=
backup=
target_time=
wal_archive=
port=5433
socket_dir=/var/run/postgresql
broker=0

usage() {
  cat <<EOF
usage: infra/restore.sh --dest DIR [options]

  --dest DIR            the new data directory (must not exist, or be empty); the cluster's log: DIR/startup.log
  --backup DIR          a backup of infra/backup.sh (default: the newest in $PJ_BACKUP_DIR)
  --target-time TIME    recover the commits up to this moment, e.g. '2026-12-07 10:42:00+00' (default: all the archived WAL)
  --wal-archive DIR     where the cluster archived its WAL (default: the backup's, else $PJ_WAL_ARCHIVE)
  --port PORT           the restored cluster's port (default 5433)
  --socket-dir DIR      its Unix socket directory (default /var/run/postgresql)
  --broker-definitions  also load the backup's RabbitMQ definitions into the running broker (users, vhosts, queues)
  -h, --help            this text

Run as root (or sudo): it works as the postgres OS user. Stop the restored cluster with
  runuser -u postgres -- $(pj_pg_bin 2>/dev/null || echo /usr/lib/postgresql/15/bin)/pg_ctl -D DIR stop
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dest) dest=$2; shift 2 ;;
    --backup) backup=$2; shift 2 ;;
    --target-time) target_time=$2; shift 2 ;;
    --wal-archive) wal_archive=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --socket-dir) socket_dir=$2; shift 2 ;;
    --broker-definitions) broker=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "restore: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$dest" ] || { echo "restore: --dest is required" >&2; usage >&2; exit 2; }
[[ "$port" =~ ^[0-9]+$ ]] || { echo "restore: --port takes a number" >&2; exit 2; }
[[ "$target_time" != *"'"* ]] || { echo "restore: --target-time holds a quote" >&2; exit 2; }
if [ -z "$backup" ]; then
  backup=$(find "$PJ_BACKUP_DIR" -mindepth 2 -maxdepth 2 -name backup.txt -printf '%h\n' 2>/dev/null | sort | tail -n 1)
  [ -n "$backup" ] || { echo "restore: no backup in $PJ_BACKUP_DIR (--backup DIR)" >&2; exit 1; }
fi
[ -f "$backup/backup.txt" ] && [ -f "$backup/base/backup_label" ] || { echo "restore: $backup is not a backup of infra/backup.sh" >&2; exit 1; }
wal_archive=${wal_archive:-$(sed -n 's/^wal_archive=//p' "$backup/backup.txt")}
wal_archive=${wal_archive:-$PJ_WAL_ARCHIVE}
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then echo "restore: $dest is not empty" >&2; exit 1; fi
bin=$(pj_pg_bin)
started=$(date +%s.%N)

echo "restore: $backup into $dest${target_time:+, to $target_time}"
install -d -m 0700 -o postgres -g postgres "$dest"
pj_as_postgres cp -a "$backup/base/." "$dest/"
if [ -d "$backup/config" ]; then
  # Debian's configuration, taken from /etc by backup.sh, now inside the data directory: its lines naming the old
  # cluster's directories and files go, so that the defaults (this directory) hold.
  pj_as_postgres cp -r "$backup/config/." "$dest/"
  pj_as_postgres sed -i -E 's/^[[:space:]]*(data_directory|hba_file|ident_file|external_pid_file)[[:space:]]*=/# restore.sh: &/' "$dest/postgresql.conf"
  [ -d "$dest/conf.d" ] || pj_as_postgres install -d -m 0700 "$dest/conf.d"
fi

# Recovery settings in postgresql.auto.conf, which wins over postgresql.conf. Archiving is off in the restored cluster:
# it must not write into the archive of the cluster it was restored from (docs/operations.md says how to take over).
recovery_target_settings=
if [ -n "$target_time" ]; then
  recovery_target_settings="recovery_target_time = '$target_time'"$'\n'"recovery_target_action = 'promote'"
fi
pj_as_postgres sh -c 'cat >> "$1"' sh "$dest/postgresql.auto.conf" <<EOF
# infra/restore.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ): point-in-time recovery of $(basename "$backup")
port = $port
unix_socket_directories = '$socket_dir'
archive_mode = off
restore_command = '$(pj_restore_command "$wal_archive")'
$recovery_target_settings
EOF
pj_as_postgres touch "$dest/recovery.signal"
pj_as_postgres rm -f "$dest/postmaster.pid" "$dest/postmaster.opts"

# pg_ctl returns once the cluster takes connections (consistent, still replaying); promotion comes after the last WAL
# (or the target). A target the WAL never reaches stops the cluster (FATAL in its log).
pj_as_postgres "$bin/pg_ctl" -D "$dest" -l "$dest/startup.log" -w -t 3600 start >/dev/null || {
  echo "restore: the cluster did not start; see $dest/startup.log" >&2; exit 1; }
psql_() { pj_as_postgres "$bin/psql" -h "$socket_dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
until [ "$(psql_ "select pg_is_in_recovery()" 2>/dev/null)" = f ]; do
  if ! pj_as_postgres "$bin/pg_ctl" -D "$dest" status >/dev/null 2>&1; then
    echo "restore: recovery stopped (a --target-time after the last archived WAL?); see $dest/startup.log" >&2; exit 1
  fi
  sleep 0.2
done
# Promoted: the recovery settings would only confuse a later recovery of this cluster.
for setting in restore_command recovery_target_time recovery_target_action; do psql_ "alter system reset $setting" >/dev/null; done
recovered_to=$(grep -Eo 'recovery stopping (before|after) commit of transaction [0-9]+, time .*' "$dest/startup.log" | tail -n 1 || true)

if [ "$broker" = 1 ]; then
  [ -f "$backup/broker-definitions.json" ] || { echo "restore: the backup holds no broker definitions" >&2; exit 1; }
  pj_secrets_load
  # Imported as exported: existing definitions are updated, none deleted; the credentials on standard input.
  status=$(printf 'user = "%s:%s"\n' "$PJ_RABBIT_ADMIN_USER" "$PJ_RABBIT_ADMIN_PASSWORD" |
    curl -sS -K - -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
      --data-binary "@$backup/broker-definitions.json" "http://localhost:${PJ_RABBIT_MANAGEMENT_PORT:-15672}/api/definitions")
  [[ "$status" == 20? ]] || { echo "restore: RabbitMQ refused the definitions (HTTP $status)" >&2; exit 1; }
  echo "restore: RabbitMQ's definitions loaded"
fi

echo "restore: cluster running on port $port, data in $dest, in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s${recovered_to:+ ($recovered_to)}"
