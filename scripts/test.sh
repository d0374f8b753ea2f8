#!/usr/bin/env bash
# Runs every test on a fresh clone: unit tests, integration tests (the real bootstrap under the
# local Lambda emulator, dynalite, the Bedrock simulator over HTTP), and the JavaScript tests (the
# real AWS SDK for JavaScript against the simulator and the proxy; the SAM template checks; the
# browser playground in headless Chromium).
# Needs the .NET 10 SDK, Node 20 and a C toolchain (gcc or clang) for the Native AOT link; installs
# the npm packages from package-lock.json itself, Debian's chromium (scripts/install-browser.sh), and
# scripts/arm64-check.sh installs the aarch64 cross toolchain and qemu-user-static with apt-get when
# they are missing.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
logs=$(mktemp -d)
failed_steps=()

step() { # name, command...: runs a step, keeps going on failure, remembers it
  local name=$1; shift
  echo "==> $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

set -e
# Debian's chromium for the playground's browser test (test/js/playground.test.mjs).
scripts/install-browser.sh
npm ci --no-audit --no-fund --loglevel=error
scripts/ensure-c-compiler.sh
# The x86_64 package targets AVX2 (docs/DEPLOY.md); the bootstrap these tests run is built without it
# when this CPU lacks it.
[ "$(uname -m)" != x86_64 ] || grep -qw avx2 /proc/cpuinfo || export X64InstructionSet=x86-64-v2
dotnet build BedrockLambdaProxy.sln -c Release -warnaserror --nologo -v quiet
# The package `sam build` makes (Native AOT, the Makefile's default): the integration tests, the
# JavaScript tests and the local stack run this exact bootstrap, so an AOT or packaging fault fails
# here, not in AWS. sam-build-check.sh also fails if the binary needs a glibc newer than AL2023's
# 2.34 or a library outside its base image (scripts/check-native-deps.sh).
scripts/sam-build-check.sh artifacts/sam-package
set +e
export BOOTSTRAP_PATH=$root/artifacts/sam-package/package/bootstrap
export SIMULATOR_DLL=$root/src/BedrockSimulator/bin/Release/net10.0/BedrockSimulator.dll
export LOCALHOST_DLL=$root/src/BedrockLambdaProxy.LocalHost/bin/Release/net10.0/BedrockLambdaProxy.LocalHost.dll
export ADMIN_DLL=$root/src/BedrockLambdaProxy.Admin/bin/Release/net10.0/bedrock-proxy-admin.dll

step "unit tests" bash -o pipefail -c "dotnet test test/BedrockLambdaProxy.Tests -c Release --no-build 2>&1 | tee $logs/unit.log"
step "integration tests" bash -o pipefail -c "dotnet test test/BedrockLambdaProxy.IntegrationTests -c Release --no-build 2>&1 | tee $logs/integration.log"
step "javascript tests" bash -o pipefail -c "node --test test/js/ 2>&1 | tee $logs/js.log"
# The documented fallback (PUBLISH_MODE=selfcontained: trimmed ReadyToRun) must not rot: build its
# package and run a smoke subset on it (/health names the build; one streamed proxied answer).
step "ReadyToRun fallback smoke" bash -c "set -o pipefail; PUBLISH_MODE=selfcontained scripts/sam-build-check.sh artifacts/sam-package-r2r > $logs/r2r-build.log 2>&1 \
  && BOOTSTRAP_PATH=$root/artifacts/sam-package-r2r/package/bootstrap dotnet test test/BedrockLambdaProxy.IntegrationTests -c Release --no-build \
     --filter 'FullyQualifiedName~BootstrapStackTests|FullyQualifiedName~Converse_StreamThroughFunctionUrl_SseEventsThenDone' 2>&1 | tee $logs/r2r.log \
  || { tail -n 30 $logs/r2r-build.log; exit 1; }"
# The arm64 (Graviton) package: cross-built Native AOT, checked against AL2023, /health under qemu.
step "arm64 package under qemu" scripts/arm64-check.sh

# One closing line for every runner together.
passed=0; failed=0
for log in "$logs/unit.log" "$logs/integration.log" "$logs/r2r.log"; do
  line=$(grep -E "(Passed|Failed)! +- " "$log" 2> /dev/null | tail -n 1)
  p=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$line"); f=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$logs/js.log" | tail -n 1); f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$logs/js.log" | tail -n 1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
rm -rf "$logs"

# A runner piped through tee exits with tee's status: its failed count decides as well.
if ((${#failed_steps[@]} > 0 || failed > 0)); then
  echo "failed: ${failed_steps[*]:-tests}"
  echo "$passed passed, $failed failed"
  exit 1
fi
echo "$passed passed, $failed failed"
