#!/usr/bin/env bash
# What CI runs: type check, unit and integration tests, then browser tests on the production build.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Test tools (Chromium, poppler)"
npx tsx scripts/ensure-test-tools.ts

echo "== Type check"
npx tsc

echo "== Unit and integration tests (vitest, real SQLite files, a real SMTP server)"
npx vitest run

echo "== Build"
npx remix vite:build

echo "== Browser tests (Playwright, Debian's Chromium, against the production build)"
npx playwright test
