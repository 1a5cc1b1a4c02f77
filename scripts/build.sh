#!/usr/bin/env bash
# The build: ESM + CJS + types (tsup), CommonJS types with ky inlined, node10 entry stubs.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsup --silent
entries=$(node -e 'const e=require("./package.json").exports;console.log(Object.keys(e).filter(k=>!k.endsWith(".json")).map(k=>k==="."?"index":k.slice(2)).join(" "))')
node scripts/dts-cjs.mjs $entries
node scripts/entry-stubs.mjs
