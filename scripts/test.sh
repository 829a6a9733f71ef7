#!/usr/bin/env bash
# The whole test suite: installs dependencies when missing, starts Redis/PostgreSQL when stopped,
# type-checks, then runs vitest against the real services and prints a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --strict-peer-deps --no-audit --no-fund
fi
bash scripts/ensure-services.sh
npx tsc --noEmit
mkdir -p tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-results.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("tmp/vitest-results.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' || status=1
exit $status
