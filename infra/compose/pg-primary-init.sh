#!/usr/bin/env bash
# docker-compose.yml's cluster profile, the PostgreSQL primary's first start (/docker-entrypoint-initdb.d): the
# standby may replicate from another container with the role's password (the image allows only loopback).
set -euo pipefail
echo "host replication all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
