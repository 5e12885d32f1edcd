# Sourced by run.sh and test.sh (from the repository's root): the development sign-in, a local OpenID provider.
#   install_sign_in   npm ci of oidc-provider from package-lock.json (only when the lock changed)
#   start_sign_in     starts it on http://localhost:$SIGN_IN_PORT (deployment.json's signIn.port) with the demo users of .run/sign-in.json, and
#                     exports the services' Auth__* settings; ./stop.sh stops it with the services (.run/SignIn.pid)
#   print_sign_in     the demo users and their passwords
SIGN_IN_PORT=${SIGN_IN_PORT:-$(jq -r .signIn.port deployment.json)}

install_sign_in() {
  command -v npm >/dev/null 2>&1 || { echo "node and npm are needed for the development sign-in (apt-get install nodejs npm)" >&2; return 1; }
  if [ ! tools/OidcProvider/node_modules/.package-lock.json -nt tools/OidcProvider/package-lock.json ]; then
    (cd tools/OidcProvider && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

start_sign_in() {
  install_sign_in
  mkdir -p .run/logs
  local issuer="http://localhost:$SIGN_IN_PORT"
  # The dashboard is where the provider sends people back to after they signed in.
  node tools/OidcProvider/demo.mjs .run/sign-in.json "$issuer" "http://localhost:$(jq -r '.services[] | select(.name == "dashboard") | .port' deployment.json)"
  nohup node tools/OidcProvider/provider.mjs .run/sign-in.json >.run/logs/SignIn.log 2>&1 &
  echo $! >.run/SignIn.pid
  for _ in $(seq 1 40); do
    curl -fsS "$issuer/.well-known/openid-configuration" >/dev/null 2>&1 && break
    kill -0 "$(cat .run/SignIn.pid)" 2>/dev/null || { echo "the sign-in did not start; see .run/logs/SignIn.log" >&2; return 1; }
    sleep 0.25
  done
  export Auth__Authority="$issuer" Auth__ClientId=dashboard
  Auth__ClientSecret=$(node tools/OidcProvider/demo.mjs .run/sign-in.json --secret dashboard); export Auth__ClientSecret
  # Beside the provider, the development key (public) still signs the seed loader's and `journey-admin token`'s
  # tokens; Development only (a service elsewhere refuses to start with it).
  [ "${ASPNETCORE_ENVIRONMENT:-Development}" = Development ] && export Auth__AcceptDevelopmentTokens=true
  return 0
}

print_sign_in() {
  echo "  Sign in at the dashboard with one of these (development sign-in at http://localhost:$SIGN_IN_PORT):"
  node tools/OidcProvider/demo.mjs .run/sign-in.json --print
}
