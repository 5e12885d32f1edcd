# Sourced by infra/up.sh, run.sh, test.sh, bench.sh and chaos.sh: where the secrets file is, what it holds, and how each
# process gets only its own credentials from it. infra/up.sh writes it; everything else reads it.
#
# The file (KEY=VALUE lines, mode 0600, owned by whoever ran up.sh, sudo's invoking user included) holds the
# RabbitMQ administrator's password (PJ_RABBIT_ADMIN_PASSWORD), the PostgreSQL role's (PJ_PG_PASSWORD), each service
# account's (PJ_BROKER_PASSWORD_<SERVICE>), and where the servers are (ports, database, vhost). It is also a valid
# docker-compose --env-file.

PJ_SECRETS_FILE=${PJ_SECRETS_FILE:-/etc/patientjourney/secrets.env}

# Every broker account infra/up.sh makes a password for: BrokerAccounts.Services (a unit test keeps the two equal).
PJ_BROKER_SERVICES=(diagnosis chemotherapy interventional imaging journey redrive)

# Reads the file into shell variables; only KEY=VALUE lines of the names it writes, never executed as a script.
pj_secrets_load() {
  if [ ! -r "$PJ_SECRETS_FILE" ]; then
    echo "secrets: $PJ_SECRETS_FILE is missing or not readable by $(id -un); run ./infra/up.sh (as the user who runs the system)" >&2
    return 1
  fi
  local key value
  while IFS='=' read -r key value; do
    case "$key" in PJ_[A-Z0-9_]*) printf -v "$key" '%s' "$value" ;; esac
  done < <(grep -E '^PJ_[A-Z0-9_]+=' "$PJ_SECRETS_FILE")
}

pj_broker_password_of() { local name="PJ_BROKER_PASSWORD_${1^^}"; printf '%s' "${!name}"; }

# PJ_PG_HOSTS: more than one server, host:port,host:port (run.sh --cluster: the primary, then its standby).
pj_postgres_connection() {
  printf 'Host=%s;Port=%s;Database=%s;Username=%s;Password=%s' "${PJ_PG_HOSTS:-localhost}" "$PJ_PG_PORT" "$PJ_DB" "$PJ_PG_USER" "$PJ_PG_PASSWORD"
}

# Where the servers are, for any process (no secret).
pj_export_locations() {
  export RabbitMq__Port="$PJ_RABBIT_PORT" RabbitMq__ManagementPort="$PJ_RABBIT_MANAGEMENT_PORT" RabbitMq__VirtualHost="$PJ_VHOST"
}

# Tools and tests act as everyone: the administrator (its own keys, so that a service host they start still connects
# as its service), the database, and every service account.
pj_export_operator_env() {
  pj_export_locations
  export RabbitMq__Admin__Username="$PJ_RABBIT_ADMIN_USER" RabbitMq__Admin__Password="$PJ_RABBIT_ADMIN_PASSWORD"
  export ConnectionStrings__Postgres="$(pj_postgres_connection)" PJ_SECRETS_FILE
  local service
  for service in "${PJ_BROKER_SERVICES[@]}"; do export "RabbitMq__Accounts__${service}__Password=$(pj_broker_password_of "$service")"; done
}

# One service process's credentials as env(1) arguments: the database, and the broker password of each service it
# hosts (RabbitMq__Password for one; per service for the departments' host, which holds four accounts).
pj_service_env() {
  printf '%s\n' "ConnectionStrings__Postgres=$(pj_postgres_connection)"
  if [ "$#" = 1 ]; then printf '%s\n' "RabbitMq__Password=$(pj_broker_password_of "$1")"; return; fi
  local service
  for service in "$@"; do printf '%s\n' "RabbitMq__Accounts__${service}__Password=$(pj_broker_password_of "$service")"; done
}
