/**
 * `lotqa run` writes a lot's reports from the evaluation it has just made and stored (its result and
 * canonical JSON bytes in memory) instead of reading the 25 MB result of a 10,000-unit lot back from the
 * store and serialising it again. Those files must be exactly the ones the report stage writes from the
 * store (`lotqa report` in another process): the same bytes, the certificate the very document issued.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { CertificateContext } from '../../src/domain/decision.js';
import { generateHistory, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { issueReports } from '../../src/pipeline/report-stage.js';
import { signOffLot } from '../../src/pipeline/sign-off-lot.js';
import { openStore, type Store } from '../../src/store/index.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
const context: CertificateContext = {
  company: { name: 'Reuse Test Photonics Ltd.', address: ['3 Test Road'] },
  customer: 'Acme Cloud',
  purchaseOrder: 'PO-15',
  showStations: false,
};
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-reuse-'));
  const [lot] = generateHistory({ product: spec, seed: 'reuse-2', lots: [{ lot: 'RE-1', units: 30 }] });
  writeLotFiles(lot!, findProfile('wide-v2'), join(dir, 'RE-1'));
  store = openStore({ sqlitePath: join(dir, 'reuse.sqlite') });
  await store.migrate();
  const profiles = listShippedProfiles().map((e) => e.document);
  await ingestFiles(store, await collectStationFiles([join(dir, 'RE-1')]), { product: spec, profiles });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const saved = process.env.LOTQA_TIMINGS;
afterEach(() => {
  if (saved === undefined) delete process.env.LOTQA_TIMINGS;
  else process.env.LOTQA_TIMINGS = saved;
  vi.restoreAllMocks();
});

function digests(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => [
        n,
        createHash('sha256')
          .update(readFileSync(join(folder, n)))
          .digest('hex'),
      ]),
  );
}

describe('reports written from the evaluation just made', () => {
  it('are byte for byte the reports written from the store, and LOTQA_TIMINGS shows each part of the report step', async () => {
    process.env.LOTQA_TIMINGS = '1';
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    const signOff = await signOffLot(store, 'RE-1', {
      policy,
      clock,
      findSpec: () => spec,
      reports: { outDir: join(dir, 'from-run'), context },
    });
    // Nothing read back: the result, its hash and its canonical bytes came from the evaluation.
    expect(signOff.evaluated.fresh).toBe(true);
    expect(signOff.evaluated.resultJson).toBeDefined();
    const parts = lines.filter((l) => l.startsWith('lotqa timing report')).map((l) => /^lotqa timing (report(?:: [^:]+)?):/.exec(l)?.[1]);
    expect(parts).not.toContain('report: load evaluation');
    expect(parts).toEqual(
      expect.arrayContaining([
        'report: lot-result.json',
        'report: units.csv',
        'report: signals.csv',
        'report: engineering report',
        'report: folder write',
        'report',
      ]),
    );
    // An accepted lot (this seed), so the certificate is written and recorded too.
    expect(signOff.signOff.decision.disposition).toBe('ACCEPT');
    expect(parts).toContain('report: certificate');

    // The report stage on its own reads the evaluation from the store; the certificate it renders again
    // must be the document issued above (it throws otherwise) and every file the same bytes.
    const again = await issueReports(store, 'RE-1', { outDir: join(dir, 'from-store'), context, clock, findSpec: () => spec });
    expect(lines.some((l) => l.startsWith('lotqa timing report: load evaluation'))).toBe(true);
    const fromRun = digests(join(dir, 'from-run', 'RE-1'));
    expect(digests(join(dir, 'from-store', 'RE-1'))).toEqual(fromRun);
    expect(fromRun['lot-result.json']).toBe(signOff.evaluated.resultSha256);
    expect(Object.keys(fromRun)).toEqual(
      expect.arrayContaining(['lot-result.json', 'units.csv', 'signals.csv', 'engineering-RE-1-r1.pdf']),
    );
    expect(again.certificate?.pdfSha256).toBe(fromRun['coc-RE-1-r1.pdf']);
  });
});
