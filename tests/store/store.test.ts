/**
 * One suite, two backends: every behaviour below is asserted identically on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { CENSOR_ABOVE, CENSOR_BELOW, CENSOR_NONE, MODULE_LANE, type LotData } from '../../src/domain/lot-data.js';
import type { DecisionRecord } from '../../src/domain/decision.js';
import type { ParsedFile } from '../../src/domain/measurement.js';
import {
  DecisionConflictError,
  LotNotFoundError,
  LotProductConflictError,
  RecordConflictError,
  RecordNotFoundError,
  StoreInputError,
  StoredDocumentError,
  type AuditInput,
  type Store,
} from '../../src/store/index.js';
import type { AuditEntry, SamplingState } from '../../src/domain/stored-documents.js';
import { baselineFixture, certificatePayloadFixture, lotResultFixture, samplingStateFixture } from './support/stored-document-fixtures.js';
import { lotContentHash } from '../../src/domain/lot-content.js';
import { makeParsedFile, rehash } from './support/parsed-file-fixtures.js';
import { BACKENDS, type TestBackend } from './support/store-backends.js';
import { STORE_MIGRATION_NAMES } from '../../src/store/migrations.js';
import { canonicalJson, canonicalJsonDigest, sha256Hex } from '../../src/report/result-hash.js';
import { lotResultPart } from '../../src/queries/lot-result-part.js';

/** The lot's measurements as comparable tuples, sorted. */
function tuplesFromLot(lot: LotData): string[] {
  const out: string[] = [];
  for (let i = 0; i < lot.value.length; i++) {
    const run = lot.runs[lot.runIndex[i]!]!;
    out.push(
      JSON.stringify([
        run.serial,
        run.testTime,
        lot.parameters[lot.parameterIndex[i]!],
        lot.corners[lot.cornerIndex[i]!],
        lot.lane[i],
        lot.value[i],
        lot.censoring[i],
      ]),
    );
  }
  return out.sort();
}

const CODE = { none: CENSOR_NONE, below: CENSOR_BELOW, above: CENSOR_ABOVE } as const;

function tuplesFromFiles(...files: ParsedFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const m of f.measurements) {
      const run = f.runs[m.run]!;
      out.push(JSON.stringify([run.serial, run.testTime, m.parameter, m.corner, m.lane ?? MODULE_LANE, m.value, CODE[m.censoring]]));
    }
  }
  return out.sort();
}

function decision(lot: string, revision: number, over: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    lot,
    revision,
    disposition: 'ACCEPT',
    decidedBy: 'policy:default-v1',
    decidedKind: 'policy',
    decidedAt: '2024-05-02T06:00:00.000Z',
    reason: 'all parameters within baseline',
    resultSha256: 'a'.repeat(64),
    specVersion: '1.2.0',
    policyVersion: '1',
    baselineVersion: 3,
    ...over,
  };
}

describe.each(BACKENDS.map((make) => ({ make, name: make.name.replace('Backend', '') })))('store on $name', ({ make }) => {
  let backend: TestBackend;
  let store: Store;
  let firstMigration: readonly string[];

  beforeAll(async () => {
    backend = make();
    store = backend.open();
    firstMigration = (await store.migrate()).applied;
  });

  afterAll(async () => {
    await store?.close();
    await backend?.cleanup();
  });

  it('migrates once; migrating again is a no-op', async () => {
    expect(firstMigration).toEqual(STORE_MIGRATION_NAMES);
    // Kysely runs migrations in name order: the list must already be sorted, from the first layout on.
    expect([...STORE_MIGRATION_NAMES].sort()).toEqual(STORE_MIGRATION_NAMES);
    expect(STORE_MIGRATION_NAMES[0]).toBe('0001-measurement-store');
    expect((await store.migrate()).applied).toEqual([]);
    const other = backend.open();
    try {
      expect((await other.migrate()).applied).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('loads back exactly the values, censoring, lanes and corners that were stored', async () => {
    const a = makeParsedFile({ lot: 'LOT-ROUNDTRIP', serials: ['SN001', 'SN002', 'SN003'], quarantineRows: 3 });
    const b = makeParsedFile({ lot: 'LOT-ROUNDTRIP', serials: ['SN004'], salt: 'b', corners: ['-5C', '25C', '75C'] });
    expect(await store.recordParsedFile(a)).toMatchObject({ status: 'stored', lots: ['LOT-ROUNDTRIP'] });
    expect(await store.recordParsedFile(b)).toMatchObject({ status: 'stored' });

    const lot = await store.loadLot('LOT-ROUNDTRIP');
    expect(lot.productId).toBe('QSFP28-LR4');
    expect(tuplesFromLot(lot)).toEqual(tuplesFromFiles(a, b));
    expect(lot.value.length).toBe(a.measurements.length + b.measurements.length);
    expect(lot.parameters).toEqual(['extinction_ratio_db', 'rx_sensitivity_oma_dbm', 'supply_current_ma', 'tx_power_dbm']);
    expect(lot.corners).toEqual(['-5C', '25C', '70C', '75C']);
    expect([...new Set(lot.lane)].sort()).toEqual([-1, 0, 1, 2, 3]);
    expect(new Set(lot.censoring)).toEqual(new Set([CENSOR_NONE, CENSOR_BELOW, CENSOR_ABOVE]));
    expect(lot.fileHashes).toEqual([a.sha256, b.sha256].sort());
    expect(lot.quarantinedRows).toBe(3);
    expect(lot.runs.map((r) => [r.serial, r.attempt, r.station, r.operator])).toEqual([
      ['SN001', 1, 'ATE-01', 'op-7'],
      ['SN002', 1, 'ATE-01', null],
      ['SN003', 1, 'ATE-01', 'op-7'],
      ['SN004', 1, 'ATE-01', 'op-7'],
    ]);
    expect(lot.runs[3]!.fileSha256).toBe(b.sha256);
  });

  it('stores the same file content once, however often it is submitted', async () => {
    const f = makeParsedFile({ lot: 'LOT-DUP', serials: ['SN100', 'SN101'] });
    const first = await store.recordParsedFile(f);
    const again = await store.recordParsedFile({ ...f, path: '/elsewhere/copy.csv' });
    expect(first.status).toBe('stored');
    expect(again).toEqual({ status: 'duplicate', fileId: first.fileId, lots: ['LOT-DUP'] });
    expect((await store.lotSummary('LOT-DUP'))?.measurements).toBe(f.measurements.length);
    expect(await store.listFiles('LOT-DUP')).toHaveLength(1);
  });

  it('keeps one copy when two connections submit the same file at the same time', async () => {
    const f = makeParsedFile({ lot: 'LOT-RACE', serials: ['SN200', 'SN201', 'SN202'], quarantineRows: 2 });
    const other = backend.open();
    try {
      const results = await Promise.all([
        store.recordParsedFile(f),
        other.recordParsedFile(f),
        other.recordParsedFile(f),
        store.recordParsedFile(f),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'stored']);
      expect(new Set(results.map((r) => r.fileId)).size).toBe(1);
    } finally {
      await other.close();
    }
    expect((await store.lotSummary('LOT-RACE'))?.measurements).toBe(f.measurements.length);
    expect(await store.listQuarantine({ lot: 'LOT-RACE' })).toHaveLength(2);
  });

  it('leaves nothing behind when a file fails mid-way (a duplicate reading found at a late measurement)', async () => {
    const base = makeParsedFile({
      lot: 'LOT-ATOMIC',
      serials: Array.from({ length: 40 }, (_, i) => `SN3${String(i).padStart(2, '0')}`),
      parameters: [
        { id: 'tx_power_dbm', perLane: true },
        { id: 'only_in_failed_file', perLane: false },
      ],
      quarantineRows: 5,
    });
    // Row N repeats an earlier (run, parameter, corner, lane): refused while the run's readings are packed,
    // after the file row, runs, new lot and new parameter were already written in the transaction.
    const n = base.measurements.length - 3;
    const measurements = [...base.measurements];
    measurements[n] = { ...base.measurements[0]!, line: 99_999 };
    const broken = rehash({ ...base, measurements }, 'broken');

    await expect(store.recordParsedFile(broken)).rejects.toBeInstanceOf(StoreInputError);
    await expect(store.recordParsedFile(broken)).rejects.toThrow(/line 99999 .*a second reading of the same parameter, corner and lane/);
    expect(await store.lotSummary('LOT-ATOMIC')).toBeNull();
    expect((await store.listFiles()).some((f) => f.sha256 === broken.sha256)).toBe(false);
    expect(await store.listQuarantine({ file: broken.sha256 })).toEqual([]);
    await expect(store.loadLot('LOT-ATOMIC')).rejects.toBeInstanceOf(LotNotFoundError);

    // The same content, repaired, is then stored in full (no stale ids cached from the rolled-back work).
    expect((await store.recordParsedFile(base)).status).toBe('stored');
    const lot = await store.loadLot('LOT-ATOMIC');
    expect(tuplesFromLot(lot)).toEqual(tuplesFromFiles(base));
    expect(lot.parameters).toContain('only_in_failed_file');
  });

  it('refuses invalid input before writing anything', async () => {
    const f = makeParsedFile({ lot: 'LOT-INVALID', serials: ['SN400'] });
    const measurements = f.measurements.map((m, i) => (i === 3 ? { ...m, value: Number.NaN } : m));
    await expect(store.recordParsedFile({ ...f, measurements })).rejects.toThrow(StoreInputError);
    await expect(store.recordParsedFile({ ...f, runs: [{ ...f.runs[0]!, testTime: 'yesterday' }] })).rejects.toThrow(
      /not an ISO-8601 instant/,
    );
    expect(await store.lotSummary('LOT-INVALID')).toBeNull();
  });

  it('refuses a file that puts an existing lot under another product', async () => {
    await store.recordParsedFile(makeParsedFile({ lot: 'LOT-PRODUCT', serials: ['SN500'] }));
    const other = makeParsedFile({ lot: 'LOT-PRODUCT', serials: ['SN501'], productId: 'SFP28-SR', salt: 'p' });
    await expect(store.recordParsedFile(other)).rejects.toBeInstanceOf(LotProductConflictError);
    expect(await store.unitCount('LOT-PRODUCT')).toBe(1);
  });

  it('derives attempts by test time across files (ties within a file by run order); a tie across files with different readings is a conflict, held out', async () => {
    const lot = 'LOT-RETEST';
    // File 1 (stored first) tests SN600 at 10:00 and SN601 at 09:00.
    const f1 = makeParsedFile({
      lot,
      serials: ['SN600', 'SN601'],
      testTime: (i) => (i === 0 ? '2024-05-01T10:00:00Z' : '2024-05-01T09:00:00Z'),
    });
    // File 2 (stored later) holds an EARLIER test of SN600, and SN601 at the very same instant as
    // file 1's with other readings: which file is right is not settled by arrival order (a conflict).
    const f2 = makeParsedFile({
      lot,
      serials: ['SN600', 'SN601'],
      salt: 'f2',
      testTime: (i) => (i === 0 ? '2024-05-01T08:00:00Z' : '2024-05-01T09:00:00Z'),
    });
    // File 3: SN602 twice in one file at one instant — the tie goes to run order.
    const f3 = makeParsedFile({
      lot,
      serials: ['SN602', 'SN602'],
      salt: 'f3',
      station: 'ATE-09',
      testTime: () => '2024-05-01T11:00:00+02:00',
    });
    for (const f of [f1, f2, f3]) await store.recordParsedFile(f);

    const data = await store.loadLot(lot);
    expect(data.runs.map((r) => [r.serial, r.attempt, r.testTime, r.fileSha256])).toEqual([
      ['SN600', 1, '2024-05-01T08:00:00.000Z', f2.sha256],
      ['SN600', 2, '2024-05-01T10:00:00.000Z', f1.sha256],
      ['SN602', 1, '2024-05-01T09:00:00.000Z', f3.sha256],
      ['SN602', 2, '2024-05-01T09:00:00.000Z', f3.sha256],
    ]);
    expect(data.conflicts).toEqual([
      {
        serial: 'SN601',
        testTime: '2024-05-01T09:00:00.000Z',
        files: [f1.sha256, f2.sha256].sort(),
        // Each file's station, in the order of `files`: one station disagreeing with itself.
        stations: ['ATE-01', 'ATE-01'],
        resolution: null,
      },
    ]);
    // Both files stay part of the lot's content.
    expect(data.fileHashes).toEqual([f1.sha256, f2.sha256, f3.sha256].sort());
    // Each measurement points at the run it came from: file 2's first run values sit under attempt 1.
    const firstOfF2 = f2.measurements.filter((m) => m.run === 0).map((m) => m.value);
    const underAttempt1 = [...data.value].filter((_, i) => data.runIndex[i] === 0);
    expect(underAttempt1.sort()).toEqual(firstOfF2.sort());
    expect(await store.unitCount(lot)).toBe(3);
    expect((await store.lotSummary(lot))?.runs).toBe(6);
  });

  it('keeps rejected files with their reason, once per content (or per path and size when unhashed)', async () => {
    const withHash = {
      path: '/in/x.bin',
      name: 'x.bin',
      sha256: 'B'.repeat(64),
      bytes: 12,
      reason: 'binary-content' as const,
      message: 'NUL bytes',
      line: null,
    };
    const noHash = {
      path: '/in/empty.csv',
      name: 'empty.csv',
      sha256: null,
      bytes: 0,
      reason: 'empty-file' as const,
      message: 'empty',
      line: null,
    };
    const r1 = await store.recordRejectedFile(withHash);
    expect(r1.status).toBe('stored');
    expect(await store.recordRejectedFile({ ...withHash, path: '/in/renamed.bin' })).toEqual({
      status: 'duplicate',
      rejectedFileId: r1.rejectedFileId,
    });
    expect((await store.recordRejectedFile(noHash)).status).toBe('stored');
    expect((await store.recordRejectedFile(noHash)).status).toBe('duplicate');
    expect((await store.recordRejectedFile({ ...noHash, bytes: 1 })).status).toBe('stored');
    const listed = await store.listRejectedFiles();
    expect(listed.map((r) => [r.name, r.reason, r.sha256, r.bytes])).toEqual([
      ['x.bin', 'binary-content', 'b'.repeat(64), 12],
      ['empty.csv', 'empty-file', null, 0],
      ['empty.csv', 'empty-file', null, 1],
    ]);
    expect(listed[0]!.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('returns counts and sums as numbers, not strings', async () => {
    const f = makeParsedFile({ lot: 'LOT-COUNTS', serials: ['SN700', 'SN701'], quarantineRows: 1 });
    await store.recordParsedFile(f);
    const summary = (await store.listLots()).find((l) => l.lot === 'LOT-COUNTS')!;
    expect(await store.listLotIds()).toEqual((await store.listLots()).map((l) => l.lot));
    expect(summary).toEqual({
      lot: 'LOT-COUNTS',
      productId: 'QSFP28-LR4',
      units: 2,
      runs: 2,
      files: 1,
      measurements: f.measurements.length,
      firstTestTime: '2024-05-01T08:00:00.000Z',
      lastTestTime: '2024-05-01T08:00:01.000Z',
    });
    for (const key of ['units', 'runs', 'files', 'measurements'] as const) expect(typeof summary[key]).toBe('number');
    expect(await store.unitCount('LOT-COUNTS')).toBe(2);
    expect(await store.unitCount('NO-SUCH-LOT')).toBe(0);
    const [file] = await store.listFiles('LOT-COUNTS');
    expect(file).toMatchObject({ bytes: f.bytes, runs: 2, measurements: f.measurements.length, quarantined: 1, sha256: f.sha256 });
    expect(typeof file!.bytes).toBe('number');
  });

  it('changes the lot content hash exactly when new data arrives', async () => {
    const lot = 'LOT-HASH';
    const f1 = makeParsedFile({ lot, serials: ['SN800'] });
    await store.recordParsedFile(f1);
    const h1 = await store.lotContentHash(lot);
    expect(h1).toBe(createHash('sha256').update(f1.sha256).digest('hex'));
    await store.recordParsedFile(f1);
    expect(await store.lotContentHash(lot)).toBe(h1);
    const f2 = makeParsedFile({ lot, serials: ['SN801'], salt: 'h2', quarantineRows: 2 });
    await store.recordParsedFile(f2);
    const h2 = await store.lotContentHash(lot);
    expect(h2).not.toBe(h1);
    expect(h2).toBe(lotContentHash([f2.sha256, f1.sha256]));
    await expect(store.lotContentHash('NO-SUCH-LOT')).rejects.toBeInstanceOf(LotNotFoundError);
    const q = await store.listQuarantine({ lot, limit: 1 });
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ fileSha256: f2.sha256, reason: 'non-numeric', column: 'TxPower', rawValue: 'n/a', file: f2.path });
  });

  it('stores a file whose runs span two lots, and one whose rows were all quarantined', async () => {
    const span = makeParsedFile({
      lot: 'LOT-SPAN-A',
      serials: ['SN900', 'SN901'],
      lotOfRun: (i) => (i === 0 ? 'LOT-SPAN-A' : 'LOT-SPAN-B'),
    });
    expect(await store.recordParsedFile(span)).toMatchObject({ status: 'stored', lots: ['LOT-SPAN-A', 'LOT-SPAN-B'] });
    expect((await store.loadLot('LOT-SPAN-B')).runs.map((r) => r.serial)).toEqual(['SN901']);
    const empty = makeParsedFile({ lot: 'LOT-NONE', serials: [], quarantineRows: 4, salt: 'empty' });
    const stored = await store.recordParsedFile(empty);
    expect(stored).toMatchObject({ status: 'stored', lots: [] });
    expect(await store.listQuarantine({ file: stored.fileId })).toHaveLength(4);
  });

  it('records decisions that can never be updated or deleted, even with raw SQL', async () => {
    const d = await store.insertDecision(decision('LOT-IMMUTABLE', 1));
    expect(d).toMatchObject({
      stage: 'final',
      disposition: 'ACCEPT',
      supersedes: null,
      decidedAt: '2024-05-02T06:00:00.000Z',
      baselineVersion: 3,
    });
    await expect(backend.rawExecute(`update decisions set disposition = 'REJECT' where id = ${d.id}`)).rejects.toThrow(/immutable/);
    await expect(backend.rawExecute(`delete from decisions where id = ${d.id}`)).rejects.toThrow(/immutable/);
    expect((await store.finalDecision('LOT-IMMUTABLE', 1))?.disposition).toBe('ACCEPT');
  });

  it('allows one HOLD and then exactly one final decision per lot revision', async () => {
    const lot = 'LOT-HOLD';
    const hold = await store.insertDecision(decision(lot, 1, { disposition: 'HOLD', reason: 'Cpk lower bound 1.21 < 1.33' }));
    expect(hold.stage).toBe('hold');
    await expect(store.insertDecision(decision(lot, 1, { disposition: 'HOLD' }))).rejects.toBeInstanceOf(DecisionConflictError);
    const signOff = await store.insertDecision(
      decision(lot, 1, {
        decidedBy: 'j.doe',
        decidedKind: 'engineer',
        reason: 'lane 2 shift explained by fixture',
        decidedAt: '2024-05-02T09:15:00+02:00',
      }),
    );
    expect(signOff).toMatchObject({ stage: 'final', supersedes: hold.id, decidedAt: '2024-05-02T07:15:00.000Z' });
    await expect(
      store.insertDecision(decision(lot, 1, { disposition: 'REJECT', decidedBy: 'k.roe', decidedKind: 'engineer' })),
    ).rejects.toThrow(/already has a final decision \(ACCEPT by j\.doe/);
    await expect(store.insertDecision(decision(lot, 1, { disposition: 'HOLD' }))).rejects.toBeInstanceOf(DecisionConflictError);
    // A new revision (re-evaluation after new data) is decided afresh.
    expect((await store.insertDecision(decision(lot, 2, { disposition: 'REJECT' }))).stage).toBe('final');
    expect((await store.listDecisions(lot)).map((x) => [x.revision, x.stage, x.disposition])).toEqual([
      [1, 'hold', 'HOLD'],
      [1, 'final', 'ACCEPT'],
      [2, 'final', 'REJECT'],
    ]);
  });

  it('lets exactly one of two racing sign-offs from two connections win', async () => {
    const lot = 'LOT-SIGNOFF-RACE';
    await store.insertDecision(decision(lot, 1, { disposition: 'HOLD' }));
    const other = backend.open();
    try {
      const outcomes = await Promise.allSettled([
        store.insertDecision(decision(lot, 1, { disposition: 'ACCEPT', decidedBy: 'a.engineer', decidedKind: 'engineer' })),
        other.insertDecision(decision(lot, 1, { disposition: 'REJECT', decidedBy: 'b.engineer', decidedKind: 'engineer' })),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(DecisionConflictError);
    } finally {
      await other.close();
    }
    expect((await store.listDecisions(lot)).filter((d) => d.stage === 'final')).toHaveLength(1);
  });

  it('keeps exactly one active baseline per product', async () => {
    const product = 'QSFP-BASELINE';
    const first = baselineFixture(product, ['limits from Q1, Q2']);
    const v1 = await store.saveBaseline({
      productId: product,
      createdBy: 'qe',
      payload: first,
      activate: true,
      createdAt: '2024-04-01T00:00:00Z',
    });
    expect(v1).toMatchObject({ version: 1, active: true, createdAt: '2024-04-01T00:00:00.000Z', payload: first });
    const v2 = await store.saveBaseline({
      productId: product,
      createdBy: 'qe',
      payload: baselineFixture(product, ['second']),
      activate: true,
    });
    expect(v2.version).toBe(2);
    const v3 = await store.saveBaseline({ productId: product, createdBy: 'qe', payload: baselineFixture(product) });
    expect(v3).toMatchObject({ version: 3, active: false });
    expect((await store.activeBaseline(product))?.version).toBe(2);
    expect((await store.activateBaseline(product, 1)).active).toBe(true);
    expect((await store.listBaselines(product)).map((b) => [b.version, b.active])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
    await expect(store.activateBaseline(product, 9)).rejects.toBeInstanceOf(RecordNotFoundError);
    await expect(
      store.saveBaseline({ productId: product, createdBy: 'qe', payload: baselineFixture(product), version: 2 }),
    ).rejects.toBeInstanceOf(RecordConflictError);
    expect((await store.getBaseline(product, 3))?.payload).toEqual(baselineFixture(product));
    expect((await store.activeBaseline(product))?.payload.cells[0]?.limits.centre).toBe(1.5);
    expect(await store.activeBaseline('OTHER-PRODUCT')).toBeNull();
  });

  it('numbers lot evaluations by revision and returns the stored result', async () => {
    const result = lotResultFixture('LOT-EVAL', { notes: ['ünïcode µW'], family: { tests: 3, alpha: 0.01, correction: 'holm' } });
    const r1 = await store.saveEvaluation({
      lot: 'LOT-EVAL',
      contentHash: 'c1',
      resultSha256: 'r1',
      result,
      evaluatedAt: '2024-05-02T05:00:00Z',
    });
    const r2 = await store.saveEvaluation({
      lot: 'LOT-EVAL',
      contentHash: 'c2',
      resultSha256: 'r2',
      result: lotResultFixture('LOT-EVAL', { revision: 2, notes: ['again'] }),
    });
    expect([r1.revision, r2.revision]).toEqual([1, 2]);
    expect((await store.getEvaluation('LOT-EVAL', 1))?.result).toEqual(result);
    expect((await store.latestEvaluation('LOT-EVAL'))?.contentHash).toBe('c2');
    const { result: _result, ...head } = (await store.latestEvaluation('LOT-EVAL'))!;
    expect(await store.latestEvaluationHead('LOT-EVAL')).toEqual(head);
    expect(await store.latestEvaluationHead('LOT-NEVER-EVALUATED')).toBeNull();
    expect((await store.listEvaluations('LOT-EVAL')).map((e) => e.revision)).toEqual([1, 2]);
    await expect(
      store.saveEvaluation({ lot: 'LOT-EVAL', revision: 2, contentHash: 'x', resultSha256: 'x', result: lotResultFixture('LOT-EVAL') }),
    ).rejects.toBeInstanceOf(RecordConflictError);
  });

  it('stores a result given as canonical UTF-8 bytes as the same text a string would be', async () => {
    const result = lotResultFixture('LOT-BYTES', { notes: ['ünïcode µW 😀 \u2028'] });
    const { bytes, sha256 } = canonicalJsonDigest(result);
    await store.saveEvaluation({ lot: 'LOT-BYTES', contentHash: 'c', resultSha256: sha256, result, resultJson: bytes });
    await store.saveEvaluation({ lot: 'LOT-BYTES', contentHash: 'c', resultSha256: sha256, result, resultJson: canonicalJson(result) });
    const [fromBytes, fromText] = await store.listEvaluations('LOT-BYTES');
    // Read back, both are the result, hashing the same.
    expect(fromBytes!.result).toEqual(result);
    expect(fromText!.result).toEqual(fromBytes!.result);
    expect(sha256Hex(canonicalJson(fromBytes!.result))).toBe(sha256);
    // The database's own JSON operators read into it (chart pages do), and on SQLite it is TEXT, not a blob.
    const part = await lotResultPart(store, 'LOT-BYTES', 1, []);
    expect(part?.lot).toBe('LOT-BYTES');
    expect(part?.units).toEqual(result.units);
    if (store.backend === 'sqlite') {
      const types = await sql<{ t: string }>`select typeof(result) as t from lot_evaluations where lot = 'LOT-BYTES'`.execute(
        store.reads.db,
      );
      expect(types.rows.map((r) => r.t)).toEqual(['text', 'text']);
    }
  });

  it('upserts the sampling state and records certificates with unique document ids', async () => {
    await store.saveSamplingState('QSFP28-LR4', samplingStateFixture('normal', 4), '2024-05-01T00:00:00Z');
    const s = await store.saveSamplingState('QSFP28-LR4', samplingStateFixture('reduced', 10), '2024-05-03T00:00:00Z');
    expect(s).toEqual({
      productId: 'QSFP28-LR4',
      payload: samplingStateFixture('reduced', 10),
      updatedAt: '2024-05-03T00:00:00.000Z',
    });
    expect(await store.samplingState('QSFP28-LR4')).toEqual(s);
    expect(await store.samplingState('NONE')).toBeNull();

    const cert = {
      lot: 'LOT-CERT',
      revision: 1,
      documentId: 'CoC-2024-0001',
      pdfSha256: 'c'.repeat(64),
      path: 'reports/LOT-CERT/coc.pdf',
      issuedAt: '2024-05-02T10:00:00Z',
      payload: certificatePayloadFixture('d'.repeat(64)),
    };
    const stored = await store.recordCertificate(cert);
    expect(stored).toMatchObject({ ...cert, issuedAt: '2024-05-02T10:00:00.000Z' });
    await expect(store.recordCertificate({ ...cert, lot: 'LOT-OTHER' })).rejects.toBeInstanceOf(RecordConflictError);
    expect(await store.getCertificate('CoC-2024-0001')).toEqual(stored);
    expect(await store.listCertificates('LOT-CERT')).toEqual([stored]);
  });

  it('keeps the audit trail append-only and in the order appended', async () => {
    const lot = 'LOT-AUDIT';
    const events: AuditEntry[] = [
      { kind: 'lot-expected', payload: { expectedUnits: 200, source: 'manifest.json' } },
      { kind: 'evaluated', payload: { revision: 1, resultSha256: 'a'.repeat(64), proposal: 'HOLD' } },
      { kind: 'decided', payload: { revision: 1, disposition: 'ACCEPT', reason: 'shift explained' } },
      { kind: 'certificate-issued', payload: { revision: 1, documentId: 'CoC-1', path: 'reports/coc.pdf' } },
    ];
    // Later events carry EARLIER clock times: the trail keeps append order, not clock order.
    for (const [i, event] of events.entries()) {
      await store.appendAudit({ ...event, lot, actor: i === 2 ? 'j.doe' : 'system', at: `2024-05-0${5 - i}T00:00:00Z` });
    }
    await store.appendAudit({
      lot: null,
      kind: 'baseline-created',
      actor: 'system',
      payload: { productId: 'QSFP28-LR4', version: 1, lots: ['Q1'], exclusions: 0 },
    });
    const trail = await store.auditTrail(lot);
    expect(trail.map((e) => [e.kind, e.actor, e.payload])).toEqual(events.map((e, i) => [e.kind, i === 2 ? 'j.doe' : 'system', e.payload]));
    expect(trail[0]!.at).toBe('2024-05-05T00:00:00.000Z');
    await expect(backend.rawExecute(`update audit_events set actor = 'mallory' where id = ${trail[0]!.id}`)).rejects.toThrow(/immutable/);
    await expect(backend.rawExecute(`delete from audit_events where id = ${trail[0]!.id}`)).rejects.toThrow(/immutable/);
  });

  it('refuses to store a document that does not match its schema, naming the record and the field', async () => {
    const bad = { ...samplingStateFixture('normal', 1), severity: 'lenient' } as unknown as SamplingState;
    await expect(store.saveSamplingState('QSFP-BAD', bad)).rejects.toThrow(
      /the new sampling state of QSFP-BAD is not a valid sampling-switching state: \/severity/,
    );
    expect(await store.samplingState('QSFP-BAD')).toBeNull();
    const unknownKind = { lot: 'LOT-BAD', kind: 'lot-voided', actor: 'x', payload: {} } as unknown as AuditInput;
    await expect(store.appendAudit(unknownKind)).rejects.toBeInstanceOf(StoredDocumentError);
    const badPayload = { lot: 'LOT-BAD', kind: 'lot-closed', actor: 'x', payload: { expectedUnits: 0 } } as unknown as AuditInput;
    await expect(store.appendAudit(badPayload)).rejects.toThrow(/"lot-closed" audit payload: \/expectedUnits/);
    expect(await store.auditTrail('LOT-BAD')).toEqual([]);
  });

  it('reads a stored result that no longer matches the LotResult schema as an error naming lot and revision', async () => {
    await store.saveEvaluation({ lot: 'LOT-EDITED', contentHash: 'c', resultSha256: 'r', result: lotResultFixture('LOT-EDITED') });
    // Someone edits the stored document by hand: the yields lose their final yield.
    const edited = JSON.stringify({ ...lotResultFixture('LOT-EDITED'), yields: { firstPass: 1 } });
    await backend.rawExecute(`update lot_evaluations set result = '${edited}' where lot = 'LOT-EDITED'`);
    const error = await store.latestEvaluation('LOT-EDITED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredDocumentError);
    expect((error as StoredDocumentError).message).toMatch(
      /^the stored result of lot LOT-EDITED revision 1 is not a valid LotResult: \/yields\/final: /,
    );
    expect((error as StoredDocumentError).exitCode).toBe(2);
    // The head (without the document) still reads: status and audit need no result document.
    expect((await store.latestEvaluationHead('LOT-EDITED'))?.revision).toBe(1);
  });
});
