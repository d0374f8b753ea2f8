#!/usr/bin/env bash
# Installs the browser the playground test drives (test/js/playground.test.mjs): Debian's
# chromium package. The npm driver (puppeteer-core) comes from package-lock.json via `npm ci` and
# never downloads a browser of its own. A font comes along so the test's screenshot has text
# (chromium only recommends one). Idempotent: does nothing when both are there.
# CI runs as root on a clean machine; elsewhere it uses sudo when it is there.
set -euo pipefail

if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -q DejaVuSans; then
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-browser.sh: need root (or sudo) to apt-get install chromium" >&2; exit 1; }
  as_root=(sudo)
fi
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fontconfig >/dev/null
/usr/bin/chromium --version
