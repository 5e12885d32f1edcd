#!/usr/bin/env bash
# A RabbitMQ cluster of three (or --nodes) nodes on one machine, beside Debian's own node and never joined to it.
#   infra/rabbitmq-cluster.sh up      starts the nodes, joins nodes 2.. to node 1, returns once the cluster has formed
#   infra/rabbitmq-cluster.sh down    kills every node and deletes the state directory
#   infra/rabbitmq-cluster.sh status  rabbitmqctl cluster_status of the first node that answers (extra arguments passed)
#   infra/rabbitmq-cluster.sh start N / kill N   starts node N again / kill -9 of node N's Erlang VM (tests)
#   infra/rabbitmq-cluster.sh ctl N ARGS...      rabbitmqctl ARGS against node N (rabbitmq-queues: queues N ARGS...)
# Options (defaults: deployment.json's cluster.rabbitmq, what ./run.sh --cluster runs):
#   --state-dir DIR        every node's data, logs and configuration, and the HOME whose .erlang.cookie they share
#   --amqp-port P          node i listens for AMQP on P+i-1
#   --management-port P    node i's management API and UI on P+i-1
#   --dist-port P          node i's Erlang distribution port P+i-1
#   --name PREFIX          node i is PREFIXi@$(hostname -s)
#   --nodes N
# The cookie is a copy of Debian's node's (/var/lib/rabbitmq/.erlang.cookie) where there is one, so that Debian's
# rabbitmqctl -n pj1@host (infra/up.sh's PJ_RABBIT_NODE) reaches these nodes too. With PJ_RABBIT_CLUSTER_ADMIN_USER and
# PJ_RABBIT_CLUSTER_ADMIN_PASSWORD in the environment, the cluster's first boot makes that administrator instead of
# guest (written to the nodes' configuration, mode 0600, never on a command line).
# The nodes run as the user running this script (root on our machines), from RabbitMQ's own scripts rather than
# Debian's wrappers, which switch to the rabbitmq user and its HOME.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v rabbitmq-server >/dev/null 2>&1 || { echo "rabbitmq-cluster: rabbitmq-server is not installed (infra/up.sh installs it)" >&2; exit 1; }

described() { jq -r ".cluster.rabbitmq.$1" deployment.json; }
command=${1:-}; [ $# -gt 0 ] && shift
state=${PJ_RABBIT_CLUSTER_STATE:-/var/lib/patientjourney/rabbitmq-cluster}
amqp_port=$(described amqpPort); management_port=$(described managementPort); dist_port=$(described distPort)
prefix=$(described namePrefix); nodes=$(described nodes)
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --state-dir) state=$2; shift 2 ;;
    --amqp-port) amqp_port=$2; shift 2 ;;
    --management-port) management_port=$2; shift 2 ;;
    --dist-port) dist_port=$2; shift 2 ;;
    --name) prefix=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
host=$(hostname -s)
bin=/usr/lib/rabbitmq/bin

node_name() { echo "$prefix$1@$host"; }
node_dir() { echo "$state/$prefix$1"; }
# RabbitMQ's tools with the cluster's cookie, against node $1.
tool() { local tool=$1 node=$2; shift 2; HOME="$state/home" "$bin/$tool" -n "$(node_name "$node")" "$@"; }
ctl() { tool rabbitmqctl "$@"; }
running() { tool rabbitmq-diagnostics "$1" -q ping >/dev/null 2>&1; }
# The node's Erlang VM, found by its name (RABBITMQ_NODENAME in its environment; its command line does not hold it).
beam_pid() {
  local pid
  for pid in $(pgrep -x beam.smp); do
    { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "RABBITMQ_NODENAME=$(node_name "$1")" && echo "$pid"
  done
  return 0
}

configure() {
  local i=$1 dir; dir=$(node_dir "$i")
  install -d -m 0700 "$dir" "$dir/mnesia" "$dir/log"
  (
    umask 077
    {
      echo "management.tcp.port = $((management_port + i - 1))"
      if [ -n "${PJ_RABBIT_CLUSTER_ADMIN_USER:-}" ]; then
        echo "default_user = $PJ_RABBIT_CLUSTER_ADMIN_USER"
        echo "default_pass = $PJ_RABBIT_CLUSTER_ADMIN_PASSWORD"
        echo "default_user_tags.administrator = true"
      fi
    } >"$dir/rabbitmq.conf"
    echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  )
}

start_node() {
  local i=$1 dir; dir=$(node_dir "$i")
  running "$i" && return 0
  HOME="$state/home" RABBITMQ_NODENAME="$(node_name "$i")" RABBITMQ_NODE_PORT=$((amqp_port + i - 1)) \
    RABBITMQ_DIST_PORT=$((dist_port + i - 1)) RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_PID_FILE="$dir/pid" "$bin/rabbitmq-server" -detached >>"$dir/log/startup.log" 2>&1
}

# await_startup fails at once until the node has registered with epmd: ping first.
await_node() {
  local i=$1
  for _ in $(seq 1 120); do running "$i" && break; sleep 0.5; done
  running "$i" || { echo "rabbitmq-cluster: $(node_name "$i") did not start; see $(node_dir "$i")/log/" >&2; return 1; }
  ctl "$i" -q await_startup --timeout 120 >/dev/null
}

member() { ctl 1 -q cluster_status --formatter json | jq -e --arg n "$(node_name "$2")" ".$1 | index(\$n) != null" >/dev/null 2>&1; }

up() {
  install -d -m 0700 "$state" "$state/home"
  if [ ! -s "$state/home/.erlang.cookie" ]; then
    (
      umask 077
      if [ -r /var/lib/rabbitmq/.erlang.cookie ]; then cat /var/lib/rabbitmq/.erlang.cookie
      else head -c 30 /dev/urandom | od -An -tx1 | tr -d ' \n'; fi >"$state/home/.erlang.cookie"
    )
    chmod 0400 "$state/home/.erlang.cookie"
  fi
  local i
  for i in $(seq 1 "$nodes"); do configure "$i"; start_node "$i"; done
  for i in $(seq 1 "$nodes"); do await_node "$i"; done
  for i in $(seq 2 "$nodes"); do
    member disk_nodes "$i" && continue
    ctl "$i" -q stop_app
    ctl "$i" -q join_cluster "$(node_name 1)"
    ctl "$i" -q start_app
  done
  for i in $(seq 2 "$nodes"); do
    for _ in $(seq 1 60); do member running_nodes "$i" && break; sleep 0.5; done
    member running_nodes "$i" || { echo "rabbitmq-cluster: $(node_name "$i") is not running in the cluster" >&2; exit 1; }
  done
  echo "rabbitmq-cluster: $nodes nodes $(node_name 1)..$(node_name "$nodes"), AMQP $amqp_port..$((amqp_port + nodes - 1)), management $management_port..$((management_port + nodes - 1))"
}

kill_node() {
  local pids; pids=$(beam_pid "$1")
  # shellcheck disable=SC2086 # one pid a line
  [ -z "$pids" ] || kill -9 $pids
  for _ in $(seq 1 40); do [ -z "$(beam_pid "$1")" ] && return 0; sleep 0.25; done
  echo "rabbitmq-cluster: $(node_name "$1") is still running" >&2; return 1
}

# Its data is deleted with it: nothing to stop gracefully for.
down() {
  local i
  for i in $(seq 1 "$nodes"); do kill_node "$i"; done
  rm -rf "$state"
}

case "$command" in
  up) up ;;
  down) down ;;
  status)
    for i in $(seq 1 "$nodes"); do running "$i" && { ctl "$i" -q cluster_status "${positional[@]}"; exit; }; done
    echo "rabbitmq-cluster: no node is running" >&2; exit 1 ;;
  start) start_node "${positional[0]}"; await_node "${positional[0]}" ;;
  kill) kill_node "${positional[0]}" ;;
  ctl) ctl "${positional[@]}" ;;
  queues) tool rabbitmq-queues "${positional[@]}" ;;
  *) echo "usage: infra/rabbitmq-cluster.sh up|down|status|start N|kill N|ctl N ARGS|queues N ARGS [--state-dir DIR] [--amqp-port P] [--management-port P] [--dist-port P] [--name PREFIX] [--nodes N]" >&2; exit 2 ;;
esac
