#!/usr/bin/env bash
# The whole test suite: installs dependencies when missing, starts Redis/PostgreSQL when stopped,
# type-checks, then runs vitest against the real services.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --strict-peer-deps --no-audit --no-fund
fi
bash scripts/ensure-services.sh
npx tsc --noEmit
npx vitest run "$@"
