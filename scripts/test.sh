#!/usr/bin/env bash
# The whole test suite: lint, types, unit + integration (real PostgreSQL/Redis), production build,
# then HTTP and browser tests against that build. Prints "N passed, N failed" at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/setup.sh

mkdir -p artifacts
rm -f artifacts/vitest-*.json
status=0

echo "==> lint (biome)"
npx biome check . || status=1

# The build comes before tsc: it writes the route types (.next/types) that tsc then checks with
# everything else, so the build skips Next's own TypeScript pass over the same files (next.config.ts).
echo "==> production build"
build_ok=true
if ! RINGFLOW_BUILD_TYPECHECKED_BY_TSC=1 npx next build >artifacts/next-build.log 2>&1; then
  build_ok=false
  tail -40 artifacts/next-build.log
  echo "next build failed" >&2
  status=1
fi
echo "==> typecheck (tsc)"
npx tsc --noEmit || status=1

echo "==> unit + integration tests"
npx vitest run --coverage --reporter=default --reporter=json --outputFile.json=artifacts/vitest-core.json || status=1

echo "==> end-to-end calls (media gateway + simulated WhatsApp caller)"
npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=artifacts/vitest-e2e.json || status=1

if $build_ok; then
  echo "==> web + browser tests"
  npx vitest run -c vitest.web.config.ts --reporter=default --reporter=json --outputFile.json=artifacts/vitest-web.json || status=1
fi

node scripts/test-summary.mjs artifacts/vitest-core.json artifacts/vitest-e2e.json artifacts/vitest-web.json
exit $status
