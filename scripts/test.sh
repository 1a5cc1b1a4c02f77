#!/usr/bin/env bash
# The README's test command: everything, on every runtime the package claims.
# Installs what it needs (npm packages; chromium and redis-server through apt when missing),
# starts and stops its own servers on 127.0.0.1, and ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
export FORCE_COLOR=0 NO_COLOR=1
mkdir -p .tmp
: > .tmp/counts

step() { printf '\n=== %s\n' "$*"; }
failed_steps=()
run() { # run NAME COMMAND...: a step that fails the run but lets later steps report too
  local name=$1; shift
  step "$name"
  if ! "$@"; then failed_steps+=("$name"); echo "--- FAILED: $name"; fi
}

step "dependencies"
if ! npm ls --depth=0 >/dev/null 2>&1; then npm ci --no-audit --no-fund || exit 1; fi
bash scripts/system-deps.sh || exit 1

run "lint (biome)" npx biome check .
run "types (tsc --noEmit)" npx tsc --noEmit
run "docs (TypeDoc: every export documented, links valid)" npx typedoc --emit none --logLevel Warn
run "build (tsup + CJS types)" bash scripts/build.sh
run "node $(node --version): unit + integration (vitest)" node scripts/vitest-counted.mjs "vitest-node-$(node --version | tr -d v)"
run "deno: JSR dry run + tests" bash scripts/deno-tests.sh
run "bun: conformance" bash scripts/bun-tests.sh
run "conformance: node 20/22/24, workerd, chromium" node scripts/conformance.mjs
run "examples against the mock" node scripts/examples.mjs
run "package (publint, attw, packed tarball)" bash scripts/package-check.sh
run "size budget" node scripts/size.mjs

total_passed=$(awk '{p+=$2} END {print p+0}' .tmp/counts)
total_failed=$(awk '{f+=$3} END {print f+0}' .tmp/counts)
step "summary"
column -t .tmp/counts 2>/dev/null || cat .tmp/counts
if [ ${#failed_steps[@]} -gt 0 ]; then
  printf 'failed steps: %s\n' "${failed_steps[*]}"
  total_failed=$((total_failed > 0 ? total_failed : ${#failed_steps[@]}))
fi
echo "$total_passed passed, $total_failed failed"
[ ${#failed_steps[@]} -eq 0 ] && [ "$total_failed" -eq 0 ]
