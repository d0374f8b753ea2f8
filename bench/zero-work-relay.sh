#!/usr/bin/env bash
# What the throughput benchmark allows any relay on this machine: its rounds, alternately with the
# shipped Native AOT bootstrap and with bench/ZeroWorkRelay, a worker that only moves bytes (no key,
# limits, usage record or CRC check; blocking sockets, each receive sent on as one chunk).
# Prints each run's per-round ratio rows and the worker's CPU per MB (about 3 minutes per pair).
#   bench/zero-work-relay.sh          RUNS=150 rounds per run, PAIRS=2 runs of each
#   SKIP_BUILD=1                      reuse artifacts/bench/native-aot (bench/build-all.sh) and the benchmark program
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-150}
PAIRS=${PAIRS:-2}
OUT=artifacts/bench

[ -d node_modules/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build bench/BedrockLambdaProxy.Benchmarks -c Release --nologo -v quiet
  bench/build-all.sh
fi
dotnet publish bench/ZeroWorkRelay -c Release -r linux-x64 -p:PublishAot=true --nologo -v quiet -o "$OUT/zero-work-relay" > /dev/null

for pair in $(seq "$PAIRS"); do
  for worker in native-aot=$OUT/native-aot/package/bootstrap zero-work-relay=$OUT/zero-work-relay/bootstrap; do
    echo "== run $pair: ${worker%%=*}"
    dotnet bench/BedrockLambdaProxy.Benchmarks/bin/Release/net10.0/BedrockLambdaProxy.Benchmarks.dll \
      --bootstrap "${worker#*=}" --build "native-aot=${worker#*=}" --throughput-rounds "$RUNS" --converse-throughput-only throughput 2> /dev/null \
      | grep -E '^(Per-round median|\| (SSE / direct|event-stream pass-through / direct|through proxy \(.*\| [0-9.]+ \| [0-9.]+ \| ([0-9.]+|–) \|$|direct from simulator \(event stream\) \| – ))'
  done
done
