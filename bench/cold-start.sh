#!/usr/bin/env bash
# Cold start of the function under the local stack: process start → first complete response
# to GET /health through the Function URL emulator. The local host starts once; each run kills
# the worker and starts a fresh bootstrap, so the stack's own start-up is never measured.
# Compares Native AOT (what sam build ships) with the trimmed ReadyToRun and framework-dependent fallbacks.
#   RUNS=10 bench/cold-start.sh            (PATH_TO_HIT=/health by default)
#   SKIP_BUILD=1        use the builds already in artifacts/bench (bench/build-all.sh makes them)
#   EXTRA_BUILDS="name=path/to/bootstrap ..."   more rows
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-10}"
PATH_TO_HIT="${PATH_TO_HIT:-/health}"
OUT=artifacts/bench

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build src/BedrockLambdaProxy.LocalHost -c Release --nologo -v quiet
  bench/build-all.sh
fi

measure() {
  local name="$1" bootstrap="$2"
  local result
  result=$(dotnet src/BedrockLambdaProxy.LocalHost/bin/Release/net10.0/BedrockLambdaProxy.LocalHost.dll \
    --bootstrap "$bootstrap" --function-url-port 0 --api-port 0 \
    --cold-start-runs "$RUNS" --cold-start-path "$PATH_TO_HIT" "${BENCH_ENV[@]}" 2>/dev/null | grep '^RESULT')
  # RESULT runs=N median=M p25=A p75=B min=C max=D
  echo "$name $result" | awk '{
    for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "| %-22s | %4s | %10s | %8s | %8s | %8s | %8s |\n", $1, v["runs"], "**" v["median"] "**", v["p25"], v["p75"], v["min"], v["max"]
  }'
}

# The function reads its settings at start-up; give it what it needs to reach /health.
BENCH_ENV=(--env AWS_ACCESS_KEY_ID=bench --env AWS_SECRET_ACCESS_KEY=bench)

echo "Cold start, process start → first complete $PATH_TO_HIT response through the Function URL emulator (ms), $RUNS runs each, $(nproc) cores"
echo
echo "| build                  | runs | median ms  | p25 ms   | p75 ms   | min ms   | max ms   |"
echo "|------------------------|-----:|-----------:|---------:|---------:|---------:|---------:|"
for name in native-aot self-contained-r2r framework-dependent; do
  measure "$name" "$OUT/$name/package/bootstrap"
done
for extra in ${EXTRA_BUILDS:-}; do
  measure "${extra%%=*}" "${extra#*=}"
done
