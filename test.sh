#!/usr/bin/env bash
# Runs every test: brings up PostgreSQL and RabbitMQ (infra/up.sh), then the whole suite. Tests make their
# own database and vhost each, so this also runs while the demo system from ./run.sh is up.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# docker-compose (Debian's, offline) validates docker-compose.yml in a test; no engine is needed.
command -v docker-compose >/dev/null 2>&1 || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose; }
# The dashboard's browser tests drive Debian's chromium through Playwright (never a downloaded browser).
command -v chromium >/dev/null 2>&1 || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
# deployment.json, the one description of what runs, is read by the shell scripts with jq.
command -v jq >/dev/null 2>&1 || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q jq; }
# The OpenID Connect tests run a real OpenID provider (npm oidc-provider) from tools/OidcProvider.
source tools/OidcProvider/start.sh && install_sign_in
# Outside tools (the AsyncAPI parser, Spectral, ajv, FHIR.js) and the Node samples (amqplib) the tests run: npm ci when a lock changed.
for dir in tools/OutsideTools samples/node; do
  [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] || (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

# The suite's own backup drill archives WAL on a cluster of its own: the shared cluster's archive would only fill the
# disk with the suite's WAL (docs/operations.md).
export PJ_WAL_ARCHIVE=${PJ_WAL_ARCHIVE:-off}
./infra/up.sh
# The tests act as the administrator and as every service, with the passwords the running system has (users are global
# to the broker: a test's vhost must not give them new ones).
. infra/secrets.sh
pj_secrets_load
pj_export_operator_env

dotnet build PatientJourney.sln -v quiet -nologo
set +e
dotnet test PatientJourney.sln --no-build -nologo "$@" 2>&1 | tee .test-output.log
status=${PIPESTATUS[0]}
set -e
# One closing line over all test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s }' <(tr -d ',' < .test-output.log)
rm -f .test-output.log
exit "$status"
