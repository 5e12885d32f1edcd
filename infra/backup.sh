#!/usr/bin/env bash
# Backs up PatientJourney with PostgreSQL's own tools: a base backup of the whole cluster (every department's store, the
# journey, the outboxes' progress) taken online with pg_basebackup and checked with pg_verifybackup, the cluster's
# configuration files when they live outside its data directory (Debian's /etc/postgresql), and RabbitMQ's definitions
# (vhosts, users, permissions, queues, exchanges, bindings; not messages). With the WAL that the cluster archives
# (infra/up.sh turns archiving on), infra/restore.sh recovers any moment after the backup. docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/secrets.sh
. infra/wal-archive.sh

usage() {
  cat <<EOF
usage: infra/backup.sh [options]

Takes a base backup of the PostgreSQL cluster and exports RabbitMQ's definitions into DEST/<UTC time>/, prints that
directory on its last line. Run as root (or sudo): it works as the postgres OS user.

  --dest DIR          where backups are kept (default $PJ_BACKUP_DIR)
  --port PORT         the cluster's port (default \$PJ_PG_PORT of the secrets file, else 5432)
  --host DIR          its Unix socket directory (default /var/run/postgresql)
  --wal-archive DIR   its WAL archive, pruned by --keep (default $PJ_WAL_ARCHIVE)
  --keep N            after the backup, keep only the newest N backups in DEST and the WAL they need
  --no-broker         leave out RabbitMQ's definitions
  --no-verify         skip pg_verifybackup
  -h, --help          this text
EOF
}

dest=$PJ_BACKUP_DIR
port=
host=/var/run/postgresql
wal_archive=$PJ_WAL_ARCHIVE
keep=0
broker=1
verify=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dest) dest=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --wal-archive) wal_archive=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --no-broker) broker=0; shift ;;
    --no-verify) verify=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "backup: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$keep" =~ ^[0-9]+$ ]] || { echo "backup: --keep takes a number" >&2; exit 2; }
# The secrets file says where the servers are and holds the broker administrator's password; never printed.
if [ "$broker" = 1 ] || { [ -z "$port" ] && [ -r "$PJ_SECRETS_FILE" ]; }; then pj_secrets_load; fi
port=${port:-${PJ_PG_PORT:-5432}}
bin=$(pj_pg_bin)
started=$(date +%s.%N)

psql_() { pj_as_postgres "$bin/psql" -h "$host" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }

# A directory of the postgres user's, which pg_basebackup (run as postgres) writes into; 0700: it holds every record.
stamp=$(date -u +%Y%m%dT%H%M%SZ)
backup=$dest/$stamp
[ -d "$dest" ] || { install -d -m 0700 "$dest" && chown postgres:postgres "$dest"; }
[ ! -e "$backup" ] || { echo "backup: $backup exists already" >&2; exit 1; }
install -d -m 0700 -o postgres -g postgres "$backup"

# --checkpoint=fast: start now rather than at the next scheduled checkpoint. -X stream: the WAL written during the
# backup is in it, so the backup alone restores to its own end even without the archive.
echo "backup: base backup of the cluster on port $port into $backup"
pj_as_postgres "$bin/pg_basebackup" -h "$host" -p "$port" -U postgres -D "$backup/base" -Fp -X stream \
  --checkpoint=fast --label "patientjourney $stamp" --no-password
copied=$(date +%s.%N)
if [ "$verify" = 1 ]; then
  # Every file against the backup's manifest (CRC-32C), and the WAL it needs parsed: a backup nobody checked is a hope.
  pj_as_postgres "$bin/pg_verifybackup" -q "$backup/base"
fi
verified=$(date +%s.%N)

# Debian keeps postgresql.conf, pg_hba.conf and pg_ident.conf in /etc, outside the data directory and so outside the base
# backup; restore.sh needs them to start the cluster as it was.
data_directory=$(psql_ "show data_directory")
for setting in config_file hba_file ident_file; do
  file=$(psql_ "show $setting")
  case "$file" in "$data_directory"/*) continue ;; esac
  pj_as_postgres install -D -m 0600 "$file" "$backup/config/$(basename "$file")"
  if [ "$setting" = config_file ] && [ -d "$(dirname "$file")/conf.d" ]; then
    pj_as_postgres cp -r "$(dirname "$file")/conf.d" "$backup/config/conf.d"
  fi
done
[ ! -d "$backup/config" ] || pj_as_postgres chmod -R go-rwx "$backup/config"

if [ "$broker" = 1 ]; then
  # The management API as the administrator, its credentials on standard input (never on a command line ps shows). The
  # definitions hold the users' password hashes: the file is 0600, like the rest of the backup.
  printf 'user = "%s:%s"\n' "$PJ_RABBIT_ADMIN_USER" "$PJ_RABBIT_ADMIN_PASSWORD" |
    curl -sSf -K - "http://localhost:${PJ_RABBIT_MANAGEMENT_PORT:-15672}/api/definitions" |
    pj_as_postgres sh -c 'umask 077; cat > "$1"' sh "$backup/broker-definitions.json"
  [ -s "$backup/broker-definitions.json" ] || { echo "backup: RabbitMQ's definitions came back empty" >&2; exit 1; }
fi

# What the backup is, for restore.sh and for whoever looks: no secret, no patient data.
start_wal=$(sed -n 's/^START WAL LOCATION: .*(file \([0-9A-F]*\))$/\1/p' "$backup/base/backup_label")
finished=$(date +%s.%N)
size=$(du -sb "$backup" | cut -f1)
pj_as_postgres sh -c 'umask 077; cat > "$1"' sh "$backup/backup.txt" <<EOF
label=patientjourney $stamp
server_version=$(psql_ "show server_version")
port=$port
start_wal_file=$start_wal
wal_archive=$wal_archive
finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
bytes=$size
broker_definitions=$([ "$broker" = 1 ] && echo yes || echo no)
EOF

if [ "$keep" -gt 0 ]; then
  # Older backups go, and with them the archived WAL that only they needed (before the oldest kept backup's start).
  mapfile -t backups < <(find "$dest" -mindepth 2 -maxdepth 2 -name backup.txt -printf '%h\n' | sort)
  if [ "${#backups[@]}" -gt "$keep" ]; then
    for old in "${backups[@]:0:${#backups[@]}-$keep}"; do rm -rf "$old"; echo "backup: removed $old"; done
    oldest=${backups[${#backups[@]}-$keep]}
    oldest_wal=$(sed -n 's/^start_wal_file=//p' "$oldest/backup.txt")
    if [ "$wal_archive" != off ] && [ -d "$wal_archive" ] && [ -n "$oldest_wal" ]; then
      pj_as_postgres "$bin/pg_archivecleanup" "$wal_archive" "$oldest_wal"
    fi
  fi
fi

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo "backup: $(numfmt --to=iec "$size")B in $(seconds "$started" "$finished") s (base backup $(seconds "$started" "$copied") s, verify $(seconds "$copied" "$verified") s); WAL after it: $wal_archive"
echo "$backup"
