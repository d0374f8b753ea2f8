#!/usr/bin/env bash
# Runs chosen in-process benchmarks (Markdown to stdout) against the local stack:
#   bench/run.sh ttfb | openai-ttfb | throughput | latency | dynamo | memory ...   (none = all six)
# The stack runs the trimmed self-contained ReadyToRun bootstrap (what template.yaml deploys); the memory
# benchmark also measures the framework-dependent one.
# Environment: REQUESTS (100, ttfb/latency), RUNS (5, throughput/memory), DYNAMO_REQUESTS (20),
#   SKIP_BUILD=1 to reuse the builds in artifacts/bench. Extra arguments go to the benchmark program
#   (e.g. --worker-env DOTNET_GCgen0size=0x400000 for an experiment).
# Cold starts and the SAM package size are bench/cold-start.sh and scripts/sam-build-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=artifacts/bench

[ -d node_modules/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build bench/BedrockLambdaProxy.Benchmarks -c Release --nologo -v quiet
  dotnet publish src/BedrockLambdaProxy -c Release -o "$OUT/framework-dependent" --nologo -v quiet
  dotnet publish src/BedrockLambdaProxy -c Release -r linux-x64 --self-contained \
    -p:PublishTrimmed=true -p:PublishReadyToRun=true -o "$OUT/self-contained-r2r" --nologo -v quiet
fi

exec dotnet bench/BedrockLambdaProxy.Benchmarks/bin/Release/net10.0/BedrockLambdaProxy.Benchmarks.dll \
  --bootstrap "$OUT/self-contained-r2r/bootstrap" \
  --memory-build "self-contained trimmed R2R=$OUT/self-contained-r2r/bootstrap" \
  --memory-build "framework-dependent=$OUT/framework-dependent/bootstrap" \
  --requests "${REQUESTS:-100}" --runs "${RUNS:-5}" --dynamo-requests "${DYNAMO_REQUESTS:-20}" "$@"
