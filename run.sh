#!/usr/bin/env bash
# Starts the whole system: PostgreSQL and RabbitMQ (infra/up.sh), the journey, the four departments and the
# dashboard, then loads the seed case as demo data (skip it with --no-seed; --reset empties the demo data first).
# --departments-in-one-process hosts the four departments in one process (services/Departments), on the same ports.
# --cluster runs deployment.json's cluster section on this machine: a RabbitMQ cluster of three nodes in place of
# Debian's node and a PostgreSQL streaming standby (infra/cluster.sh), instances of each service on private ports and
# HAProxy in front of them on the usual ports (docs/architecture.md, "Production picture").
# ./stop.sh stops the services (and, after --cluster, the cluster's servers, bringing Debian's RabbitMQ node back).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

seed=1; reset=0; one_process=0; cluster=0
for arg in "$@"; do
  case "$arg" in
    --no-seed) seed=0 ;;
    --reset) reset=1 ;;
    --departments-in-one-process) one_process=1 ;;
    --cluster) cluster=1; one_process=1 ;;
    *) echo "usage: ./run.sh [--no-seed] [--reset] [--departments-in-one-process] [--cluster]" >&2; exit 2 ;;
  esac
done

./stop.sh --quiet
./infra/up.sh
if [ "$cluster" = 1 ]; then
  mkdir -p .run && touch .run/cluster # ./stop.sh: the cluster's servers are up, Debian's RabbitMQ node is not
  ./infra/cluster.sh up
fi
. infra/secrets.sh
pj_secrets_load
[ "$reset" = 1 ] && ./infra/reset.sh
dotnet build PatientJourney.sln -c Release -v quiet -nologo
# Each service talks to RabbitMQ as its own user with only its own permissions, and the password infra/up.sh made.
(pj_export_operator_env && dotnet tools/JourneyAdmin/bin/Release/net10.0/journey-admin.dll broker-setup >/dev/null)
pj_export_locations
# Development: the services trust tokens signed with the development key (journey-admin token --role ...).
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
# People sign in at a local OpenID provider with demo users (tools/OidcProvider); it exports Auth__* for the services.
source tools/OidcProvider/start.sh
start_sign_in
# The local OTLP receiver, the Aspire dashboard (tools/TelemetryDashboard): it exports OTEL_EXPORTER_OTLP_* to the services.
source tools/TelemetryDashboard/start.sh
start_telemetry

# Logs can hold what a failure says about a request: only this user reads them.
umask 077
mkdir -p .run/logs
chmod 700 .run .run/logs
# What runs, on which port, with which credentials: deployment.json (docker-compose.yml is checked against it).
deployment() { jq -r 'def dll: "\(.project | sub("/[^/]*$"; ""))/bin/Release/net10.0/\(.assembly).dll"; '"$1" deployment.json; }
declare -A port_of process_of assembly_of account_of calls_of
services=()
# One line a service: name|port|assembly|broker account|the settings that point it at the services it calls
# (Journey__BaseUrl=http://localhost:<the journey's port> for the dashboard), space-separated.
while IFS='|' read -r service port dll account calls; do
  services+=("$service"); port_of[$service]=$port; process_of[$service]=$service
  assembly_of[$service]=$dll; account_of[$service]=$account; calls_of[$service]=$calls
done < <(deployment '. as $d | .services[] | [.name, .port, dll, (.brokerAccount // ""),
  ([.calls | to_entries[] | "\(.key)=http://localhost:\(.value as $callee | $d.services[] | select(.name == $callee) | .port)"] | join(" "))]
  | map(tostring) | join("|")')
processes=("${services[@]}")
if [ "$one_process" = 1 ]; then
  mapfile -t departments < <(deployment '.services[] | select(.department) | .name')
  assembly_of[departments]=$(deployment '.departmentsHost | dll')
  account_of[departments]="${departments[*]}"
  calls_of[departments]=""
  for department in "${departments[@]}"; do process_of[$department]=departments; done
  # The host takes the place of the first department in deployment.json's order.
  processes=()
  for service in "${services[@]}"; do
    if [ "${process_of[$service]}" != departments ]; then processes+=("$service")
    elif [ "$service" = "${departments[0]}" ]; then processes+=(departments); fi
  done
fi
# --cluster: instance n of a process listens on its ports plus n times instancePortOffset; every process reaches
# RabbitMQ's nodes (RabbitMq__Nodes) and PostgreSQL's primary, then its standby (stale-tolerant reads go there).
offset=0
if [ "$cluster" = 1 ]; then
  offset=$(deployment .cluster.instancePortOffset)
  RabbitMq__Nodes=$(deployment '.cluster.rabbitmq | [range(.nodes) as $i | "localhost:\(.amqpPort + $i)"] | join(",")')
  PJ_PG_HOSTS=$(deployment '.cluster.postgres | "localhost:\(.primaryPort),localhost:\(.standbyPort)"')
  export RabbitMq__Nodes PJ_PG_HOSTS
fi
hosted() { if [ "$1" = departments ]; then echo "${departments[@]}"; else echo "$1"; fi; }
# The journey first (deployment.json's order), so its queue is bound before the departments forward anything
# (nothing is lost either way: departments keep their events until the broker has them).
# A service of its own listens on its port; the departments' host takes its four from Departments__<name>__Urls.
# Each process gets the credentials of the services it hosts, and no other (the dashboard needs none).
instances=()
declare -A instances_of ports_of_instance
for process in "${processes[@]}"; do
  count=1; [ "$cluster" = 1 ] && count=$(deployment ".cluster.instances.\"$process\" // 1")
  for n in $(seq 1 "$count"); do
    instance=$process; shift_by=0
    [ "$cluster" = 1 ] && { instance="$process-$n"; shift_by=$((n * offset)); }
    instances+=("$instance"); instances_of[$process]+="$instance "
    urls=${port_of[$process]:+http://localhost:$((port_of[$process] + shift_by))}
    settings=()
    # shellcheck disable=SC2086 # a list of service names
    [ -z "${account_of[$process]}" ] || mapfile -t settings < <(pj_service_env ${account_of[$process]})
    # shellcheck disable=SC2206 # settings without spaces, split on them
    settings+=(${calls_of[$process]})
    for service in $(hosted "$process"); do
      ports_of_instance[$instance]+="$((port_of[$service] + shift_by)) "
      [ "$process" != departments ] || settings+=("Departments__${service}__Urls=http://localhost:$((port_of[$service] + shift_by))")
    done
    [ "$cluster" = 0 ] || settings+=("Instance__Name=$instance" "OTEL_SERVICE_NAME=$process" "OTEL_RESOURCE_ATTRIBUTES=service.instance.id=$instance")
    env "${settings[@]}" ASPNETCORE_URLS="$urls" nohup dotnet "${assembly_of[$process]}" >".run/logs/$instance.log" 2>&1 &
    echo $! >".run/$instance.pid"
  done
done

# Ready: /health/ready on the port, while the process ($2's pid file) runs.
await_ready() {
  local port=$1 name=$2
  for _ in $(seq 1 120); do
    curl -fsS "http://localhost:$port/health/ready" >/dev/null 2>&1 && return 0
    if ! kill -0 "$(cat ".run/$name.pid")" 2>/dev/null; then echo "$name did not start; see .run/logs/$name.log" >&2; exit 1; fi
    sleep 0.5
  done
  curl -fsS "http://localhost:$port/health/ready" >/dev/null || { echo "$name is not ready on port $port; see .run/logs/$name.log" >&2; exit 1; }
}

if [ "$cluster" = 1 ]; then
  # HAProxy on the public ports, in front of each service's instances (infra/haproxy.sh writes its configuration).
  for service in "${services[@]}"; do
    servers=()
    for instance in ${instances_of[${process_of[$service]}]}; do
      servers+=("$instance=$((port_of[$service] + offset * ${instance##*-}))")
    done
    echo "$service ${port_of[$service]} ${servers[*]}"
  done | infra/haproxy.sh .run/haproxy.cfg "$(deployment .cluster.haproxy.statsPort)"
  haproxy -q -f .run/haproxy.cfg -D -p .run/haproxy.pid
fi
# The instances first (a dashboard is ready once the journey answers it: through HAProxy, with --cluster), then the
# public ports.
for instance in "${instances[@]}"; do
  for port in ${ports_of_instance[$instance]}; do await_ready "$port" "$instance"; done
done
[ "$cluster" = 0 ] || for service in "${services[@]}"; do await_ready "${port_of[$service]}" haproxy; done

if [ "$seed" = 1 ]; then
  dotnet tools/SeedLoader/bin/Release/net10.0/seed-loader.dll
fi

cat <<MSG
PatientJourney is up.
  Dashboard:  http://localhost:${port_of[dashboard]}
  Journey:    http://localhost:${port_of[journey]}/patients   (OpenAPI: /openapi/v1.json on the journey and every department)
  Logs:       .run/logs/
MSG
if [ "$cluster" = 1 ]; then
  echo "  Cluster (deployment.json's cluster section), HAProxy on the public ports: http://localhost:$(deployment .cluster.haproxy.statsPort)/ (statistics)"
  for service in "${services[@]}"; do
    private=""
    for instance in ${instances_of[${process_of[$service]}]}; do private+="${private:+, }$instance :$((port_of[$service] + offset * ${instance##*-}))"; done
    printf '    %-15s :%s -> %s\n' "$service" "${port_of[$service]}" "$private"
  done
  deployment '.cluster.rabbitmq | range(.nodes) as $i | "    RabbitMQ \(.namePrefix)\($i + 1): AMQP localhost:\(.amqpPort + $i), management http://localhost:\(.managementPort + $i)"'
  deployment '.cluster.postgres | "    PostgreSQL: primary localhost:\(.primaryPort), streaming standby localhost:\(.standbyPort) (cluster \(.standbyCluster))"'
fi
print_telemetry
print_sign_in
cat <<MSG
  A token for the API (development key): dotnet tools/JourneyAdmin/bin/Release/net10.0/journey-admin.dll token --role clinician --sub your.name
Stop with ./stop.sh
MSG
