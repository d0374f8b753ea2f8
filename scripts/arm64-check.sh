#!/usr/bin/env bash
# The arm64 (Graviton) package works: builds it as `LAMBDA_ARCH=arm64 sam build` does (Native AOT,
# cross-linked for linux-arm64 on this x64 machine), checks it against AL2023 (check-native-deps.sh
# --arch arm64), then runs the arm64 bootstrap under qemu-user behind the local Runtime API and
# Function URL emulators and requires GET /health to answer 200 from an Arm64 Native AOT process.
# Installs what it needs with apt-get when missing (clang, the aarch64 cross binutils / gcc / libc,
# qemu-user-static); skips, saying why, only when apt-get itself is unavailable.
# Usage: scripts/arm64-check.sh [OUTPUT_DIR]   (default: artifacts/sam-package-arm64)
# Needs the LocalHost build (scripts/test.sh builds the solution first).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/sam-package-arm64}"

if [[ "$(uname -m)" != x86_64 ]]; then
  echo "arm64-check: this script cross-builds from x86_64; on $(uname -m) build natively with LAMBDA_ARCH=arm64 make" >&2
  exit 2
fi

have_clang() { command -v clang > /dev/null || compgen -G '/usr/bin/clang-[0-9]*' > /dev/null; }
missing=()
have_clang || missing+=(clang)
command -v aarch64-linux-gnu-ld.bfd > /dev/null || missing+=(binutils-aarch64-linux-gnu)
command -v aarch64-linux-gnu-gcc > /dev/null || missing+=(gcc-aarch64-linux-gnu)
[[ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ]] || missing+=(libc6-dev-arm64-cross)
command -v qemu-aarch64-static > /dev/null || missing+=(qemu-user-static)
if ((${#missing[@]} > 0)); then
  if ! command -v apt-get > /dev/null; then
    echo "arm64-check: SKIPPED: needs ${missing[*]} and apt-get is not available to install them"
    exit 0
  fi
  echo "arm64-check: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# sam-build-check.sh builds through the Makefile and runs check-native-deps.sh --arch arm64.
LAMBDA_ARCH=arm64 PUBLISH_MODE=aot scripts/sam-build-check.sh "$out"
out="$(cd "$out" && pwd)"

# No binfmt_misc in a container: the local host starts this wrapper, which runs the arm64 binary
# under qemu with the aarch64 loader and libc of Debian's cross packages.
wrapper="$out/qemu-bootstrap"
cat > "$wrapper" <<EOF
#!/bin/sh
exec qemu-aarch64-static -L /usr/aarch64-linux-gnu "$out/package/bootstrap" "\$@"
EOF
chmod +x "$wrapper"

localhost=src/BedrockLambdaProxy.LocalHost/bin/Release/net10.0/BedrockLambdaProxy.LocalHost.dll
[[ -f "$localhost" ]] || dotnet build src/BedrockLambdaProxy.LocalHost -c Release --nologo -v quiet
# Two fresh processes, each timed from spawn to the complete /health answer (qemu emulates every
# instruction, so the times say nothing about Graviton; they only prove the binary runs).
result=$(dotnet "$localhost" --bootstrap "$wrapper" --function-url-port 0 --api-port 0 \
  --cold-start-runs 2 --cold-start-path /health --env AWS_ACCESS_KEY_ID=check --env AWS_SECRET_ACCESS_KEY=check)
echo "$result" | sed 's/^/arm64-check: /'
if ! grep -q '"architecture":"Arm64"' <<< "$result" || ! grep -q '"nativeAot":true' <<< "$result"; then
  echo "arm64-check: FAILED: /health did not come from an Arm64 Native AOT bootstrap" >&2
  exit 1
fi
echo "arm64-check: ok: the arm64 Native AOT bootstrap answers /health under qemu-aarch64"
