/**
 * The same test in two files, with a file shaped unlike our generator's: the ACME T9 tester's
 * tab-separated, Ch-numbered, US 12-hour local-time export (tests/fixtures/unseen/acme-t9-tab.tsv with its
 * profile; the tester names itself "T9-03" in a "Tester" column). On both stores:
 * - exported again by T9-03 (rows reversed, CRLF, Tx power printed with one more digit, another file
 *   name) it is one attempt, whichever export arrived first;
 * - reported by "T9-05" with a different ER reading it is a file conflict whose reason names both files
 *   with their stations, in either arrival order (and `lotqa conflicts` carries the stations);
 * - re-exported by T9-03 with a different reading the reason says the one station disagrees with itself;
 * - reported by T9-05 with the same readings it stays a simultaneous attempt (HOLD), not a re-export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { evaluateRevision } from '../../src/pipeline/lot-stages.js';
import { lotConflicts } from '../../src/pipeline/lot-conflicts.js';
import { unitReadings } from '../../src/queries/unit-readings.js';
import type { Store } from '../../src/store/index.js';
import { migratedStores, postgresBackend, sqliteBackend } from '../store/support/store-backends.js';
import { reExportedCopy } from './support/re-exported-copy.js';

const UNSEEN = fileURLToPath(new URL('../fixtures/unseen/', import.meta.url));
const spec = findProduct('qsfp112-400g-dr4');
const profile = findProfile(`${UNSEEN}acme-t9-tab.profile.json`);
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
const LOT = 'L2614';
const SERIAL = 'SN0042';
/** 2:00:00 PM in Shenzhen (UTC+8). */
const TESTED_AT = '2025-03-09T06:00:00.000Z';
const TESTER = 2;
const TX_POWER_MW = 7;
const ER = 10;
let dir: string;
const path = (sub: string, name = 'acme-t9-tab.tsv') => join(dir, sub, name);
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** A line of the export with some cells changed. */
const withCells =
  (changes: Record<number, (cell: string) => string>) =>
  (line: string): string =>
    line
      .split('\t')
      .map((c, i) => changes[i]?.(c) ?? c)
      .join('\t');
/** One reading changed: the ER of the first data line (line 2 of the original). */
function firstErChanged(): (cell: string) => string {
  let done = false;
  return (cell) => {
    if (done) return cell;
    done = true;
    return (Number(cell) + 1.5).toFixed(3);
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-vendor-same-test-'));
  for (const sub of ['lot', 'again', 'other-station', 'self-conflict', 'twin']) mkdirSync(join(dir, sub));
  copyFileSync(join(UNSEEN, 'acme-t9-tab.tsv'), path('lot'));
  const original = path('lot');
  // A second unit of the lot, tested ten minutes later (so the lot keeps a unit while SN0042 is held out).
  writeFileSync(
    path('lot', 'acme-t9-tab-2.tsv'),
    readFileSync(original, 'utf8').replaceAll('SN0042', 'SN0043').replaceAll('2:00:00 PM', '2:10:00 PM'),
  );
  reExportedCopy(
    original,
    path('again', 'SN0042_reexport_20250310.tsv'),
    withCells({ [TX_POWER_MW]: (c) => (c.includes('.') ? `${c}0` : c) }),
  );
  reExportedCopy(original, path('other-station'), withCells({ [TESTER]: () => 'T9-05', [ER]: firstErChanged() }));
  reExportedCopy(original, path('self-conflict'), withCells({ [ER]: firstErChanged() }));
  reExportedCopy(original, path('twin'), withCells({ [TESTER]: () => 'T9-05' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ingest(store: Store, ...sub: string[]) {
  for (const s of sub) {
    const summary = await ingestFiles(store, await collectStationFiles([join(dir, s)]), {
      product: spec,
      profile,
      profiles: [profile],
      threads: 0,
    });
    expect(summary.rejections).toEqual([]);
    expect(summary).toMatchObject({ quarantinedRows: 0, duplicates: 0 });
  }
}

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)("the ACME T9's export of one test in two files, on %s", (_name, make) => {
  const stores = migratedStores(make, 7, async (s) => {
    await ingest(s[0]!, 'lot', 'again');
    await ingest(s[1]!, 'again', 'lot');
    await ingest(s[2]!, 'lot');
    await ingest(s[3]!, 'lot', 'other-station');
    await ingest(s[4]!, 'other-station', 'lot');
    await ingest(s[5]!, 'lot', 'self-conflict');
    await ingest(s[6]!, 'lot', 'twin');
  });

  it('exported again by T9-03 with the same readings: one attempt, as without it, whichever arrived first', async () => {
    const [a, b, alone] = await Promise.all([0, 1, 2].map((i) => evaluateRevision(stores[i]!, LOT, { policy, clock })));
    for (const e of [a!, b!]) {
      expect(e.result.units).toEqual(alone!.result.units);
      expect(e.result.units.find((u) => u.serial === SERIAL)).toMatchObject({ station: 'T9-03', attempts: 1 });
      expect(e.result.quantity.runs).toBe(alone!.result.quantity.runs);
      expect(e.result.proposal.reasons.find((r) => r.code === 're-exported-test')?.message).toContain(
        `unit ${SERIAL} at ${TESTED_AT} on T9-03`,
      );
      expect(e.result.proposal.reasons.map((r) => r.code)).not.toContain('simultaneous-attempts');
    }
    expect(b!.result).toEqual(a!.result);
    const kept = [sha(path('lot')), sha(path('again', 'SN0042_reexport_20250310.tsv'))].sort()[0];
    for (const i of [0, 1]) expect((await unitReadings(stores[i]!, LOT, SERIAL))?.attempts.map((x) => x.file.sha256)).toEqual([kept]);
  });

  it('reported by T9-05 with another ER: a conflict naming both files with their stations, in either order', async () => {
    const files = [sha(path('lot')), sha(path('other-station'))];
    const stationOf = new Map([
      [files[0]!, 'T9-03'],
      [files[1]!, 'T9-05'],
    ]);
    const sorted = [...files].sort();
    const [a, b] = await Promise.all([3, 4].map((i) => evaluateRevision(stores[i]!, LOT, { policy, clock })));
    for (const e of [a!, b!]) {
      expect(e.result.proposal.disposition).toBe('HOLD');
      const reason = e.result.proposal.reasons[0]!;
      expect(reason).toMatchObject({ code: 'file-conflict', serials: [SERIAL] });
      expect(reason.files).toEqual(sorted.map((f) => ({ sha256: f, station: stationOf.get(f) })));
      for (const f of sorted) expect(reason.message).toContain(`${f.slice(0, 12)} from ${stationOf.get(f)}`);
      expect(reason.message).toContain('the stations T9-03 and T9-05 disagree');
    }
    expect(b!.result.proposal).toEqual(a!.result.proposal);
    const listed = await lotConflicts(stores[3]!, LOT);
    expect(listed).toMatchObject([{ serial: SERIAL, testTime: TESTED_AT, files: sorted, stations: sorted.map((f) => stationOf.get(f)) }]);
    expect(await lotConflicts(stores[4]!, LOT)).toEqual(listed);
  });

  it('exported again by T9-03 with another ER: a conflict saying the one station disagrees with itself', async () => {
    const e = await evaluateRevision(stores[5]!, LOT, { policy, clock });
    const reason = e.result.proposal.reasons[0]!;
    expect(reason.code).toBe('file-conflict');
    expect(reason.files?.map((f) => f.station)).toEqual(['T9-03', 'T9-03']);
    expect(reason.message).toContain('all from station T9-03: it exported this test 2 times with different readings');
  });

  it('reported by T9-05 with the same readings: still two testers at one instant (HOLD), not a re-export', async () => {
    const e = await evaluateRevision(stores[6]!, LOT, { policy, clock });
    const codes = e.result.proposal.reasons.map((r) => r.code);
    expect(codes).toContain('simultaneous-attempts');
    expect(codes).not.toContain('re-exported-test');
    expect(e.result.proposal.disposition).toBe('HOLD');
    expect(e.result.units.find((u) => u.serial === SERIAL)).toMatchObject({ attempts: 2 });
    const reason = e.result.proposal.reasons.find((r) => r.code === 'simultaneous-attempts')!;
    expect(reason.files?.map((f) => f.station).sort()).toEqual(['T9-03', 'T9-05']);
  });
});
