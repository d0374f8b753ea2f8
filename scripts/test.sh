#!/usr/bin/env bash
# Runs every test: unit, integration (real bootstrap under the local stack, dynalite, the
# Bedrock simulator) and the JavaScript SDK conformance tests. Works on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --loglevel=error
dotnet build BedrockLambdaProxy.sln -c Release -warnaserror
# The integration tests run the bootstrap exactly as Lambda would: a published executable.
dotnet publish src/BedrockLambdaProxy -c Release -o artifacts/bootstrap --nologo
dotnet test BedrockLambdaProxy.sln -c Release --no-build
