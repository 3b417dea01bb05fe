#!/usr/bin/env bash
# Runs every test Neptune has: the .NET suites (the PostgreSQL and S3 suites included), the API and indexer suites
# a second time with their apps on PostgreSQL, then the web UI's typecheck, lint, unit tests and browser tests.
# Installs what it needs on the way: NuGet packages, npm packages (npm ci), Debian's chromium when missing, and
# PostgreSQL 17 + pgvector and radosgw through scripts/services.sh (started on 127.0.0.1, stopped at the end).
#
#   ./test.sh                    everything
#   ./test.sh --skip-services    a developer's shortcut: no servers, their suites show as skipped
#                                (also NEPTUNE_SKIP_SERVICES=1); refused under CI, which never skips them
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

skip_services="${NEPTUNE_SKIP_SERVICES:-0}"
for arg in "$@"; do
  case "$arg" in
    --skip-services) skip_services=1 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown argument '$arg' (see ./test.sh --help)" >&2; exit 2 ;;
  esac
done
if [ "$skip_services" = 1 ] && [ "${CI:-}" = true ]; then
  echo "test.sh: CI never skips the PostgreSQL and S3 suites; starting the servers anyway" >&2
  skip_services=0
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is needed and was not found on PATH." >&2
  exit 1
fi

work="$(mktemp -d)"
log="$work/dotnet.log"
stop_services=0
cleanup() {
  rm -rf "$work"
  if [ "$stop_services" = 1 ]; then scripts/services.sh down || true; fi
}
trap cleanup EXIT

if [ "$skip_services" = 1 ]; then
  unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE Neptune__Database__ConnectionString \
    S3_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY S3_BUCKET
  echo "test.sh: --skip-services: the PostgreSQL and S3 suites will be skipped" >&2
else
  # Servers that were already up (scripts/services.sh up by hand) are used and left running.
  scripts/services.sh status 2>/dev/null || stop_services=1
  exports="$(scripts/services.sh up)"
  eval "$exports"
fi

status=0
dotnet test Neptune.slnx -c Release --nologo 2>&1 | tee "$log" || status=$?
if [ "$skip_services" != 1 ]; then
  # The API and indexer suites once more, their apps on PostgreSQL: every endpoint and indexer step against the server store too.
  for suite in Api Indexer; do
    echo "test.sh: the $suite suite again on PostgreSQL (NEPTUNE_TEST_PROVIDER=postgres)"
    NEPTUNE_TEST_PROVIDER=postgres dotnet test "tests/Neptune.$suite.Tests" -c Release --nologo --no-build 2>&1 | tee -a "$log" || status=$?
  done
fi

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

# One check that is not a test runner (typecheck, lint, an install) counts as one test.
check() {
  local name="$1"; shift
  echo "== web: $name"
  if "$@"; then passed=$((passed + 1)); else echo "test.sh: web $name FAILED" >&2; failed=$((failed + 1)); fi
}

# A Vitest run counts its tests, read from its JSON report; a run that wrote none (it crashed) counts as one failure.
vitest_run() {
  local name="$1" report="$work/$1.json"; shift
  echo "== web: $name"
  (cd web && npx vitest run "$@" --reporter=default --reporter=json --outputFile="$report") || true
  if [ -s "$report" ]; then
    # A failure outside any test (global setup, a file that does not load) fails the run without failing a test: count it.
    read -r p f s < <(node -e 'const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests || (r.success ? 0 : 1), r.numPendingTests + r.numTodoTests)' "$report")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  else
    echo "test.sh: web $name wrote no report" >&2
    failed=$((failed + 1))
  fi
}

install_web_deps() {
  local stamp=web/node_modules/.neptune-lock
  if [ -d web/node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" = "$(sha256sum <web/package-lock.json)" ]; then return 0; fi
  (cd web && npm ci --no-audit --no-fund) && sha256sum <web/package-lock.json >"$stamp"
}

install_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return 0
  echo "test.sh: installing Debian's chromium for the browser tests…"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

if ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: npm was not found: the web UI tests need Node.js 20+ with npm." >&2
  failed=$((failed + 1))
elif check "npm ci" install_web_deps; then
  check typecheck bash -c 'cd web && npm run --silent typecheck'
  check lint bash -c 'cd web && npm run --silent lint'
  vitest_run unit
  if check "chromium" install_chromium; then
    vitest_run e2e --config vitest.e2e.config.ts
  fi
fi

if [ "$skip_services" = 1 ]; then
  echo "test.sh: the PostgreSQL and S3 suites were SKIPPED (--skip-services); CI runs them"
fi

# One summary line over all test projects, in the plain "N passed, N failed" form CI reads.
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
