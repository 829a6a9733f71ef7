#!/usr/bin/env bash
# The whole test suite: installs dependencies when missing, starts Redis/PostgreSQL when stopped,
# checks formatting (prettier --check), lint (eslint, 0 problems) and types, then runs vitest against the
# real services and prints a plain "N passed, N failed" line. The run fails when a test fails, when none ran, and when any test was
# skipped or left as todo (a test that does not run checks nothing). Under CI=true vitest also refuses
# focused tests (.only); outside CI a focused run is allowed but still fails here for what it skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --strict-peer-deps --no-audit --no-fund
fi
bash scripts/ensure-services.sh
mkdir -p tmp
# The three static checks read the same files and depend on none of each other: run them side by side
# (the type-aware lint alone takes about as long as the other two together), each into its own log,
# shown only when that check fails.
npx prettier --check . >tmp/check-format.log 2>&1 &
format=$!
npx eslint . >tmp/check-lint.log 2>&1 &
lint=$!
npx tsc --noEmit >tmp/check-types.log 2>&1 &
types=$!
checks=0
wait $format || { cat tmp/check-format.log; echo "formatting: run npx prettier --write on the files above" >&2; checks=1; }
wait $lint || { cat tmp/check-lint.log; echo "lint: fix the problems above (npx eslint .)" >&2; checks=1; }
wait $types || { cat tmp/check-types.log; echo "types: fix the errors above (npx tsc --noEmit)" >&2; checks=1; }
[ $checks -eq 0 ] || exit 1
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-results.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("tmp/vitest-results.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
  if (skipped > 0) {
    for (const file of r.testResults)
      for (const t of file.assertionResults)
        if (t.status === "pending" || t.status === "todo" || t.status === "skipped")
          console.error(`not run (${t.status}): ${file.name.replace(process.cwd() + "/", "")} > ${t.fullName}`);
    console.error(`${skipped} test(s) did not run: a skipped, todo or filtered-out test fails the run`);
    process.exit(1);
  }
' || status=1
exit $status
