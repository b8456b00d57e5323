#!/usr/bin/env bash
# What CI runs: type check, unit and integration tests, then browser tests on the production build;
# all of it on SQLite, then all of it again on PostgreSQL (a throwaway local server) when the machine
# has one (scripts/ensure-test-tools.ts installs it from Debian's packages when run as root).
# SKIP_POSTGRES=1 runs only the SQLite suite; TEST_POSTGRES_PORT picks the throwaway server's port.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Test tools (Chromium, poppler, PostgreSQL)"
npx tsx scripts/ensure-test-tools.ts

echo "== Type check, and the PostgreSQL schema is the one written from prisma/schema.prisma"
npx tsc
npx tsx scripts/postgres-schema.ts --check

echo "== Build"
npx remix vite:build

echo "== SQLite: unit and integration tests (vitest, real SQLite files, a real SMTP server)"
env -u DATABASE_URL npx vitest run

echo "== SQLite: browser tests (Playwright, Debian's Chromium, against the production build)"
env -u DATABASE_URL npx playwright test

if [[ "${SKIP_POSTGRES:-}" == "1" ]]; then
  echo "== PostgreSQL: skipped (SKIP_POSTGRES=1)"
  exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== PostgreSQL: skipped (no server installed: apt-get install -y postgresql)"
  exit 0
fi

PG_PORT="${TEST_POSTGRES_PORT:-55433}"
PG_DIR="/tmp/mhfa-test-postgres-${PG_PORT}"
echo "== PostgreSQL: a throwaway server on port ${PG_PORT}"
npx tsx scripts/postgres-server.ts stop --dir "$PG_DIR" --port "$PG_PORT" || true
rm -rf "$PG_DIR"
PG_URL="$(npx tsx scripts/postgres-server.ts start --dir "$PG_DIR" --port "$PG_PORT")"
trap 'npx tsx scripts/postgres-server.ts stop --dir "$PG_DIR" --port "$PG_PORT" || true; rm -rf "$PG_DIR"' EXIT

echo "== PostgreSQL: unit and integration tests"
DATABASE_URL="$PG_URL" npx vitest run

echo "== PostgreSQL: browser tests"
DATABASE_URL="$PG_URL" npx playwright test
