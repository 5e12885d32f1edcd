#!/usr/bin/env bash
# The servers of ./run.sh --cluster on one machine (deployment.json's cluster section; docs/architecture.md,
# "Production picture"), after infra/up.sh has brought up the machine's PostgreSQL and RabbitMQ:
#   infra/cluster.sh up     stops Debian's RabbitMQ node and starts a cluster of three in its place on the same ports
#                           (infra/rabbitmq-cluster.sh), with the administrator, vhost and service accounts infra/up.sh
#                           makes (its passwords, from the secrets file); then a streaming standby of PostgreSQL
#                           (infra/pg-standby.sh)
#   infra/cluster.sh down   drops the standby, stops the cluster and deletes its data, and starts Debian's node again
# Debian's node never joins the cluster: a clustered node whose peers are gone can wait minutes at boot.
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/secrets.sh

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
first_node="$(jq -r .cluster.rabbitmq.namePrefix deployment.json)1@$(hostname -s)"

case "${1:-}" in
  up)
    pj_secrets_load
    command -v haproxy >/dev/null 2>&1 || { echo "cluster: installing haproxy"; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy >/dev/null; }
    if as_root rabbitmqctl -q status >/dev/null 2>&1; then
      echo "cluster: stopping Debian's RabbitMQ node (./stop.sh starts it again)"
      as_root rabbitmqctl -q stop
    fi
    as_root env PJ_RABBIT_CLUSTER_ADMIN_USER="$PJ_RABBIT_ADMIN_USER" PJ_RABBIT_CLUSTER_ADMIN_PASSWORD="$PJ_RABBIT_ADMIN_PASSWORD" \
      infra/rabbitmq-cluster.sh up
    # The administrator of the cluster's first boot: until every node lists it, infra/up.sh would take it for missing.
    for _ in $(seq 1 60); do
      as_root rabbitmqctl -n "$first_node" -q list_users 2>/dev/null | grep -q "^$PJ_RABBIT_ADMIN_USER\b" && break
      sleep 0.5
    done
    # The cluster's copy of Debian's cookie lets infra/up.sh's rabbitmqctl reach its first node.
    PJ_RABBIT_NODE=$first_node ./infra/up.sh | grep -v '^infra: \(WAL\|secrets\)'
    as_root infra/pg-standby.sh up
    ;;
  down)
    as_root infra/pg-standby.sh down >/dev/null
    as_root infra/rabbitmq-cluster.sh down
    echo "cluster: RabbitMQ cluster and PostgreSQL standby stopped; starting Debian's RabbitMQ node again"
    ./infra/up.sh >/dev/null
    ;;
  *) echo "usage: infra/cluster.sh up|down" >&2; exit 2 ;;
esac
