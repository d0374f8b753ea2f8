#!/usr/bin/env bash
# Starts the whole stack on 127.0.0.1 (no Docker, no AWS account): DynamoDB (dynalite) with the
# tables, the Bedrock simulator, and the real Native AOT bootstrap as Lambda workers behind a
# Function URL emulator (streams) and an API Gateway REST emulator (stage "prod"; streaming under
# /prod/stream/). Prints the URLs and a demo API key. Extra arguments go to the local host:
#   --bedrock aws            call real Bedrock with this environment's AWS credentials and region
#   --workers N (2)   --function-url-port P (9000)   --api-port P (9001)
#   --simulator-port P (9002)   --dynamodb-port P (9003)   --stage NAME (prod)
#   --timeout SECONDS (60)   --env KEY=VALUE (repeatable)   --demo false (no demo customer)
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules/dynalite ] || npm ci --no-audit --no-fund --loglevel=error
scripts/ensure-c-compiler.sh
# The x86_64 package targets AVX2 (docs/DEPLOY.md); a bootstrap that must run on this machine is built
# without it when this CPU lacks it.
[ "$(uname -m)" != x86_64 ] || grep -qw avx2 /proc/cpuinfo || export X64InstructionSet=x86-64-v2
# The bootstrap `sam build` ships: Native AOT by default (PUBLISH_MODE=selfcontained or framework
# for the fallbacks, see the Makefile), built with the same Makefile target.
rm -rf artifacts/bootstrap  # a previous build of another mode must not leave files behind
make --no-print-directory build-ProxyFunction ARTIFACTS_DIR="$PWD/artifacts/bootstrap" > /dev/null
dotnet build src/BedrockLambdaProxy.LocalHost -c Release --nologo -v quiet

exec dotnet src/BedrockLambdaProxy.LocalHost/bin/Release/net10.0/BedrockLambdaProxy.LocalHost.dll \
  --bootstrap artifacts/bootstrap/bootstrap "$@"
