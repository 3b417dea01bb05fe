#!/usr/bin/env bash
# Benchmarks: ./bench.sh [suite…] [--smoke]; writes bench/results/<date>-<suite>.md (smoke runs: bench/out/).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Neptune.Bench -c Release --nologo -v quiet
exec dotnet bench/Neptune.Bench/bin/Release/net10.0/Neptune.Bench.dll "$@"
