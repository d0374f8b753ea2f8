#!/usr/bin/env bash
# Builds the Lambda package exactly as `sam build` does (the Makefile target SAM calls, with
# ARTIFACTS_DIR set), zips it as `sam deploy` would upload it, and prints the sizes.
# Usage: scripts/sam-build-check.sh [OUTPUT_DIR]   (default: artifacts/sam-package)
# Leaves OUTPUT_DIR/package (the unzipped files, bootstrap at the root) and OUTPUT_DIR/package.zip.
# Environment: LAMBDA_ARCH (x86_64 | arm64), PUBLISH_MODE (aot, the default | selfcontained | framework).
# A Native AOT package is also checked against Lambda's provided.al2023 (scripts/check-native-deps.sh:
# glibc symbol versions <= 2.34, only base-image libraries), so a package AL2023 cannot run fails here.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/sam-package}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/package" "$out/package.zip"
mkdir -p "$out/package"

make --no-print-directory build-ProxyFunction ARTIFACTS_DIR="$out/package"

if [[ ! -x "$out/package/bootstrap" ]]; then
  echo "sam-build-check: no executable bootstrap at the package root" >&2
  exit 1
fi

if [[ "${PUBLISH_MODE:-aot}" == aot ]]; then
  scripts/check-native-deps.sh --arch "${LAMBDA_ARCH:-x86_64}" "$out/package/bootstrap"
fi

if command -v zip > /dev/null; then
  # -X drops uid/gid extras; -y keeps symlinks as links (the runtime pack has none, but be exact).
  (cd "$out/package" && zip -q -r -X -y "$out/package.zip" .)
else
  # No zip tool: Python's zipfile, deflated, keeping each file's Unix mode as zip does.
  python3 - "$out/package" "$out/package.zip" <<'PY'
import os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            z.write(path, os.path.relpath(path, root))
PY
fi

unzipped=$(du -sb "$out/package" | cut -f1)
zipped=$(stat -c %s "$out/package.zip")
files=$(find "$out/package" -type f | wc -l)
echo "sam-build-check: package $out/package ($files files, $unzipped bytes unzipped)"
echo "sam-build-check: zip $out/package.zip ($zipped bytes, $((zipped / 1024 / 1024)) MiB zipped)"
