#!/usr/bin/env bash
# Deno: the JSR package checks (publish --dry-run type-checks every export, offline) and the Deno tests.
set -uo pipefail
cd "$(dirname "$0")/.."
npx deno publish --dry-run --allow-dirty --quiet || exit 1
npx deno check --quiet examples/deno/main.ts bench/fleet/child-deno.ts test/conformance/run-deno.test.ts test/integration/deno/ || exit 1
out=$(npx deno test --unstable-kv --allow-env --allow-read --allow-net=127.0.0.1 --no-prompt test/conformance/run-deno.test.ts test/integration/deno/ 2>&1)
status=$?
printf '%s\n' "$out"
summary=$(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -E '\| [0-9]+ passed' | tail -n 1)
passed=$(printf '%s' "$summary" | sed -E 's/.*\| ([0-9]+) passed.*/\1/')
failed=$(printf '%s' "$summary" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')
echo "deno-$(npx deno --version | head -n1 | cut -d' ' -f2) ${passed:-0} ${failed:-1}" >> .tmp/counts
exit $status
