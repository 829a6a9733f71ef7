/**
 * Stored-documents bench: what the store's typed edge costs when it reads a LotResult back — the
 * compiled TypeBox check of a 10,000-unit DR8 result against `JSON.parse` of the same document (what
 * reading it costs anyway). Prints medians over the runs.
 *   npx tsx bench/stored-documents-bench.ts [units=10000] [runs=5]
 */
import { buildLotResult } from '../tests/report/support/lot-result-fixture.js';
import { canonicalJson } from '../src/report/result-hash.js';
import { checkLotResult } from '../src/store/stored-documents.js';

const units = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const json = canonicalJson(buildLotResult({ units }));
const parseMs: number[] = [];
const checkMs: number[] = [];
let t = performance.now();
checkLotResult(JSON.parse(json), 'warm-up'); // compiles the checker once
const firstMs = performance.now() - t;
for (let i = 0; i < runs; i++) {
  t = performance.now();
  const parsed: unknown = JSON.parse(json);
  parseMs.push(performance.now() - t);
  t = performance.now();
  checkLotResult(parsed, 'bench');
  checkMs.push(performance.now() - t);
}
console.log(
  JSON.stringify(
    {
      units,
      jsonMB: +(json.length / 1e6).toFixed(1),
      firstParseAndCheckMs: Math.round(firstMs),
      parseMedianMs: Math.round(median(parseMs)),
      checkMedianMs: Math.round(median(checkMs)),
      checkShareOfParse: +(median(checkMs) / median(parseMs)).toFixed(2),
    },
    null,
    2,
  ),
);
