#!/usr/bin/env bash
# What CI runs: type check, unit and integration tests, then browser tests on the production build.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Type check"
npx tsc

echo "== Unit and integration tests (vitest, real SQLite files)"
npx vitest run

echo "== Build"
npx remix vite:build

echo "== Browser tests (Playwright, Debian's Chromium)"
npx tsx scripts/ensure-chromium.ts
npx playwright test
