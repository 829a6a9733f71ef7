/**
 * The speed work on `lotqa run` (issue 15) must not change a byte of a LotResult. Small generated lots in
 * a wide vendor layout (decimal commas, mW, a preamble, retests) and a long one with station limits and
 * verdicts go through the whole embedded path twice — parsed here and parsed on a pool thread (columns
 * handed to the store without measurement objects) — into two SQLite stores, and are evaluated: both
 * give the same stored readings, the same canonical JSON and the same result hash. That hash is also
 * recomputed independently: SHA-256 of the result serialised by a plain recursive key-sorting writer
 * (RFC 8785 for these values), not the optimised one.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { canonicalJson } from '../../src/report/result-hash.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { openStore, type Store } from '../../src/store/index.js';

const spec = findProduct('osfp-800g-dr8');
const profiles = listShippedProfiles().map((e) => e.document);
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
let dir: string;

/** Canonical JSON the slow, obvious way: sorted keys at every level, JSON.stringify for the leaves. */
function referenceCanonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : referenceCanonical(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${referenceCanonical(record[k])}`).join(',')}}`;
}

const LOTS = [
  { lot: 'RP-WIDE', profile: 'wide-eu-preamble', units: 60 },
  { lot: 'RP-LONG', profile: 'long-generic', units: 25 },
] as const;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-run-paths-'));
  for (const l of LOTS) {
    const lot = generateLot({ spec, lot: l.lot, units: l.units, seed: `run-paths/${l.lot}`, retestRate: 0.05 });
    writeLotFiles(lot, findProfile(l.profile), join(dir, l.lot));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runLot(lot: string, threads: number) {
  const storeDir = mkdtempSync(join(tmpdir(), 'lotqa-run-paths-store-'));
  const store: Store = openStore({ sqlitePath: join(storeDir, 'store.sqlite') });
  try {
    await store.migrate();
    const files = await collectStationFiles([join(dir, lot)]);
    const summary = await ingestFiles(store, files, { product: spec, profiles, threads });
    const evaluated = await evaluateRevision(store, lot, { policy, spec, clock });
    const data = await store.loadLot(lot);
    const json = canonicalJson(evaluated.result);
    return { summary, evaluated, data, json };
  } finally {
    await store.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

describe.each(LOTS)('a generated lot ($profile, $units units) through the embedded run', ({ lot }) => {
  it('gives the same stored readings and the same LotResult bytes parsed here and on a parse thread', async () => {
    const here = await runLot(lot, 0);
    const pooled = await runLot(lot, 1);
    expect(here.summary.rejected).toBe(0);
    expect(here.summary.measurements).toBeGreaterThan(1000);
    expect(pooled.summary).toEqual(here.summary);
    expect(pooled.data).toEqual(here.data);
    expect(pooled.json).toBe(here.json);
    expect(pooled.evaluated.resultSha256).toBe(here.evaluated.resultSha256);
  });

  it('names the result by the SHA-256 of its canonical JSON, recomputed by a plain writer', async () => {
    const { evaluated, json } = await runLot(lot, 0);
    const reference = referenceCanonical(evaluated.result);
    expect(json).toBe(reference);
    expect(evaluated.resultSha256).toBe(createHash('sha256').update(reference).digest('hex'));
  });
});
