#!/usr/bin/env bash
# The full chaos run (issue: reliability): 20,000 events through the department APIs while every service is killed
# (-9) and restarted at random moments, RabbitMQ and PostgreSQL restarted; prints what was accepted, delivered,
# duplicated and lost. Options pass through: ./chaos.sh --events 5000 --seed 7. Needs root (it restarts PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
./infra/up.sh >/dev/null
. infra/secrets.sh && pj_secrets_load && pj_export_operator_env
dotnet build PatientJourney.sln -c Release -v quiet -nologo
dotnet tools/Chaos/bin/Release/net10.0/chaos.dll "$@"
