#!/usr/bin/env bash
# Runs every test on a fresh clone: unit tests, integration tests (the real bootstrap under the
# local Lambda emulator, dynalite, the Bedrock simulator over HTTP), and the JavaScript tests (the
# real AWS SDK for JavaScript against the simulator and the proxy; the SAM template checks; the
# browser playground in headless Chromium).
# Needs the .NET 10 SDK and Node 20; installs the npm packages from package-lock.json itself.
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
dotnet build BedrockLambdaProxy.sln -c Release -warnaserror --nologo -v quiet
# The package `sam build` makes (self-contained, trimmed, ReadyToRun): the integration tests run
# this exact bootstrap, so a trimming or packaging fault fails here, not in AWS.
scripts/sam-build-check.sh artifacts/sam-package
set +e
export BOOTSTRAP_PATH=$root/artifacts/sam-package/package/bootstrap
export SIMULATOR_DLL=$root/src/BedrockSimulator/bin/Release/net10.0/BedrockSimulator.dll
export LOCALHOST_DLL=$root/src/BedrockLambdaProxy.LocalHost/bin/Release/net10.0/BedrockLambdaProxy.LocalHost.dll
export ADMIN_DLL=$root/src/BedrockLambdaProxy.Admin/bin/Release/net10.0/bedrock-proxy-admin.dll

step "unit tests" bash -c "dotnet test test/BedrockLambdaProxy.Tests -c Release --no-build 2>&1 | tee $logs/unit.log"
step "integration tests" bash -c "dotnet test test/BedrockLambdaProxy.IntegrationTests -c Release --no-build 2>&1 | tee $logs/integration.log"
step "javascript tests" bash -c "node --test test/js/ 2>&1 | tee $logs/js.log"

# One closing line for every runner together.
passed=0; failed=0
for log in "$logs/unit.log" "$logs/integration.log"; do
  line=$(grep -E "(Passed|Failed)! +- " "$log" | tail -n 1)
  p=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$line"); f=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$logs/js.log" | tail -n 1); f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$logs/js.log" | tail -n 1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
rm -rf "$logs"

if ((${#failed_steps[@]} > 0)); then
  echo "failed: ${failed_steps[*]}"
  echo "$passed passed, $failed failed"
  exit 1
fi
echo "$passed passed, $failed failed"
