#!/usr/bin/env bash
# Packaging checks: publint, attw (ESM + CJS under node10/node16/bundler), and the packed tarball
# installed into a fresh project where every entry point is require()d and import()ed and used.
set -euo pipefail
cd "$(dirname "$0")/.."
npx publint --strict
npx attw --pack . --format table-flipped
tarball=$(npm pack --silent --pack-destination .tmp | tail -n 1)
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
cp scripts/smoke/* "$project/"
(
  cd "$project"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --loglevel=error "$OLDPWD/.tmp/$tarball" >/dev/null
  node smoke.cjs
  node smoke.mjs
  "$OLDPWD/node_modules/.bin/tsc" -p tsconfig.json && echo "node16 CJS + ESM consumers type-check: ok"
)
node -e 'require("fs").appendFileSync(".tmp/counts", "packed-tarball 3 0\n")'
