#!/usr/bin/env bash
# The Native AOT link needs a C compiler driver (the ILCompiler looks for clang, then gcc): installs
# gcc with apt-get when neither is on PATH, so a fresh Debian/Ubuntu machine builds the bootstrap.
set -euo pipefail
if ! command -v clang > /dev/null && ! command -v gcc > /dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev > /dev/null
fi
