#!/usr/bin/env bash
# What `npm test` needs before it can start; npm runs this first, as the `pretest` script, because the
# test command itself (scripts/test.ts, run by tsx) is one of the npm packages a fresh clone lacks:
#   - the npm packages of package-lock.json (`npm ci`, only when `npm ls` finds one missing or wrong);
#   - the Debian packages chromium and redis-server (apt, only when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "=== dependencies"
if ! npm ls --depth=0 >/dev/null 2>&1; then
  echo "installing the npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi
need=()
for pair in "chromium:chromium" "redis-server:redis-server"; do
  bin=${pair%%:*}; pkg=${pair##*:}
  command -v "$bin" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing with apt: ${need[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
