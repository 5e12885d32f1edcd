# Sourced by run.sh (from the repository's root): the local OTLP receiver, the standalone Aspire dashboard.
#   start_telemetry   restores it from the package feed (tools/TelemetryDashboard, the version pinned in
#                     Directory.Packages.props), starts it (UI on http://localhost:$TELEMETRY_UI_PORT, OTLP over HTTP on
#                     :$TELEMETRY_OTLP_HTTP_PORT and gRPC on :$TELEMETRY_OTLP_GRPC_PORT), and exports OTEL_EXPORTER_OTLP_*
#                     for the services started after it; ./stop.sh stops it with them (.run/TelemetryDashboard.pid)
#   print_telemetry   its address
# PJ_TELEMETRY=0 skips it: the services then export nothing (docs/operations.md, "Telemetry").
TELEMETRY_UI_PORT=${TELEMETRY_UI_PORT:-18888}
TELEMETRY_OTLP_HTTP_PORT=${TELEMETRY_OTLP_HTTP_PORT:-4318}
TELEMETRY_OTLP_GRPC_PORT=${TELEMETRY_OTLP_GRPC_PORT:-4317}

telemetry_dashboard_path() {
  local version packages
  version=$(sed -n 's/.*Include="Aspire.Dashboard.Sdk.linux-x64" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
  packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}
  printf '%s/aspire.dashboard.sdk.linux-x64/%s/tools/Aspire.Dashboard' "${packages%/}" "$version"
}

start_telemetry() {
  [ "${PJ_TELEMETRY:-1}" = 0 ] && return 0
  dotnet restore tools/TelemetryDashboard/PatientJourney.TelemetryDashboard.csproj -v quiet -nologo >/dev/null
  local dashboard ui="http://localhost:$TELEMETRY_UI_PORT"
  dashboard=$(telemetry_dashboard_path)
  [ -x "$dashboard" ] || { echo "the telemetry dashboard is missing at $dashboard" >&2; return 1; }
  mkdir -p .run/logs
  # Anonymous: a developer's machine, loopback only; the data is the services' telemetry, which holds no patient data.
  ASPNETCORE_URLS="$ui" ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true \
    ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://localhost:$TELEMETRY_OTLP_HTTP_PORT" \
    ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://localhost:$TELEMETRY_OTLP_GRPC_PORT" \
    nohup "$dashboard" >.run/logs/TelemetryDashboard.log 2>&1 &
  echo $! >.run/TelemetryDashboard.pid
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$ui" 2>/dev/null && break
    kill -0 "$(cat .run/TelemetryDashboard.pid)" 2>/dev/null || { echo "the telemetry dashboard did not start; see .run/logs/TelemetryDashboard.log" >&2; return 1; }
    sleep 0.5
  done
  export OTEL_EXPORTER_OTLP_ENDPOINT="http://localhost:$TELEMETRY_OTLP_HTTP_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  return 0
}

print_telemetry() {
  [ "${PJ_TELEMETRY:-1}" = 0 ] || echo "  Telemetry:  http://localhost:$TELEMETRY_UI_PORT   (traces, metrics and logs of every service; OTLP on :$TELEMETRY_OTLP_HTTP_PORT)"
}
