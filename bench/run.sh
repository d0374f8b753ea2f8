#!/usr/bin/env bash
# Runs chosen in-process benchmarks (Markdown to stdout) against the local stack:
#   bench/run.sh ttfb | openai-ttfb | anthropic-ttfb | throughput | latency | dynamo | memory | coldfirstbyte ...   (none = all eight)
#   (bench/run.sh lambda-sizes, or bench/lambda-sizes.sh, runs the workers at Lambda's CPU shares: issue 25)
# The stack runs the Native AOT bootstrap (what template.yaml deploys); memory and coldfirstbyte
# compare it with the trimmed ReadyToRun and framework-dependent fallbacks (bench/build-all.sh).
# Environment: REQUESTS (100, ttfb/latency), RUNS (5, memory; and throughput unless THROUGHPUT_ROUNDS is set), COLD_RUNS (10, coldfirstbyte), DYNAMO_REQUESTS (20),
#   SKIP_BUILD=1 to reuse the builds in artifacts/bench. Extra arguments go to the benchmark program
#   (e.g. --worker-env DOTNET_GCgen0size=0x400000 for an experiment).
# Cold starts and the SAM package size are bench/cold-start.sh and scripts/sam-build-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=artifacts/bench

[ -d node_modules/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build bench/BedrockLambdaProxy.Benchmarks -c Release --nologo -v quiet
  bench/build-all.sh
fi

exec dotnet bench/BedrockLambdaProxy.Benchmarks/bin/Release/net10.0/BedrockLambdaProxy.Benchmarks.dll \
  --bootstrap "$OUT/native-aot/package/bootstrap" \
  --build "native-aot=$OUT/native-aot/package/bootstrap" \
  --build "self-contained-r2r=$OUT/self-contained-r2r/package/bootstrap" \
  --build "framework-dependent=$OUT/framework-dependent/package/bootstrap" \
  --requests "${REQUESTS:-100}" --runs "${RUNS:-5}" --throughput-rounds "${THROUGHPUT_ROUNDS:-${RUNS:-5}}" --cold-runs "${COLD_RUNS:-10}" --dynamo-requests "${DYNAMO_REQUESTS:-20}" "$@"
