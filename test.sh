#!/usr/bin/env bash
# Runs every test Neptune has, the PostgreSQL and S3 suites included: scripts/services.sh starts
# those servers (installing them on first use) and stops them at the end, and the API suite runs a
# second time with its app on PostgreSQL. NuGet packages restore on the way.
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

log="$(mktemp)"
stop_services=0
cleanup() {
  rm -f "$log"
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
  # The API suite once more, its app on PostgreSQL: every endpoint against the server store too.
  echo "test.sh: the API suite again on PostgreSQL (NEPTUNE_TEST_PROVIDER=postgres)"
  NEPTUNE_TEST_PROVIDER=postgres dotnet test tests/Neptune.Api.Tests -c Release --nologo --no-build 2>&1 | tee -a "$log" || status=$?
fi

# One summary line over all test projects, in the plain "N passed, N failed" form CI reads.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$skip_services" = 1 ]; then
  echo "test.sh: the PostgreSQL and S3 suites were SKIPPED (--skip-services); CI runs them"
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
