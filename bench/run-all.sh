#!/usr/bin/env bash
# Runs every benchmark once and writes bench/RESULTS.md (about 7 minutes on 2 cores, builds included):
# time to first byte, throughput, added latency, DynamoDB round trips, peak memory, cold start to the first
# SSE byte (bench/run.sh), cold starts to /health (bench/cold-start.sh) and package sizes, each for Native AOT
# (what sam build ships) beside the trimmed ReadyToRun and framework-dependent fallbacks (bench/build-all.sh).
#   bench/run-all.sh              REQUESTS=100 RUNS=30 THROUGHPUT_ROUNDS=150 DYNAMO_REQUESTS=20 COLD_RUNS=20 by default
#                                 (RUNS: memory runs; THROUGHPUT_ROUNDS: throughput rounds, 150 because over 30 the
#                                 median ratio moved by up to 0.1 between runs; see bench/README.md, fifth round)
#   SKIP_BUILD=1                  reuse the builds in artifacts/bench (and the built benchmark program)
#   LAMBDA_SIZES=0                leave out bench/lambda-sizes.sh (the worker at Lambda's CPU shares, issue 25; ~8 min)
# Run it on an otherwise idle machine: every number is wall-clock time on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUNS="${RUNS:-30}"
export THROUGHPUT_ROUNDS="${THROUGHPUT_ROUNDS:-150}"
OUT=artifacts/bench
RESULTS=bench/RESULTS.md
started=$(date -u +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

[ -d node_modules/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "[run-all] building" >&2
  dotnet build bench/BedrockLambdaProxy.Benchmarks -c Release --nologo -v quiet
  dotnet build src/BedrockLambdaProxy.LocalHost -c Release --nologo -v quiet
  bench/build-all.sh
fi

echo "[run-all] in-process benchmarks" >&2
sections=$(SKIP_BUILD=1 COLD_RUNS="${COLD_RUNS:-20}" bench/run.sh)
echo "[run-all] cold starts" >&2
cold=$(SKIP_BUILD=1 RUNS="${COLD_RUNS:-20}" bench/cold-start.sh)
sizes=""
if [[ "${LAMBDA_SIZES:-1}" != 0 ]]; then
  echo "[run-all] Lambda's CPU shares" >&2
  sizes=$(SKIP_BUILD=1 REQUESTS=30 COLD_RUNS=10 bench/lambda-sizes.sh)
fi

size_of() { du -sb "$1" | cut -f1; }
{
  echo "# Benchmark results"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr), .NET SDK $(dotnet --version),"
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench ':!bench/RESULTS.md' || echo ' (with uncommitted changes)'), load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`bench/run-all.sh\` (REQUESTS=${REQUESTS:-100} RUNS=$RUNS THROUGHPUT_ROUNDS=$THROUGHPUT_ROUNDS DYNAMO_REQUESTS=${DYNAMO_REQUESTS:-20} COLD_RUNS=${COLD_RUNS:-20});"
  echo "the stack runs the Native AOT bootstrap (as deployed); every table is median and spread (p25 / p75, min / max) over the stated number of runs. Loopback only:"
  echo "the local stack's Function URL emulator, Runtime API emulator, dynalite (Node) and the Bedrock simulator share the"
  echo "2 cores with the bootstrap and the client, so absolute numbers are pessimistic and ratios are the useful part."
  echo
  echo "$sections"
  echo
  echo "### Cold starts to /health (issues 2, 6 and 9)"
  echo
  echo "$cold"
  echo
  median=$(echo "$cold" | awk -F'|' '$2 ~ /native-aot/ {gsub(/[* ]/, "", $4); print $4}')
  verdict=$(awk -v m="$median" 'BEGIN { print (m + 0 <= 30 ? "met" : "**missed**") }')
  echo "native-aot: median $median ms, target ≤ 30 ms $verdict."
  echo
  echo "Target: ≤ 30 ms for the Native AOT bootstrap, the package \`sam build\` makes (Makefile default PUBLISH_MODE=aot);"
  echo "the trimmed ReadyToRun (PUBLISH_MODE=selfcontained) and framework-dependent (PUBLISH_MODE=framework) rows are the fallbacks."
  echo
  if [[ -n "$sizes" ]]; then
    echo "$sizes"
    echo
  fi
  echo "### Package sizes (issues 6 and 9)"
  echo
  echo "Each package as \`scripts/sam-build-check.sh\` builds and zips it (what \`sam deploy\` uploads); the framework-dependent"
  echo "one carries no runtime: it runs only on the managed \`dotnet10\` runtime."
  echo
  echo "| build | zipped bytes | zipped MiB | unzipped bytes | files |"
  echo "|---|---:|---:|---:|---:|"
  for build in native-aot self-contained-r2r framework-dependent; do
    zipped=$(stat -c %s "$OUT/$build/package.zip")
    echo "| $build | $zipped | $(awk -v b="$zipped" 'BEGIN { printf "%.1f", b / 1048576 }') | $(size_of "$OUT/$build/package") | $(find "$OUT/$build/package" -type f | wc -l) |"
  done
  echo
  echo "\`scripts/check-native-deps.sh\` on the Native AOT package (what it links and the newest glibc symbol version it needs):"
  echo
  echo '```'
  scripts/check-native-deps.sh "$OUT/native-aot/package/bootstrap"
  echo '```'
  echo
  echo "Total wall time of bench/run-all.sh: $(( $(date -u +%s) - started )) s."
} > "$RESULTS"
echo "[run-all] wrote $RESULTS" >&2
