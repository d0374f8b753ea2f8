#!/usr/bin/env bash
# Issue 25: the proxy at Lambda's CPU shares. Runs the Native AOT worker under a cgroup CFS quota of
# memory / 1769 MB of one CPU for 128, 256, 512, 1024 and 1769 MB (and once on the full machine) and prints,
# per size, the TTFB the proxy adds on each streamed surface (Converse SSE, Bedrock-native stream, OpenAI,
# Anthropic), the worker's CPU per warm request, cold start → first SSE byte with the DynamoDB round trips
# before Bedrock, and the 10 MB stream rate; then the memory/cost table for docs/DEPLOY.md. Markdown to stdout.
# Needs a writable cgroup cpu controller (root; v1 /sys/fs/cgroup/cpu or v2 cpu.max); without one it says so,
# measures only the full-machine row and exits 0.
#   bench/lambda-sizes.sh                 REQUESTS=30 COLD_RUNS=10 STREAM_ROUNDS=3 SIZES=128,256,512,1024,1769 CFS_PERIOD_US=20000
#   SKIP_BUILD=1                          reuse artifacts/bench/native-aot (bench/build-all.sh or a previous run)
# About 6 minutes on 2 cores after the build. Run it on an otherwise idle machine: every number is wall-clock on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=artifacts/bench

[ -d node_modules/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
[[ "${SKIP_BUILD:-0}" == 1 ]] || { dotnet build bench/BedrockLambdaProxy.Benchmarks -c Release --nologo -v quiet && bench/build-all.sh native-aot; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet bench/BedrockLambdaProxy.Benchmarks/bin/Release/net10.0/BedrockLambdaProxy.Benchmarks.dll \
  --bootstrap "$OUT/native-aot/package/bootstrap" \
  --requests "${REQUESTS:-30}" --cold-runs "${COLD_RUNS:-10}" --stream-rounds "${STREAM_ROUNDS:-3}" \
  --sizes "${SIZES:-128,256,512,1024,1769}" --cfs-period-us "${CFS_PERIOD_US:-20000}" "$@" lambda-sizes
echo
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), commit $(git rev-parse --short HEAD),"
echo "load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Command: \`bench/lambda-sizes.sh\` (REQUESTS=${REQUESTS:-30} COLD_RUNS=${COLD_RUNS:-10} STREAM_ROUNDS=${STREAM_ROUNDS:-3} SIZES=${SIZES:-128,256,512,1024,1769} CFS_PERIOD_US=${CFS_PERIOD_US:-20000})."
