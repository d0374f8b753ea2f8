#!/usr/bin/env bash
# Creates the first customer and API key of a freshly deployed stack: reads the stack's outputs
# (table names, URLs) with the aws CLI, then runs the admin CLI against those tables.
#
# Usage:
#   infra/bootstrap-first-customer.sh --stack bedrock-lambda-proxy --name "Acme" [--id acme] \
#       [--region eu-west-1] [--rpm 60] [--tpm 100000] [--tpd 2000000] [--monthly-quota 50000000] \
#       [--models anthropic.claude-3-haiku-20240307-v1:0,amazon.nova-lite-v1:0]
#
# Needs: aws CLI v2 with credentials allowed by infra/operator-policy.json, and the .NET SDK.
# The API key is printed once, here, and stored only as a digest: keep it somewhere safe.
set -euo pipefail
cd "$(dirname "$0")/.."

stack="" name="" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
limits=()
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) stack="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --id|--rpm|--tpm|--tpd|--monthly-quota|--models) limits+=("$1" "$2"); shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
[[ -n "$stack" && -n "$name" ]] || usage
[[ -n "$region" ]] || { echo "set --region (or AWS_REGION)" >&2; exit 2; }

output() {
  aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

export CUSTOMERS_TABLE API_KEYS_TABLE RATE_LIMITS_TABLE USAGE_TABLE
CUSTOMERS_TABLE="$(output CustomersTableName)"
API_KEYS_TABLE="$(output ApiKeysTableName)"
RATE_LIMITS_TABLE="$(output RateLimitsTableName)"
USAGE_TABLE="$(output UsageTableName)"
function_url="$(output FunctionUrl)"
api_url="$(output ApiUrl)"
for value in "$CUSTOMERS_TABLE" "$API_KEYS_TABLE" "$RATE_LIMITS_TABLE" "$USAGE_TABLE" "$function_url"; do
  if [[ -z "$value" || "$value" == "None" ]]; then
    echo "stack $stack in $region lacks the expected outputs; is it deployed from this template.yaml?" >&2
    exit 1
  fi
done
echo "stack $stack ($region): customers=$CUSTOMERS_TABLE keys=$API_KEYS_TABLE usage=$USAGE_TABLE"

admin() {
  dotnet run --project src/BedrockLambdaProxy.Admin -c Release -- "$@" --region "$region"
}

created="$(admin customers create --name "$name" "${limits[@]}" --format json)"
echo "$created"
# The JSON answer's customerId; else the table format's "Created customer <id> (<name>)." line.
customer_id="$(grep -oE '"customerId"[[:space:]]*:[[:space:]]*"[^"]+"' <<<"$created" | head -n1 | sed -E 's/.*"([^"]+)"$/\1/')"
if [[ -z "$customer_id" ]]; then
  customer_id="$(sed -nE 's/^Created customer ([^ ]+) .*/\1/p' <<<"$created" | head -n1)"
fi
if [[ -z "$customer_id" ]]; then
  echo "could not read the new customer's id from the output above; issue the key with:" >&2
  echo "  dotnet run --project src/BedrockLambdaProxy.Admin -- keys issue <customerId> --region $region" >&2
  exit 1
fi

echo
echo "Issuing an API key for $customer_id (shown once; it is stored only as a SHA-256 digest):"
admin keys issue "$customer_id"

cat <<EOF

Try it (replace \$KEY with the key above):
  curl -sS ${function_url}health
  curl -N -H "Authorization: Bearer \$KEY" ${function_url}converse \\
    -d '{"modelId":"amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"Hello"}]}]}'
  curl -sS -H "Authorization: Bearer \$KEY" ${api_url}converse \\
    -d '{"modelId":"amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"Hello"}]}]}'

Dashboard (CreateDashboard=true): $(output DashboardUrl)
Metrics namespace: $(output MetricsNamespace)
EOF
