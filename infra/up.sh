#!/usr/bin/env bash
# Brings up PostgreSQL 15 and RabbitMQ on a Debian machine without Docker: installs the OS packages
# when missing, starts both, and creates the role, database, users and vhost the services use.
# Idempotent: safe to run again while everything is already up.
#
# Secrets: the RabbitMQ administrator's password, the PostgreSQL role's and every service account's broker password
# are taken from the environment (PJ_RABBIT_ADMIN_PASSWORD, PJ_PG_PASSWORD, PJ_BROKER_PASSWORD_<SERVICE>), else from
# the secrets file of an earlier run, else generated; kept in ${PJ_SECRETS_FILE:-/etc/patientjourney/secrets.env}
# (mode 0600, owned by the invoking user, sudo's included) and enforced on both servers on every run. RabbitMQ's
# guest user is deleted. run.sh and test.sh read the file (infra/secrets.sh); docs/security.md, Secrets.
#
# Which servers: PJ_PG_PORT selects the PostgreSQL cluster by its port (5432); PJ_RABBIT_NODE the RabbitMQ node
# (rabbitmqctl's default), reached on PJ_RABBIT_PORT (5672) and PJ_RABBIT_MANAGEMENT_PORT (15672). A node that is not
# running is started with the RABBITMQ_* variables of the environment (a second node: /work/shared/STACK-NOTES.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/secrets.sh
. infra/wal-archive.sh

PJ_DB=${PJ_DB:-patientjourney}
PJ_PG_USER=${PJ_PG_USER:-patientjourney}
PJ_VHOST=${PJ_VHOST:-patientjourney}
PJ_RABBIT_ADMIN_USER=${PJ_RABBIT_ADMIN_USER:-patientjourney}
PJ_PG_PORT=${PJ_PG_PORT:-5432}
PJ_RABBIT_NODE=${PJ_RABBIT_NODE:-}
PJ_RABBIT_PORT=${PJ_RABBIT_PORT:-5672}
PJ_RABBIT_MANAGEMENT_PORT=${PJ_RABBIT_MANAGEMENT_PORT:-15672}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
command -v jq >/dev/null 2>&1 || missing+=(jq) # run.sh reads deployment.json with it
if [ ${#missing[@]} -gt 0 ]; then
  echo "infra: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# Secrets: the environment's, else the file's of an earlier run, else new ones. 48 hex digits each: nothing to quote
# in a connection string, a JSON body or an env file.
owner=${SUDO_USER:-$(id -un)}
generated=()
if [ -e "$PJ_SECRETS_FILE" ]; then
  # Kept: a value the environment gives wins over the file's; where the servers are is this run's.
  declare -A given=()
  for name in PJ_RABBIT_ADMIN_PASSWORD PJ_PG_PASSWORD $(for s in "${PJ_BROKER_SERVICES[@]}"; do echo "PJ_BROKER_PASSWORD_${s^^}"; done); do
    [ -n "${!name:-}" ] && given[$name]=${!name}
  done
  as_root test -r "$PJ_SECRETS_FILE" || { echo "infra: cannot read $PJ_SECRETS_FILE" >&2; exit 1; }
  while IFS='=' read -r key value; do
    case "$key" in PJ_*PASSWORD*) printf -v "$key" '%s' "$value" ;; esac
  done < <(as_root grep -E '^PJ_[A-Z0-9_]*PASSWORD[A-Z0-9_]*=' "$PJ_SECRETS_FILE")
  for name in "${!given[@]}"; do printf -v "$name" '%s' "${given[$name]}"; done
fi
new_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
secret_names=(PJ_RABBIT_ADMIN_PASSWORD PJ_PG_PASSWORD)
for service in "${PJ_BROKER_SERVICES[@]}"; do secret_names+=("PJ_BROKER_PASSWORD_${service^^}"); done
for name in "${secret_names[@]}"; do
  if [ -z "${!name:-}" ]; then printf -v "$name" '%s' "$(new_secret)"; generated+=("$name"); fi
  value=${!name}
  # A password given by the operator is checked as a generated one would pass: long, plain, not one anyone can read here.
  if ! [[ "$value" =~ ^[A-Za-z0-9._~-]{16,}$ ]] || [ "$value" = patientjourney ] || [ "$value" = guest ] || [[ "$value" == *-dev ]]; then
    echo "infra: $name must be 16 or more of A-Z a-z 0-9 . _ ~ - and no development password" >&2; exit 1
  fi
done
secrets_dir=$(dirname "$PJ_SECRETS_FILE")
# A directory of its own is made private; an existing one (/tmp, a home) is left as it is.
[ -d "$secrets_dir" ] || as_root install -d -m 0700 -o "$owner" -g "$(id -gn "$owner")" "$secrets_dir"
secrets_tmp=$(mktemp)
{
  echo "# PatientJourney secrets, written by infra/up.sh on every run; keep it 0600. Values from the environment win."
  echo "PJ_RABBIT_ADMIN_USER=$PJ_RABBIT_ADMIN_USER"
  echo "PJ_RABBIT_ADMIN_PASSWORD=$PJ_RABBIT_ADMIN_PASSWORD"
  echo "PJ_PG_USER=$PJ_PG_USER"
  echo "PJ_PG_PASSWORD=$PJ_PG_PASSWORD"
  for service in "${PJ_BROKER_SERVICES[@]}"; do echo "PJ_BROKER_PASSWORD_${service^^}=$(pj_broker_password_of "$service")"; done
  echo "PJ_DB=$PJ_DB"
  echo "PJ_VHOST=$PJ_VHOST"
  echo "PJ_PG_PORT=$PJ_PG_PORT"
  echo "PJ_RABBIT_PORT=$PJ_RABBIT_PORT"
  echo "PJ_RABBIT_MANAGEMENT_PORT=$PJ_RABBIT_MANAGEMENT_PORT"
} > "$secrets_tmp"   # mktemp makes it 0600
as_root install -m 0600 -o "$owner" -g "$(id -gn "$owner")" "$secrets_tmp" "$PJ_SECRETS_FILE"
rm -f "$secrets_tmp"

# PostgreSQL: the cluster on PJ_PG_PORT (on bookworm, 15 main on 5432).
read -r pg_version pg_cluster _ pg_datadir < <(pg_lsclusters -h | awk -v port="$PJ_PG_PORT" '$3 == port { print $1, $2, $4, $6; exit }')
[ -n "${pg_cluster:-}" ] || { echo "infra: no PostgreSQL cluster on port $PJ_PG_PORT (pg_lsclusters; pg_createcluster 15 NAME --port $PJ_PG_PORT)" >&2; exit 1; }
pg_online() { pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c' | grep -q online; }
pg_online || as_root pg_ctlcluster "$pg_version" "$pg_cluster" start
for _ in $(seq 1 60); do (cd / && as_root su postgres -c "pg_isready -q -p $PJ_PG_PORT") && break; sleep 0.5; done
psql_admin() { (cd / && as_root su postgres -c "psql -p $PJ_PG_PORT -v ON_ERROR_STOP=1 -qtAc \"$1\""); }
# A statement holding a secret goes on standard input, never on a command line that ps shows.
psql_admin_stdin() { (cd / && as_root su postgres -c "psql -p $PJ_PG_PORT -v ON_ERROR_STOP=1 -qtA") >/dev/null; }
if [ "$(psql_admin "select 1 from pg_roles where rolname='$PJ_PG_USER'")" = 1 ]; then
  echo "alter role $PJ_PG_USER login createdb password '$PJ_PG_PASSWORD'" | psql_admin_stdin
else
  echo "create role $PJ_PG_USER login createdb password '$PJ_PG_PASSWORD'" | psql_admin_stdin
fi
[ "$(psql_admin "select 1 from pg_database where datname='$PJ_DB'")" = 1 ] ||
  psql_admin "create database $PJ_DB owner $PJ_PG_USER"
# Settings that take a restart. Integration tests make a database per test class; many hosts at once need more than
# the default 100 connections. Debian's 128 MB of shared buffers and 4 MB of WAL buffers made backends write pages
# and WAL themselves under load (pg_stat_bgwriter: 1.4 million backend writes; pg_stat_wal: 70,000 times the WAL
# buffers were full), each one a write a commit waited for; with 1 GB and 64 MB neither happened again over a whole
# benchmark run (measured in docs/benchmarks-history.md, "PostgreSQL's memory").
pg_restart=0
if [ "$(psql_admin "show max_connections")" -lt 500 ]; then psql_admin "alter system set max_connections = 500"; pg_restart=1; fi
[ "$(psql_admin "show shared_buffers")" = 1GB ] || { psql_admin "alter system set shared_buffers = '1GB'"; pg_restart=1; }
[ "$(psql_admin "show wal_buffers")" = 64MB ] || { psql_admin "alter system set wal_buffers = '64MB'"; pg_restart=1; }
# Point-in-time recovery (infra/backup.sh and restore.sh, docs/operations.md): every WAL segment is copied into
# PJ_WAL_ARCHIVE as it fills, or after PJ_ARCHIVE_TIMEOUT seconds with anything written (the recovery point objective).
# archive_mode takes a restart, once; PJ_WAL_ARCHIVE=off keeps it on with a command that keeps nothing (no restart
# to turn it back). wal_level is PostgreSQL 15's default, replica, unless someone lowered it.
[ "$PJ_WAL_ARCHIVE" = off ] || as_root install -d -m 0700 -o postgres -g postgres "$PJ_WAL_ARCHIVE"
[ "$(psql_admin "show wal_level")" != minimal ] || { psql_admin "alter system set wal_level = 'replica'"; pg_restart=1; }
[ "$(psql_admin "show archive_mode")" = on ] || { psql_admin "alter system set archive_mode = 'on'"; pg_restart=1; }
pg_restart_and_wait() {
  as_root pg_ctlcluster "$pg_version" "$pg_cluster" restart
  for _ in $(seq 1 60); do (cd / && as_root su postgres -c "pg_isready -q -p $PJ_PG_PORT") && break; sleep 0.5; done
}
[ "$pg_restart" = 0 ] || pg_restart_and_wait

# WAL: every journey write rewrites a patient's view (8 KB of JSON); with 1 GB of WAL a checkpoint was forced every
# couple of minutes under load (10 of 11 checkpoints in one afternoon of benchmarks), each followed by full-page images
# of every page touched. Compressed images and fewer forced checkpoints write less to the disk that every commit and
# RabbitMQ's quorum queue wait on. That view is stored compressed (TOAST): lz4 instead of the default pglz makes its
# upsert much cheaper (measured in docs/benchmarks-history.md, "lz4"). All three take effect on a reload.
pg_reload=0
[ "$(psql_admin "show default_toast_compression")" = lz4 ] || { psql_admin "alter system set default_toast_compression = 'lz4'"; pg_reload=1; }
[ "$(psql_admin "show wal_compression")" = lz4 ] || { psql_admin "alter system set wal_compression = 'lz4'"; pg_reload=1; }
[ "$(psql_admin "show max_wal_size")" = 4GB ] || { psql_admin "alter system set max_wal_size = '4GB'"; pg_reload=1; }
archive_command=$(pj_archive_command "$PJ_WAL_ARCHIVE")
if [ "$(psql_admin "show archive_command")" != "$archive_command" ]; then
  # On standard input: the command's quotes and dollars would not survive su -c.
  q="'"
  printf "alter system set archive_command = '%s'\n" "${archive_command//$q/$q$q}" | psql_admin_stdin
  pg_reload=1
fi
[ "$(psql_admin "select setting from pg_settings where name = 'archive_timeout'")" = "$PJ_ARCHIVE_TIMEOUT" ] ||
  { psql_admin "alter system set archive_timeout = $PJ_ARCHIVE_TIMEOUT"; pg_reload=1; }
[ "$pg_reload" = 0 ] || psql_admin "select pg_reload_conf()" >/dev/null

# Huge pages for PostgreSQL's shared memory (its default huge_pages = try uses them when the kernel has them reserved,
# and the 4 KB pages otherwise). With 1 GB of shared buffers in 4 KB pages every backend faults in and keeps its own
# page-table entries for each page it touches; in 2 MB pages PostgreSQL spends much less CPU per event and the
# pipeline carries more events (measured in docs/benchmarks-history.md, "PostgreSQL in huge pages").
# A kernel setting of the machine: reserved only where this script may write it (root, not in a container that hides
# it), given back when the kernel cannot find enough contiguous memory, and PJ_HUGE_PAGES=0 leaves it alone.
pg_huge_pages_in_use() {
  local pid; pid=$(as_root head -n 1 "$pg_datadir/postmaster.pid" 2>/dev/null) || return 1
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
rabbitmqctl_() { as_root rabbitmqctl ${PJ_RABBIT_NODE:+-n "$PJ_RABBIT_NODE"} "$@"; }
if ! rabbitmqctl_ -q status >/dev/null 2>&1; then
  if [ -n "$PJ_RABBIT_NODE" ]; then as_root env RABBITMQ_NODENAME="$PJ_RABBIT_NODE" RABBITMQ_NODE_PORT="$PJ_RABBIT_PORT" rabbitmq-server -detached
  else as_root rabbitmq-server -detached; fi
fi
# A detached node takes a few seconds to register with epmd; until then await_startup fails at once
# ("node not running at all") instead of waiting, so retry it.
rabbit_up=0
for _ in $(seq 1 90); do
  if rabbitmqctl_ -q await_startup --timeout 10 >/dev/null 2>&1; then rabbit_up=1; break; fi
  sleep 1
done
[ "$rabbit_up" = 1 ] || { echo "infra: RabbitMQ did not start; see ${RABBITMQ_LOG_BASE:-/var/log/rabbitmq}/" >&2; rabbitmqctl_ -q await_startup; }
# The management API lets tests create a vhost each in milliseconds.
as_root rabbitmq-plugins ${PJ_RABBIT_NODE:+-n "$PJ_RABBIT_NODE"} -q list -e -m | grep -qx rabbitmq_management ||
  as_root rabbitmq-plugins ${PJ_RABBIT_NODE:+-n "$PJ_RABBIT_NODE"} -q enable rabbitmq_management

# The management API as the administrator. curl reads its options (the credentials, a body holding a password) from
# standard input, so that no secret is on a command line that ps shows. Prints the HTTP status.
management_api() {
  local method=$1 path=$2 body=${3:-}
  {
    printf 'user = "%s:%s"\n' "$PJ_RABBIT_ADMIN_USER" "$PJ_RABBIT_ADMIN_PASSWORD"
    [ -z "$body" ] || printf 'data = "%s"\n' "${body//\"/\\\"}"
  } | curl -sS -K - -o "${management_body:-/dev/null}" -w '%{http_code}' -X "$method" -H 'content-type: application/json' \
        "http://localhost:$PJ_RABBIT_MANAGEMENT_PORT/api/$path" 2>/dev/null || true
}
# The administrator, with this run's password. RabbitMQ 3.10's rabbitmqctl takes a password only as an argument: it
# is given there only when the user is new or the password changed (the management API refuses the one in the file).
# A busy node (just after a benchmark deleted its vhost's queues, say) can cut the user list short (":terminated"):
# ask again rather than take a user for missing.
broker_users() {
  local users
  for _ in $(seq 1 20); do
    users=$(rabbitmqctl_ -q list_users) && ! grep -q ':terminated' <<<"$users" && { printf '%s\n' "$users"; return; }
    sleep 0.5
  done
  echo "infra: RabbitMQ does not list its users" >&2; return 1
}
if ! broker_users | grep -q "^$PJ_RABBIT_ADMIN_USER\b"; then
  rabbitmqctl_ -q add_user "$PJ_RABBIT_ADMIN_USER" "$PJ_RABBIT_ADMIN_PASSWORD" >/dev/null
else
  # The API may still be starting: wait for it before taking a refusal for a wrong password.
  for _ in $(seq 1 120); do [ "$(management_api GET overview)" != 000 ] && break; sleep 0.5; done
  [ "$(management_api GET whoami)" = 200 ] || rabbitmqctl_ -q change_password "$PJ_RABBIT_ADMIN_USER" "$PJ_RABBIT_ADMIN_PASSWORD" >/dev/null
fi
rabbitmqctl_ -q set_user_tags "$PJ_RABBIT_ADMIN_USER" administrator
rabbitmqctl_ -q list_vhosts | grep -qx "$PJ_VHOST" || rabbitmqctl_ -q add_vhost "$PJ_VHOST"
rabbitmqctl_ -q set_permissions -p "$PJ_VHOST" "$PJ_RABBIT_ADMIN_USER" ".*" ".*" ".*"
for _ in $(seq 1 120); do [ "$(management_api GET whoami)" = 200 ] && break; sleep 0.5; done
[ "$(management_api GET whoami)" = 200 ] || { echo "infra: RabbitMQ's management API on port $PJ_RABBIT_MANAGEMENT_PORT refuses $PJ_RABBIT_ADMIN_USER" >&2; exit 1; }
# guest/guest is an administrator that everyone knows.
if broker_users | grep -q "^guest\b"; then rabbitmqctl_ -q delete_user guest >/dev/null; fi
# Every service account's password (its permissions are journey-admin broker-setup's, per vhost). Its tags are kept:
# the journey's and the re-drive's impersonator tag is broker-setup's too.
for service in "${PJ_BROKER_SERVICES[@]}"; do
  user="pj-$service"
  tags=$(management_body=/dev/stdout management_api GET "users/$user" | sed -n 's/.*"tags":\[\([^]]*\)\].*/\1/p' | tr -d '"')
  status=$(management_api PUT "users/$user" "{\"password\":\"$(pj_broker_password_of "$service")\",\"tags\":\"$tags\"}")
  [[ "$status" == 20? ]] || { echo "infra: could not set the password of $user (HTTP $status)" >&2; exit 1; }
done

echo "infra: PostgreSQL $pg_version/$pg_cluster on localhost:$PJ_PG_PORT (database $PJ_DB), RabbitMQ on localhost:$PJ_RABBIT_PORT (vhost $PJ_VHOST, management $PJ_RABBIT_MANAGEMENT_PORT)"
echo "infra: WAL archived to $PJ_WAL_ARCHIVE (backups: infra/backup.sh, docs/operations.md)"
echo "infra: secrets in $PJ_SECRETS_FILE (mode 0600, owner $owner)${generated[*]:+; generated now: ${generated[*]}}"
