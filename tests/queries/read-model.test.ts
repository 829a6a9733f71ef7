/**
 * The read model answers what people ask — lots with their status, a lot's history, a chart's points,
 * a unit's readings, the audit trail — from light queries. Every behaviour is asserted on SQLite and on
 * PostgreSQL, and the status questions are asked after the stored result documents were made unreadable,
 * so a query that loaded one would fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/domain/decision.js';
import type { ParsedFile } from '../../src/domain/measurement.js';
import { chartPoints, listLotOverviews, lotAuditTrail, lotHistory, lotOverview, unitReadings } from '../../src/queries/index.js';
import type { Store } from '../../src/store/index.js';
import { makeParsedFile } from '../store/support/parsed-file-fixtures.js';
import { BACKENDS, type TestBackend } from '../store/support/store-backends.js';
import { certificatePayloadFixture, lotResultFixture } from '../store/support/stored-document-fixtures.js';

const NOW = new Date('2024-05-03T08:00:00.000Z');

function decision(lot: string, revision: number, disposition: DecisionRecord['disposition'], decidedBy = 'policy:default'): DecisionRecord {
  return {
    lot,
    revision,
    disposition,
    decidedBy,
    decidedKind: decidedBy.startsWith('policy:') ? 'policy' : 'engineer',
    decidedAt: '2024-05-02T06:00:00.000Z',
    reason: 'test',
    resultSha256: 'a'.repeat(64),
    specVersion: '1.2.0',
    policyVersion: '1',
    baselineVersion: null,
  };
}

/** Saves an evaluation of the lot's current files with the given yields and proposal. */
async function evaluate(store: Store, lot: string, proposal: DecisionRecord['disposition'], yields = { firstPass: 0.9, final: 0.95 }) {
  const files = await store.listFiles(lot);
  return store.saveEvaluation({
    lot,
    contentHash: await store.lotContentHash(lot),
    resultSha256: 'b'.repeat(64),
    result: lotResultFixture(lot, {
      fileHashes: files.map((f) => f.sha256),
      quantity: { units: 2, runs: 2, files: files.length, quarantinedRows: 0, firstTestTime: null, lastTestTime: null, stations: [] },
      yields: { firstPass: yields.firstPass, final: yields.final, firstPassPassed: 1, finalPassed: 1, indeterminate: 0 },
      proposal: { disposition: proposal, reasons: [] },
    }),
  });
}

describe.each(BACKENDS.map((make) => ({ make, name: make.name.replace('Backend', '') })))('read model on $name', ({ make }) => {
  let backend: TestBackend;
  let store: Store;
  const files: Record<string, ParsedFile[]> = {};

  async function store_(lot: string, f: ParsedFile): Promise<void> {
    await store.recordParsedFile(f);
    (files[lot] ??= []).push(f);
  }

  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
    const day1 = (i: number) => new Date(Date.UTC(2024, 4, 1, 8, 0, i)).toISOString();
    await store_('LOT-OPEN', makeParsedFile({ lot: 'LOT-OPEN', serials: ['A1', 'A2'], testTime: day1 }));
    await store_('LOT-DONE', makeParsedFile({ lot: 'LOT-DONE', serials: ['B1', 'B2'], testTime: day1 }));
    await store.appendAudit({ lot: 'LOT-DONE', kind: 'lot-closed', actor: 'qe', payload: { expectedUnits: null } });
    for (const lot of ['LOT-EVAL', 'LOT-HELD', 'LOT-ACC', 'LOT-CHG']) {
      await store_(lot, makeParsedFile({ lot, serials: [`${lot}-1`, `${lot}-2`], testTime: day1 }));
      await store.appendAudit({ lot, kind: 'lot-expected', actor: 'manifest', payload: { expectedUnits: 2, source: 'manifest.json' } });
    }
    await evaluate(store, 'LOT-EVAL', 'ACCEPT');
    await evaluate(store, 'LOT-HELD', 'HOLD', { firstPass: 0.5, final: 0.75 });
    await store.insertDecision(decision('LOT-HELD', 1, 'HOLD'));
    await evaluate(store, 'LOT-ACC', 'HOLD');
    await store.insertDecision(decision('LOT-ACC', 1, 'HOLD'));
    await store.insertDecision(decision('LOT-ACC', 1, 'ACCEPT', 'J. Chen'));
    await store.recordCertificate({
      lot: 'LOT-ACC',
      revision: 1,
      documentId: 'CoC-LOT-ACC-1',
      pdfSha256: 'c'.repeat(64),
      path: 'reports/LOT-ACC/coc.pdf',
      issuedAt: '2024-05-02T07:00:00Z',
      payload: certificatePayloadFixture('b'.repeat(64)),
    });
    await evaluate(store, 'LOT-CHG', 'ACCEPT');
    await store.insertDecision(decision('LOT-CHG', 1, 'ACCEPT'));
    // A retest of LOT-CHG-1 arrives after the evaluation: the lot changed.
    await store_(
      'LOT-CHG',
      makeParsedFile({ lot: 'LOT-CHG', serials: ['LOT-CHG-1'], salt: 'retest', station: 'ATE-02', testTime: () => '2024-05-01T12:00:00Z' }),
    );
    // Every stored result document becomes unreadable: status questions must not need one.
    await backend.rawExecute(`update lot_evaluations set result = '{"not":"a lot result"}'`);
  });

  afterAll(async () => {
    await store?.close();
    await backend?.cleanup();
  });

  it('lists every lot with where it stands, its yields and age, without reading a result document', async () => {
    const lots = await listLotOverviews(store, { now: NOW });
    expect(lots.map((l) => [l.lot, l.state, l.revision, l.decision?.disposition ?? null, l.certificates])).toEqual([
      ['LOT-ACC', 'accepted', 1, 'ACCEPT', 1],
      ['LOT-CHG', 'changed', 1, 'ACCEPT', 0],
      ['LOT-DONE', 'complete', null, null, 0],
      ['LOT-EVAL', 'evaluated', 1, null, 0],
      ['LOT-HELD', 'on-hold', 1, 'HOLD', 0],
      ['LOT-OPEN', 'open', null, null, 0],
    ]);
    const held = lots.find((l) => l.lot === 'LOT-HELD')!;
    expect(held).toMatchObject({
      productId: 'QSFP28-LR4',
      units: 2,
      files: 1,
      complete: true,
      expectedUnits: 2,
      proposal: 'HOLD',
      firstPassYield: 0.5,
      finalYield: 0.75,
      changedSinceEvaluation: false,
      firstTestTime: '2024-05-01T08:00:00.000Z',
    });
    expect(held.ageHours).toBe(48);
    expect(lots.find((l) => l.lot === 'LOT-ACC')!.decision).toMatchObject({ decidedBy: 'J. Chen', stage: 'final' });
    expect(lots.find((l) => l.lot === 'LOT-CHG')!).toMatchObject({ files: 2, changedSinceEvaluation: true, runs: 3, units: 2 });
    expect(lots.find((l) => l.lot === 'LOT-OPEN')!.completeness).toMatch(/^open: 2 units, no expected quantity/);
    expect(await lotOverview(store, 'LOT-HELD', { now: NOW })).toEqual(held);
    expect(await lotOverview(store, 'NO-SUCH-LOT')).toBeNull();
  });

  it("gives a lot's revisions with their summaries, decisions, standing decision and certificates", async () => {
    const history = await lotHistory(store, 'LOT-ACC');
    expect(history.revisions).toHaveLength(1);
    const r1 = history.revisions[0]!;
    expect(r1).toMatchObject({ revision: 1, proposal: 'HOLD', units: 2, files: 1, firstPassYield: 0.9, finalYield: 0.95 });
    expect(r1.decisions.map((d) => [d.stage, d.disposition])).toEqual([
      ['hold', 'HOLD'],
      ['final', 'ACCEPT'],
    ]);
    expect(r1.standing?.decidedBy).toBe('J. Chen');
    expect(r1.certificates.map((c) => c.documentId)).toEqual(['CoC-LOT-ACC-1']);
    expect((await lotHistory(store, 'LOT-OPEN')).revisions).toEqual([]);
  });

  it("gives a chart's points straight from the readings: each unit's final attempt, or every attempt", async () => {
    const cell = { parameter: 'tx_power_dbm', corner: '70C', lane: 2 };
    const [first, retest] = files['LOT-CHG']!;
    const valueOf = (f: ParsedFile, run: number) => {
      const m = f.measurements.find(
        (x) => x.run === run && x.parameter === cell.parameter && x.corner === cell.corner && x.lane === cell.lane,
      )!;
      return { value: m.value, censoring: m.censoring, line: m.line };
    };
    const final = await chartPoints(store, 'LOT-CHG', cell);
    expect(final!.map((p) => [p.serial, p.attempt, p.final, p.station, p.value, p.censoring, p.line, p.fileSha256])).toEqual([
      ['LOT-CHG-2', 1, true, 'ATE-01', valueOf(first!, 1).value, valueOf(first!, 1).censoring, valueOf(first!, 1).line, first!.sha256],
      ['LOT-CHG-1', 2, true, 'ATE-02', valueOf(retest!, 0).value, valueOf(retest!, 0).censoring, valueOf(retest!, 0).line, retest!.sha256],
    ]);
    const all = await chartPoints(store, 'LOT-CHG', cell, { attempts: 'all' });
    expect(all!.map((p) => [p.serial, p.attempt, p.final, p.testTime])).toEqual([
      ['LOT-CHG-1', 1, false, '2024-05-01T08:00:00.000Z'],
      ['LOT-CHG-2', 1, true, '2024-05-01T08:00:01.000Z'],
      ['LOT-CHG-1', 2, true, '2024-05-01T12:00:00.000Z'],
    ]);
    const module = await chartPoints(store, 'LOT-CHG', { parameter: 'supply_current_ma', corner: '25C', lane: null }, { attempts: 'all' });
    expect(module).toHaveLength(3);
    expect(await chartPoints(store, 'LOT-CHG', { ...cell, parameter: 'not_measured' })).toEqual([]);
    expect(await chartPoints(store, 'NO-SUCH-LOT', cell)).toBeNull();
  });

  it("gives a unit's readings: every attempt, its source file and the line of each reading", async () => {
    const u = await unitReadings(store, 'LOT-CHG', 'LOT-CHG-1');
    const [first, retest] = files['LOT-CHG']!;
    expect(u!.attempts.map((a) => [a.attempt, a.final, a.station, a.file.sha256, a.file.path, a.readings.length])).toEqual([
      [1, false, 'ATE-01', first!.sha256, first!.path, first!.measurements.filter((m) => m.run === 0).length],
      [2, true, 'ATE-02', retest!.sha256, retest!.path, retest!.measurements.length],
    ]);
    const stored = u!.attempts[1]!.readings.map((r) =>
      JSON.stringify([r.parameter, r.corner, r.lane, r.value, r.censoring, r.line]),
    ).sort();
    const written = retest!.measurements.map((m) => JSON.stringify([m.parameter, m.corner, m.lane, m.value, m.censoring, m.line])).sort();
    expect(stored).toEqual(written);
    expect(await unitReadings(store, 'LOT-CHG', 'NOT-A-SERIAL')).toBeNull();
  });

  it("gives a lot's audit trail: files, revisions, decisions, certificates and events, in order", async () => {
    const trail = await lotAuditTrail(store, 'LOT-ACC');
    expect(trail!.summary).toMatchObject({ lot: 'LOT-ACC', units: 2 });
    expect(trail!.files.map((f) => f.sha256)).toEqual(files['LOT-ACC']!.map((f) => f.sha256));
    expect(trail!.revisions.map((r) => [r.revision, r.standing?.disposition])).toEqual([[1, 'ACCEPT']]);
    expect(trail!.events.map((e) => e.kind)).toEqual(['lot-expected']);
    expect(await lotAuditTrail(store, 'NO-SUCH-LOT')).toBeNull();
  });
});
