#!/usr/bin/env bash
# The whole test suite: installs dependencies when missing, starts Redis/PostgreSQL when stopped,
# checks formatting (prettier --check), lint (eslint, 0 problems) and types while vitest runs against the
# real services, and prints a plain "N passed, N failed" line. The run fails when a test fails, when none ran, and when any test was
# skipped or left as todo (a test that does not run checks nothing). Under CI=true vitest also refuses
# focused tests (.only); outside CI a focused run is allowed but still fails here for what it skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --strict-peer-deps --no-audit --no-fund
fi
bash scripts/ensure-services.sh
mkdir -p tmp
# The compiled build the tests spawn (bin/lotqa.mjs, dist/workers), before anything reads the tree: the
# vitest global setup then finds it fresh and does not write dist.tmp-* while the checks list the files.
node --input-type=module -e 'await (await import("./scripts/build.mjs")).ensureBuild({ quiet: true })'
# The three static checks read the same files and depend on none of each other: run them side by side
# (the type-aware lint alone takes about as long as the other two together), each into its own log,
# shown only when that check fails. They run under `nice` beside vitest, whose files mostly wait on
# PostgreSQL, Redis and child processes: the checks fill the idle CPU instead of adding a minute before the
# tests start. A failed check still fails the run (after the tests).
nice -n 15 npx prettier --check . >tmp/check-format.log 2>&1 &
format=$!
nice -n 15 npx eslint . >tmp/check-lint.log 2>&1 &
lint=$!
nice -n 15 npx tsc --noEmit >tmp/check-types.log 2>&1 &
types=$!
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-results.json "$@" || status=$?
checks=0
wait $format || { cat tmp/check-format.log; echo "formatting: run npx prettier --write on the files above" >&2; checks=1; }
wait $lint || { cat tmp/check-lint.log; echo "lint: fix the problems above (npx eslint .)" >&2; checks=1; }
wait $types || { cat tmp/check-types.log; echo "types: fix the errors above (npx tsc --noEmit)" >&2; checks=1; }
[ $checks -eq 0 ] || status=1
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
