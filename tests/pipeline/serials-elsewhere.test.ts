/**
 * A serial seen in another lot is warned about in the lot's result (issue 10 item 3): the read model's
 * query finds it on both stores, the evaluation names it and the other lot in an INFO reason (a warning:
 * it does not change the disposition).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { serialsInOtherLots } from '../../src/queries/index.js';
import { postgresBackend, sqliteBackend } from '../store/support/store-backends.js';

const spec = findProduct('qsfp112-400g-dr4');
const profiles = listShippedProfiles().map((e) => e.document);
const policy = findPolicy('default');
let dir: string;
let moved: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-elsewhere-'));
  const written = writeLotFiles(generateLot({ spec, lot: 'SXA', units: 5, seed: 71 }), findProfile('long-generic'), join(dir, 'SXA'));
  writeLotFiles(generateLot({ spec, lot: 'SXB', units: 3, seed: 72 }), findProfile('long-generic'), join(dir, 'SXB'));
  // One unit of SXA tested again, a day later, under lot SXB (a relabelled unit).
  const first = written.manifest.files[0]!;
  moved = first.serial;
  const lines = readFileSync(join(dir, 'SXA', first.file), 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const lotCol = header.indexOf('Lot');
  const timeCol = header.indexOf('TestTime');
  const retimed = lines.map((line, i) => {
    if (i === 0 || !line) return line;
    const cells = line.split(',');
    cells[lotCol] = 'SXB';
    cells[timeCol] = new Date(Date.parse(cells[timeCol]!) + 86_400_000).toISOString().replace('.000Z', 'Z');
    return cells.join(',');
  });
  mkdirSync(join(dir, 'relabelled'));
  writeFileSync(join(dir, 'relabelled', first.file.replace('SXA', 'SXB')), retimed.join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('serials in other lots on %s', (_name, make) => {
  it('are found by the read model and named in both lots’ results as a warning', async () => {
    const backend = make();
    const store = backend.open();
    try {
      await store.migrate();
      await ingestFiles(store, await collectStationFiles([join(dir, 'SXA'), join(dir, 'SXB'), join(dir, 'relabelled')]), {
        product: spec,
        profiles,
      });
      expect(await serialsInOtherLots(store, 'SXA')).toEqual([{ serial: moved, lots: ['SXB'] }]);
      expect(await serialsInOtherLots(store, 'SXB')).toEqual([{ serial: moved, lots: ['SXA'] }]);
      const a = (await evaluateRevision(store, 'SXA', { policy })).result;
      const warning = a.proposal.reasons.find((r) => r.code === 'serial-in-other-lot');
      expect(warning).toMatchObject({ severity: 'INFO', serials: [moved], value: 1 });
      expect(warning?.message).toContain(`${moved} (SXB)`);
      const b = (await evaluateRevision(store, 'SXB', { policy })).result;
      expect(b.proposal.reasons.find((r) => r.code === 'serial-in-other-lot')?.message).toContain(`${moved} (SXA)`);
      // A warning only: the lots' dispositions come from their own checks.
      expect(a.proposal.reasons.filter((r) => r.severity !== 'INFO').some((r) => r.code === 'serial-in-other-lot')).toBe(false);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
