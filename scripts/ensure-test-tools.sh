#!/usr/bin/env bash
# Tools the test suite drives besides npm packages: promtool (checks /metrics) and Chromium (the
# dashboard test). Installed from Debian's packages when missing; does nothing when present.
set -euo pipefail

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: need ${missing[*]} (promtool, chromium) and apt-get is not available; install them and re-run." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "ensure-test-tools: installing ${missing[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
