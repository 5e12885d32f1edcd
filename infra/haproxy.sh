#!/usr/bin/env bash
# Writes HAProxy's configuration for ./run.sh --cluster: infra/haproxy.sh FILE STATS_PORT, reading one line a service
# on standard input: "NAME PUBLIC_PORT INSTANCE=PORT INSTANCE=PORT..." (or INSTANCE=HOST:PORT). Each service's public
# port is a frontend on loopback (where the services themselves listen; PJ_HAPROXY_BIND=* for every address, as
# docker-compose.yml's infra/compose/haproxy.cfg, written by this script), balanced over its instances, each checked on /health/ready every
# 2 s and taken out after two failures. Server-sent events (the journey's /patients/{id}/changes, the dashboard's
# /patients/{id}/live) get a backend of their own whose streams may stay open an hour. The dashboard keeps its users'
# sessions in each instance's memory: a cookie (PJ_DASHBOARD) keeps a browser on the instance it signed in at.
# The statistics page: http://localhost:STATS_PORT/.
set -euo pipefail
file=$1 stats_port=$2 bind=${PJ_HAPROXY_BIND:-127.0.0.1}

servers() {
  local server name port
  for server in "$@"; do
    name=${server%%=*} port=${server##*=}
    [[ "$port" == *:* ]] || port="127.0.0.1:$port"
    echo "  server $name $port check${sticky:+ cookie $name}"
  done
}

{
  cat <<CFG
# Written by infra/haproxy.sh for ./run.sh --cluster; rewritten on every run.
global
  maxconn 4096

defaults
  mode http
  option httplog
  option forwardfor
  option redispatch
  retries 2
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout tunnel 1h
  # A server whose name does not resolve yet (a container still starting) starts as down, not as an error.
  default-server inter 2s fall 2 rise 1 init-addr last,libc,none

frontend stats
  bind $bind:$stats_port
  stats enable
  stats uri /
  stats refresh 5s
CFG
  while read -r name port instances; do
    read -ra instances <<<"$instances"
    sticky=""; [ "$name" = dashboard ] && sticky=1
    stream_route=""
    case "$name" in
      journey) stream_route='^/patients/[^/]+/changes$' ;;
      dashboard) stream_route='^/patients/[^/]+/live$' ;;
    esac
    echo
    echo "frontend $name"
    echo "  bind $bind:$port"
    if [ -n "$stream_route" ]; then
      # A stream may be quiet for long; a request's headers still come within timeout http-request, and an idle
      # keep-alive connection closes after timeout http-keep-alive.
      echo "  timeout client 1h"
      echo "  use_backend ${name}_stream if { path_reg $stream_route }"
    fi
    echo "  default_backend $name"
    for backend in "$name" ${stream_route:+"${name}_stream"}; do
      echo
      echo "backend $backend"
      echo "  balance roundrobin"
      echo "  option httpchk GET /health/ready"
      echo "  http-check expect status 200"
      [ "$backend" = "$name" ] || echo "  timeout server 1h"
      [ -z "$sticky" ] || echo "  cookie PJ_DASHBOARD insert indirect nocache httponly"
      servers "${instances[@]}"
    done
  done
} >"$file"
haproxy -q -c -f "$file"
