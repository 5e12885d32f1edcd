#!/usr/bin/env bash
# Stops the services that ./run.sh started. PostgreSQL and RabbitMQ keep running (infra/down.sh stops them).
# After ./run.sh --cluster also HAProxy (a pid file like the services'), the RabbitMQ cluster and the PostgreSQL
# standby (infra/cluster.sh down), and starts Debian's RabbitMQ node again.
set -uo pipefail
cd "$(dirname "$0")"
quiet=0; [ "${1:-}" = --quiet ] && quiet=1
shopt -s nullglob
for pidfile in .run/*.pid; do
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null && [ "$quiet" = 0 ] && echo "stopped $(basename "$pidfile" .pid)"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$pidfile"
done
if [ -e .run/cluster ]; then
  ./infra/cluster.sh down && rm -f .run/cluster
fi
exit 0
