#!/usr/bin/env bash
# Starts the whole system as a demo: installs what is missing, migrates and seeds the database,
# builds and starts the web app. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/setup.sh

if [ ! -f config.toml ]; then
  echo "==> writing config.toml with fresh secrets"
  sed -e "s|^# auth_secret = .*|auth_secret = \"$(openssl rand -hex 32)\"|" \
      -e "s|^# encryption_key = .*|encryption_key = \"$(openssl rand -hex 32)\"|" \
      -e "s|^# allow = |allow = |" \
      -e "s|^recording_enabled = false|recording_enabled = true|" \
      config.example.toml > config.toml
fi
if grep -q '^recording_enabled = false' config.toml; then
  echo "==> note: config.toml has [calling] recording_enabled = false; set it to true to record calls with agents"
fi

# Realtime: a config.toml without a Pusher app gets fresh dev credentials for our own
# Pusher-protocol server (tools/pusher-server). The keys go into the existing [pusher] table
# (TOML allows a table only once), replacing the example's use_tls = true.
if ! grep -q '^app_id' config.toml; then
  echo "==> configuring realtime (our Pusher-protocol server on 127.0.0.1:6001)"
  pusher_keys="app_id = \"ringflow-demo\"\nkey = \"$(openssl rand -hex 10)\"\nsecret = \"$(openssl rand -hex 32)\"\nhost = \"127.0.0.1\"\nport = 6001\nuse_tls = false"
  awk -v keys="$pusher_keys" '
    /^[[:space:]]*\[/ {
      in_pusher = ($0 ~ /^[[:space:]]*\[pusher\][[:space:]]*(#.*)?$/)
      print
      if (in_pusher) { print keys; found = 1 }
      next
    }
    in_pusher && /^[[:space:]]*(app_id|key|secret|host|port|use_tls)[[:space:]]*=/ { next }
    { print }
    END { if (!found) { print ""; print "[pusher]"; print keys } }
  ' config.toml > config.toml.tmp && mv config.toml.tmp config.toml
fi
# Run our server when [pusher] points at this machine (not when it names hosted Pusher).
pusher_host="$(awk '/^[[:space:]]*\[/ { p = ($0 ~ /^[[:space:]]*\[pusher\]/) } p && /^host[[:space:]]*=/ { gsub(/^[^"]*"|".*$/, ""); print }' config.toml)"

PORT="${PORT:-3000}"
SIM_PORT="${SIM_PORT:-4590}"
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:$PORT}"
export APP_URL="${APP_URL:-$NEXTAUTH_URL}"
# The demo talks to the WhatsApp simulator instead of Meta.
export GRAPH_API_BASE="${GRAPH_API_BASE:-http://127.0.0.1:$SIM_PORT}"

echo "==> migrations and demo data"
node --import tsx scripts/demo-db.ts

# Rebuilt only when something the build reads changed, so a restart takes seconds.
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib public next.config.ts proxy.ts instrumentation.ts postcss.config.mjs package-lock.json -newer .next/BUILD_ID -print -quit)" ]; then
  echo "==> building the web app"
  npx next build >/dev/null
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# The next binary itself (not the npx wrapper), so stopping this script stops the server too.
node_modules/.bin/next start -p "$PORT" &
pids+=($!)
node --import tsx tools/wa-sim/server.ts --port "$SIM_PORT" &
pids+=($!)
# One gateway process per core (npm run gateway), as in production: a 2-core machine holds twice the calls.
node --import tsx media-gateway/cluster.ts &
pids+=($!)
node --import tsx workers/main.ts &
pids+=($!)
if [ "$pusher_host" = "127.0.0.1" ] || [ "$pusher_host" = "localhost" ]; then
  node --import tsx tools/pusher-server/main.ts &
  pids+=($!)
fi

cat <<INFO

  Ringflow demo is starting on $NEXTAUTH_URL
    admin   admin@ringflow.test / ringflow-demo
    agents  ana@ringflow.test, ben@ringflow.test / ringflow-demo

  Sign in as ana, set Availability to Available, then place a simulated WhatsApp call
  that presses 1 for Sales (in another terminal):
    npm run wa-sim:call -- --digits 1
  or take the support branch (order number, HTTP callback):
    npm run wa-sim:call -- --digits 2,1234#

INFO
wait -n "${pids[@]}"
