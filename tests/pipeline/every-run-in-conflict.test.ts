/**
 * Fail closed: a lot whose every run is held out by unresolved file conflicts is HELD with a stored
 * result — the conflicts (serial, files, stations) and that no unit could be evaluated — in whichever
 * order its files arrive, on both stores; it cannot be accepted or certified; its engineering report
 * renders the reasons without charts; keeping one file per conflict makes it judgeable again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';
import { decideByEngineer, evaluateRevision, signOffByPolicy } from '../../src/pipeline/lot-stages.js';
import { resolveConflict } from '../../src/pipeline/lot-conflicts.js';
import { issueReports } from '../../src/pipeline/report-stage.js';
import { renderCertificate } from '../../src/report/coc-pdf.js';
import { resultSha256 } from '../../src/report/result-hash.js';
import type { Store } from '../../src/store/index.js';
import { migratedStores, postgresBackend, sqliteBackend } from '../store/support/store-backends.js';
import { pdfPages } from '../report/support/pdf-text.js';
import { conflictingCopy } from './support/conflicting-copy.js';
import { LOTQA_VERSION } from '../../src/version.js';
import { ingestFolders } from './support/ingest-folders.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
const LOT = 'CFALL1';
let dir: string;
/** Each unit's file and its conflicting copy, by serial. */
let pairs: { serial: string; original: string; changed: string }[];
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-all-conflicts-'));
  const written = writeLotFiles(generateLot({ spec, lot: LOT, units: 2, seed: 47 }), findProfile('long-generic'), join(dir, 'lot'));
  mkdirSync(join(dir, 'again'));
  // Every unit's file sent again with one reading changed: no run of the lot is left to judge.
  pairs = written.manifest.files.map((f) => {
    const original = join(dir, 'lot', f.file);
    const changed = join(dir, 'again', f.file);
    conflictingCopy(original, changed);
    return { serial: f.serial, original, changed };
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ingest = (store: Store, ...folders: string[]) => ingestFolders(store, dir, folders, spec);

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('a lot whose every run is in conflict on %s', (_name, make) => {
  const stores = migratedStores(make, 2, async (stores) => {
    // Store 0: the originals first, then the changed copies. Store 1: the other way round.
    await ingest(stores[0]!, 'lot');
    await ingest(stores[0]!, 'again');
    await ingest(stores[1]!, 'again');
    await ingest(stores[1]!, 'lot');
  });

  it('is held with a stored result naming each conflict and that no unit could be evaluated, alike in either arrival order', async () => {
    const [a, b] = [await evaluateRevision(stores[0]!, LOT, { policy, clock }), await evaluateRevision(stores[1]!, LOT, { policy, clock })];
    const serials = pairs.map((p) => p.serial).sort();
    expect(serials).toHaveLength(2);
    for (const e of [a, b]) {
      expect(e).toMatchObject({ revision: 1, fresh: true, why: 'first' });
      const { result } = e;
      expect(result.proposal.disposition).toBe('HOLD');
      const codes = result.proposal.reasons.map((r) => r.code);
      expect(codes.filter((c) => c === 'file-conflict')).toHaveLength(2);
      expect(codes).toContain('no-units-evaluated');
      // The conflicts first (what an engineer must settle), one per unit, each naming its two files and their station.
      serials.forEach((serial, i) => {
        const reason = result.proposal.reasons[i]!;
        const pair = pairs.find((p) => p.serial === serial)!;
        expect(reason).toMatchObject({ code: 'file-conflict', severity: 'HOLD', serials: [serial] });
        // Both files of a unit come from the station that tested it (the generator spreads units over stations).
        const station = reason.files![0]!.station;
        expect(station).toMatch(/^ATE-0\d$/);
        expect(reason.files).toEqual([sha(pair.original), sha(pair.changed)].sort().map((f) => ({ sha256: f, station })));
        expect(reason.message).toContain(`${sha(pair.changed).slice(0, 12)} from ${station}`);
      });
      const none = result.proposal.reasons.find((r) => r.code === 'no-units-evaluated')!;
      expect(none.severity).toBe('HOLD');
      expect(none.serials).toEqual(serials);
      expect(none.message).toBe(
        `no unit of lot ${LOT} could be evaluated: every run of its 4 files is held out by 2 unresolved file conflicts ` +
          `(2 units: ${serials.join(', ')}), so nothing was measured against the spec and no statistics were computed. ` +
          `List the conflicts with lotqa conflicts ${LOT}, keep one file each with lotqa conflicts resolve ${LOT} <serial> --keep <sha256> --reason "…", then evaluate the lot again`,
      );
      expect(result.units).toEqual([]);
      expect(result.cells).toEqual([]);
      expect(result.quantity).toMatchObject({ units: 0, runs: 0, files: 4 });
      expect(result.sampling).toMatchObject({ sampleSize: 0, verdict: 'not-judged' });
      expect(result.certification).toMatchObject({ units: 0 });
      // Stored: the lot's latest evaluation is this result.
      const stored = await (e === a ? stores[0]! : stores[1]!).latestEvaluation(LOT);
      expect(stored?.resultSha256).toBe(e.resultSha256);
    }
    expect(b.resultSha256).toBe(a.resultSha256);
    // Which lotqa evaluated is in the audit event (from source: no build time), never in the result.
    const evaluated = (await stores[0]!.auditTrail(LOT)).filter((e) => e.kind === 'evaluated');
    expect(evaluated.map((e) => (e.payload as { lotqa?: unknown }).lotqa)).toEqual([{ version: LOTQA_VERSION }]);
    expect(JSON.stringify(a.result)).not.toContain('builtAt');
    // Unchanged content answers from the store.
    expect(await evaluateRevision(stores[0]!, LOT, { policy, clock })).toMatchObject({ fresh: false, why: 'stored', revision: 1 });
  });

  it('the policy holds it; an engineer cannot accept it, even with a deviation, and no certificate can be rendered', async () => {
    const store = stores[0]!;
    const evaluated = await evaluateRevision(store, LOT, { policy, clock });
    const signOff = await signOffByPolicy(store, evaluated, { policy, clock });
    expect(signOff.decision.disposition).toBe('HOLD');
    expect(signOff.decision.reason).toMatch(/^unit SNCFALL1\d+ tested at .* is reported with different readings by 2 files/);
    await expect(
      decideByEngineer(store, { lot: LOT, disposition: 'ACCEPT', reason: 'ship it', by: 'qe', deviation: 'DEV-9 test', clock }),
    ).rejects.toThrow(
      new RegExp(
        `lot ${LOT} revision 1 has no evaluated unit \\(every run is held out by unresolved file conflicts\\): there is nothing to accept or certify`,
      ),
    );
    // Defence in depth: a certificate of such a result is refused even given an ACCEPT record.
    const acceptRecord = {
      lot: LOT,
      revision: 1,
      disposition: 'ACCEPT' as const,
      decidedBy: 'qe',
      decidedKind: 'engineer' as const,
      decidedAt: clock.now(),
      reason: 'x',
      resultSha256: resultSha256(evaluated.result),
      specVersion: evaluated.result.product.specVersion,
      policyVersion: evaluated.result.policy.version,
      baselineVersion: null,
    };
    await expect(
      renderCertificate(evaluated.result, acceptRecord, {
        company: { name: 'Conflict Test Photonics Ltd.', address: [] },
        customer: 'Acme',
        purchaseOrder: 'PO-1',
        showStations: false,
      }),
    ).rejects.toThrow(/has no evaluated unit: a Certificate of Conformance covers the units evaluated, and there are none/);
  });

  it('its engineering report renders the reasons without charts, and no certificate is written', async () => {
    const store = stores[0]!;
    const out = join(dir, `reports-${_name}`);
    const issued = await issueReports(store, LOT, {
      outDir: out,
      context: {
        company: { name: 'Conflict Test Photonics Ltd.', address: [] },
        customer: 'Acme',
        purchaseOrder: 'PO-1',
        showStations: false,
      },
      clock,
    });
    expect(issued.coc).toBeNull();
    expect(issued.cocSkipped).toBe('the lot is HOLD (a certificate is issued for an accepted lot only)');
    expect(issued.engineering).not.toBeNull();
    const text = (await pdfPages(readFileSync(issued.engineering!))).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('HOLD');
    expect(text).toContain('no unit of lot CFALL1 could be evaluated');
    for (const p of pairs) expect(text).toContain(p.serial);
    expect(text).toContain('different readings');
    expect(text).not.toMatch(/Control charts \(I and MR per lane\)/);
    // No yield of no unit: a dash, not 0 %.
    expect(text).toMatch(/First-pass 0 —/);
    expect(text).toMatch(/Final 0 —/);
  });

  it('keeping one file per conflict makes the lot judgeable again: a new revision with its units', async () => {
    for (const store of stores) {
      for (const p of pairs)
        await resolveConflict(store, { lot: LOT, serial: p.serial, keep: sha(p.original), reason: 'bench replay', by: 'qe.anna' });
      const after = await evaluateRevision(store, LOT, { policy, clock });
      expect(after.revision).toBe(2);
      expect(after.result.units.map((u) => u.serial).sort()).toEqual(pairs.map((p) => p.serial).sort());
      expect(after.result.proposal.reasons.some((r) => r.code === 'no-units-evaluated' || r.code === 'file-conflict')).toBe(false);
    }
  });
});
