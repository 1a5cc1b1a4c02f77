#!/usr/bin/env bash
# Bun: the conformance suite through Bun's own test runner (always with a path: a bare `bun test`
# would also pick up the vitest files).
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(npx bun test test/conformance/run-bun.test.ts 2>&1)
status=$?
printf '%s\n' "$out"
passed=$(printf '%s\n' "$out" | sed -nE 's/^ *([0-9]+) pass$/\1/p' | tail -n 1)
failed=$(printf '%s\n' "$out" | sed -nE 's/^ *([0-9]+) fail$/\1/p' | tail -n 1)
echo "bun-$(npx bun --version 2>/dev/null) ${passed:-0} ${failed:-1}" >> .tmp/counts
exit $status
