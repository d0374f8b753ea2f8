#!/usr/bin/env bash
# Starts the local stack: the real published bootstrap as Lambda workers behind a Function URL
# emulator (streams) and an API Gateway REST emulator (stage "prod", streaming under /prod/stream/).
# No Docker, no AWS account. Extra arguments go to the local host, e.g.
#   scripts/start-local.sh --workers 4 --env BEDROCK_ENDPOINT=http://127.0.0.1:9100
# Options: --workers N (2), --function-url-port P (9000), --api-port P (9001), --stage NAME (prod),
#          --timeout SECONDS (60), --env KEY=VALUE (repeatable).
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet publish src/BedrockLambdaProxy -c Release -o artifacts/bootstrap --nologo
dotnet build src/BedrockLambdaProxy.LocalHost -c Release --nologo

# Dependencies the function talks to (dynalite, the Bedrock simulator) start here, before the
# workers, and hand their endpoints to the function with --env (or, in-process, through
# LocalStackOptions.Services / FunctionEnvironment).
EXTRA_ENV=()

exec dotnet src/BedrockLambdaProxy.LocalHost/bin/Release/net10.0/BedrockLambdaProxy.LocalHost.dll \
  --bootstrap artifacts/bootstrap/bootstrap "${EXTRA_ENV[@]}" "$@"
