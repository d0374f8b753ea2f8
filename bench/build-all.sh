#!/usr/bin/env bash
# Builds the three packages the benchmarks compare, each exactly as `sam build` would (the Makefile
# target, through scripts/sam-build-check.sh, which also zips it), into artifacts/bench/<name>/:
#   native-aot           PUBLISH_MODE=aot (the default, what template.yaml deploys)
#   self-contained-r2r   PUBLISH_MODE=selfcontained (trimmed ReadyToRun fallback)
#   framework-dependent  PUBLISH_MODE=framework (for the managed dotnet10 runtime)
# Each leaves <name>/package/bootstrap, <name>/package.zip and <name>/build.log (the size lines).
# Arguments name a subset (e.g. `bench/build-all.sh native-aot`); none builds all three.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=artifacts/bench
for build in native-aot=aot self-contained-r2r=selfcontained framework-dependent=framework; do
  name=${build%%=*}
  if [[ $# -gt 0 && " $* " != *" $name "* ]]; then continue; fi
  mkdir -p "$OUT/$name"
  echo "[bench] building $name" >&2
  PUBLISH_MODE=${build#*=} scripts/sam-build-check.sh "$OUT/$name" > "$OUT/$name/build.log" 2>&1 \
    || { tail -n 30 "$OUT/$name/build.log" >&2; exit 1; }
done
