/**
 * Memory of the evaluation path, step by step, on a lot already in a SQLite store (e.g. the one a
 * `lotqa run` left, `LOTQA_SQLITE_PATH=… lotqa run <lot> --no-reports`): load the readings, evaluate
 * (without a baseline, releasing the reading columns once the cube holds them), write the canonical
 * JSON as UTF-8 bytes while hashing them, store them (as a new revision). After each step: resident set size, the process's peak so far, V8 heap used and typed-array
 * memory. Run it on a copy of the store (it adds an evaluation).
 *
 *   npx tsx bench/evaluate-memory.ts <store.sqlite> <lot> [product=osfp-800g-dr8]
 *
 * One run, no timing (memory figures are steady under load; times are not): it says which step sets
 * the peak of `lotqa run` and what is held at that moment.
 */
import { loadavg } from 'node:os';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { findProduct } from '../src/domain/catalog.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { canonicalJsonDigest } from '../src/report/result-hash.js';
import { openStore } from '../src/store/index.js';

const [path, lot, product = 'osfp-800g-dr8'] = process.argv.slice(2);
if (path === undefined || lot === undefined) {
  console.error('usage: npx tsx bench/evaluate-memory.ts <store.sqlite> <lot> [product]');
  process.exit(2);
}

const MB = 1024 * 1024;
function step(name: string): void {
  const m = process.memoryUsage();
  console.log(
    `${name.padEnd(24)} RSS ${(m.rss / MB).toFixed(0).padStart(5)} MB  peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0).padStart(5)} MB  heap ${(m.heapUsed / MB).toFixed(0).padStart(5)} MB  typed arrays ${(m.arrayBuffers / MB).toFixed(0).padStart(5)} MB`,
  );
}

console.log(`load average ${loadavg()[0]?.toFixed(2)}`);
const store = openStore({ sqlitePath: path });
step('store open');
let data: Awaited<ReturnType<typeof store.loadLot>> | null = await store.loadLot(lot);
// The store's connection keeps its last answer until the next statement: one small query lets go of it.
await store.lotSummary(lot);
step('readings loaded');
// As `lotqa run` evaluates (lot-stages.ts): the cube takes the readings and the columns are released.
const result = evaluateLot({
  lot: data,
  spec: findProduct(product),
  policy: findPolicy('default'),
  baseline: null,
  revision: 1,
  releaseReadings: true,
});
step('evaluated');
data = null;
step('readings dropped');
const { bytes: json, sha256: hash } = canonicalJsonDigest(result);
step(`canonical JSON hashed (${(json.length / 1e6).toFixed(0)} MB)`);
await store.saveEvaluation({
  lot,
  contentHash: '0'.repeat(64),
  resultSha256: hash,
  result,
  resultJson: json,
  evaluatedAt: new Date().toISOString(),
});
step('stored');
console.log(`result sha256 ${hash}`);
await store.close();
