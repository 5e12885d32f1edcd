#!/usr/bin/env bash
# Every performance figure of docs/benchmarks.md in one run: the pipeline beside its raw limits (HTTP, RabbitMQ, COPY),
# the rebuild over 1,000,000 events and the read API over 100,000 patients. Each benchmark makes its own database
# (and vhost) and drops it. `./bench.sh pipeline --seconds 60` runs one of them with its own options.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
./infra/up.sh
. infra/secrets.sh && pj_secrets_load && pj_export_operator_env
dotnet build PatientJourney.sln -c Release -v quiet -nologo
bench=bench/PatientJourney.Benchmarks/bin/Release/net10.0/PatientJourney.Benchmarks.dll
if [ "$#" -gt 0 ]; then exec dotnet "$bench" "$@"; fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
dotnet "$bench" pipeline
dotnet "$bench" pipeline --clients 8 --batch 64
dotnet "$bench" rebuild --events 1000000
dotnet "$bench" worklist --patients 100000
dotnet "$bench" backup --events 1000000
