/**
 * The lot stages over both stores: revisions, policy sign-off exactly once, engineer decisions and their
 * guards, baselines — through real station files, ingest and the store, as `lotqa run` does it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProduct, findProfile, listShippedProfiles } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { AcceptancePolicy } from '../../src/domain/acceptance-policy.js';
import { generateHistory, writeLotFiles } from '../../src/sim/index.js';
import { collectStationFiles } from '../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../src/pipeline/ingest-files.js';
import { createBaseline, decideByEngineer, evaluateRevision, signOffByPolicy } from '../../src/pipeline/lot-stages.js';
import { buildLotView } from '../../src/evaluate/lot-view.js';
import { verifyStoreRecords } from '../../src/pipeline/verify-store.js';
import type { Store } from '../../src/store/index.js';
import { postgresBackend, sqliteBackend, type TestBackend } from '../store/support/store-backends.js';
import { ingestFolders } from './support/ingest-folders.js';

const spec = findProduct('qsfp112-400g-dr4');
const profiles = listShippedProfiles().map((e) => e.document);
const policy = findPolicy('default');
/** Failing units do not reject under this policy, and first pass must be perfect: lots are HELD for an engineer. */
const strictFirstPass: AcceptancePolicy = { ...policy, id: 'test-hold', yield: { firstPassYieldMin: 0.999, finalYieldMin: 0.1 } };
const clock = { now: () => '2026-03-01T08:00:00.000Z' };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-stages-'));
  const history = generateHistory({
    product: spec,
    seed: 'stages',
    lots: [
      { lot: 'QA1', units: 40 },
      { lot: 'QA2', units: 40 },
      { lot: 'LOT-A', units: 40 },
      { lot: 'LOT-F', units: 40, variance: [{ parameter: 'tx_er', factor: 3 }] },
    ],
  });
  for (const h of history) writeLotFiles(h, findProfile('wide-v2'), join(dir, h.lot));
  // LOT-A arrives in two drops: the last 5 files come later (a new revision).
  const files = readdirSync(join(dir, 'LOT-A'))
    .filter((f) => f.endsWith('.csv'))
    .sort();
  mkdirSync(join(dir, 'LOT-A-late'));
  for (const f of files.slice(-5)) {
    copyFileSync(join(dir, 'LOT-A', f), join(dir, 'LOT-A-late', f));
    rmSync(join(dir, 'LOT-A', f));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ingest = (store: Store, ...folders: string[]) => ingestFolders(store, dir, folders, spec);

describe.each([
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
] as const)('lot stages on %s', (_name, make) => {
  let backend: TestBackend;
  let store: Store;
  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
    await ingest(store, 'QA1', 'QA2', 'LOT-A', 'LOT-F');
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('evaluating unchanged content returns the same revision; new files make a new revision', async () => {
    const r1 = await evaluateRevision(store, 'LOT-A', { policy, clock });
    expect(r1.revision).toBe(1);
    expect(r1.result.quantity.units).toBe(35);
    const again = await evaluateRevision(store, 'LOT-A', { policy, clock });
    expect(again).toMatchObject({ revision: 1, fresh: false, resultSha256: r1.resultSha256 });
    // The store and the evaluation agree on what "this content" is (the scheduled sign-off compares them).
    expect((await store.latestEvaluation('LOT-A'))?.contentHash).toBe(await store.lotContentHash('LOT-A'));
    await ingest(store, 'LOT-A-late');
    expect((await store.latestEvaluation('LOT-A'))?.contentHash).not.toBe(await store.lotContentHash('LOT-A'));
    const r2 = await evaluateRevision(store, 'LOT-A', { policy, clock });
    expect(r2.revision).toBe(2);
    expect(r2.result.quantity.units).toBe(40);
    expect(r2.resultSha256).not.toBe(r1.resultSha256);
  });

  it('signs off each revision exactly once, even when two sign-offs race', async () => {
    const ev = await evaluateRevision(store, 'LOT-A', { policy, clock });
    const [a, b] = await Promise.all([signOffByPolicy(store, ev, { policy, clock }), signOffByPolicy(store, ev, { policy, clock })]);
    expect([a.created, b.created].filter(Boolean).length).toBeLessThanOrEqual(1);
    const decisions = (await store.listDecisions('LOT-A')).filter((d) => d.revision === ev.revision);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ decidedKind: 'policy', decidedBy: 'policy:default', resultSha256: ev.resultSha256 });
    const third = await signOffByPolicy(store, ev, { policy, clock });
    expect(third.created).toBe(false);
  });

  it('a held lot with failing units is accepted only with a written deviation, once', async () => {
    const ev = await evaluateRevision(store, 'LOT-F', { policy: strictFirstPass, clock });
    const so = await signOffByPolicy(store, ev, { policy: strictFirstPass, clock });
    expect(so.decision.disposition).toBe('HOLD');
    const failing = ev.result.units.filter((u) => u.final === 'fail').length;
    expect(failing).toBeGreaterThan(0);
    await expect(
      decideByEngineer(store, { lot: 'LOT-F', disposition: 'ACCEPT', reason: 'looks fine', by: 'A. Engineer', clock }),
    ).rejects.toThrow(/deviation/);
    const d = await decideByEngineer(store, {
      lot: 'LOT-F',
      disposition: 'ACCEPT',
      reason: 'customer agreed',
      by: 'A. Engineer',
      deviation: 'DEV-0042: ER floor waived for eval units',
      clock,
    });
    expect(d).toMatchObject({ disposition: 'ACCEPT', stage: 'final', decidedKind: 'engineer', resultSha256: ev.resultSha256 });
    expect(d.reason).toContain('DEV-0042');
    await expect(
      decideByEngineer(store, { lot: 'LOT-F', disposition: 'REJECT', reason: 'second thoughts', by: 'B. Engineer', clock }),
    ).rejects.toThrow(/already decided.*never changed/);
    const trail = await store.auditTrail('LOT-F');
    // The manifest beside the files was recorded at ingest (a contract the evaluation holds the lot to).
    expect(trail.map((e) => e.kind)).toEqual(['lot-expected', 'evaluated', 'decided', 'decided']);
  });

  it('refuses to decide a lot whose data changed since it was evaluated', async () => {
    await evaluateRevision(store, 'QA1', { policy: strictFirstPass, clock });
    // New files for the lot arrive (same content under QA2's lot would be a different lot: use LOT-A's late copy trick on QA1).
    const extra = mkdtempSync(join(tmpdir(), 'lotqa-extra-'));
    const h = generateHistory({ product: spec, seed: 'extra', lots: [{ lot: 'QA1', units: 2, serialPrefix: 'LATE' }] });
    writeLotFiles(h[0]!, findProfile('wide-v2'), extra);
    await ingestFiles(store, await collectStationFiles([extra]), { product: spec, profiles });
    rmSync(extra, { recursive: true, force: true });
    await expect(decideByEngineer(store, { lot: 'QA1', disposition: 'REJECT', reason: 'x', by: 'A. Engineer', clock })).rejects.toThrow(
      /new data since revision 1/,
    );
  });

  it('names an unknown lot and lists the known ones', async () => {
    await expect(evaluateRevision(store, 'NOPE', { policy })).rejects.toThrow(/unknown lot 'NOPE'.*LOT-A/);
    await expect(decideByEngineer(store, { lot: 'NOPE', disposition: 'ACCEPT', reason: 'x', by: 'y' })).rejects.toThrow(/unknown lot/);
  });

  it('freezes a baseline from qualified lots, excluding nonconforming units and assignable causes', async () => {
    const serial = (await store.loadLot('QA2')).runs[0]!.serial;
    const b = await createBaseline(store, {
      productId: spec.productId,
      // A baseline needs at least 3 qualified lots (lot-to-lot variation).
      lots: ['QA1', 'QA2', 'LOT-A'],
      exclusions: [{ lot: 'QA2', serial, reason: 'fibre scratched' }],
      createdBy: 'test',
      clock,
      spec,
    });
    expect(b.version).toBeGreaterThanOrEqual(1);
    expect(b.baseline.exclusions).toContainEqual({ lot: 'QA2', serial, reason: 'fibre scratched' });
    expect((await store.activeBaseline(spec.productId))!.version).toBe(b.version);
    await expect(
      createBaseline(store, {
        productId: spec.productId,
        lots: ['QA1', 'QA2', 'LOT-A'],
        exclusions: [{ lot: 'QA2', serial: 'NOT-A-UNIT', reason: 'x' }],
        createdBy: 'test',
        spec,
      }),
    ).rejects.toThrow(/names no unit/);
  });

  it('an evaluation records its spec, policy and baseline by hash: the same inputs return it, any other input is a new audited revision', async () => {
    // The previous test froze a baseline for the product: LOT-A's stored evaluation was made without one.
    const withBaseline = await evaluateRevision(store, 'LOT-A', { policy, clock });
    expect(withBaseline).toMatchObject({ fresh: true, why: 'new-inputs' });
    expect(withBaseline.changes.join()).toMatch(/^baseline none → [0-9a-f]{12}…$/);
    expect(withBaseline.result.baseline).not.toBeNull();
    const same = await evaluateRevision(store, 'LOT-A', { policy, clock });
    expect(same).toMatchObject({ fresh: false, why: 'stored', revision: withBaseline.revision, resultSha256: withBaseline.resultSha256 });

    // Another policy: never the result made under the default one.
    const strict = await evaluateRevision(store, 'LOT-A', { policy: strictFirstPass, clock });
    expect(strict).toMatchObject({ fresh: true, why: 'new-inputs', revision: withBaseline.revision + 1 });
    expect(strict.result.policy.id).toBe('test-hold');
    expect(strict.changes.join()).toMatch(/^policy [0-9a-f]{12}… → [0-9a-f]{12}…$/);
    // And back: the latest evaluation is the strict one, so the default policy is a new revision again.
    const back = await evaluateRevision(store, 'LOT-A', { policy, clock });
    expect(back).toMatchObject({ fresh: true, revision: strict.revision + 1 });
    expect(back.result.policy.id).toBe('default');

    // The documents themselves are kept by hash: re-issue and verify need not find them installed.
    const head = (await store.latestEvaluationHead('LOT-A'))!;
    expect(head.inputsSha256).toBe(back.inputsSha256);
    const strictHead = (await store.getEvaluation('LOT-A', strict.revision))!;
    const storedPolicy = await store.inputDocument(strictHead.policySha256!);
    expect(storedPolicy).toMatchObject({ kind: 'policy', id: 'test-hold' });
    expect(storedPolicy!.document).toEqual(strictFirstPass);
    expect(await store.inputDocument(head.specSha256!)).toMatchObject({ kind: 'product', id: spec.productId });
    expect((await store.inputDocument(head.baselineSha256!))?.kind).toBe('baseline');

    const evaluated = (await store.auditTrail('LOT-A')).filter((e) => e.kind === 'evaluated').map((e) => e.payload);
    expect(evaluated.slice(-3).map((p) => ('why' in p ? p.why : undefined))).toEqual([
      expect.stringMatching(/^inputs changed: baseline/),
      expect.stringMatching(/^inputs changed: policy/),
      expect.stringMatching(/^inputs changed: policy/),
    ]);
  });

  it('audit --verify: the chains and every stored result are intact; a result edited by direct SQL is found', async () => {
    const intact = await verifyStoreRecords(store);
    expect(intact.chains.flatMap((c) => c.problems)).toEqual([]);
    expect(intact.chains.find((c) => c.chain === 'lot_evaluations')!.linked).toBeGreaterThanOrEqual(6);
    expect(intact).toMatchObject({ intact: true, results: [] });
    const head = (await store.latestEvaluationHead('LOT-A'))!;
    await backend.rawExecute(
      backend.name === 'sqlite'
        ? `update lot_evaluations set result = json_set(result, '$.lotqaVersion', '9.9.9') where lot = 'LOT-A' and revision = ${head.revision}`
        : `update lot_evaluations set result = jsonb_set(result, '{lotqaVersion}', '"9.9.9"') where lot = 'LOT-A' and revision = ${head.revision}`,
    );
    const broken = await verifyStoreRecords(store);
    expect(broken.intact).toBe(false);
    expect(broken.results).toEqual([{ lot: 'LOT-A', revision: head.revision, problem: expect.stringMatching(/re-hashes to/) as unknown }]);
  });
});

describe('bad input to the lot stages', () => {
  it('a lot with no units cannot be evaluated, and the message says what to do', () => {
    const empty = {
      lot: 'E',
      productId: spec.productId,
      runs: [],
      parameters: [],
      corners: [],
      runIndex: new Int32Array(),
      parameterIndex: new Uint16Array(),
      cornerIndex: new Uint16Array(),
      lane: new Int16Array(),
      value: new Float64Array(),
      censoring: new Uint8Array(),
      fileHashes: [],
      quarantinedRows: 0,
    };
    expect(() => buildLotView(empty, spec)).toThrow(/lot E has no units: ingest its station files first/);
    // A lot whose every run is held out by an unresolved conflict is not empty: its files disagree.
    const conflicted = {
      ...empty,
      conflicts: [
        {
          serial: 'SN1',
          testTime: '2024-05-01T09:00:00.000Z',
          files: ['a'.repeat(64), 'b'.repeat(64)],
          stations: ['ATE-01', 'ATE-02'],
          resolution: null,
        },
      ],
    };
    expect(() => buildLotView(conflicted, spec)).toThrow(
      /lot E has no units left to evaluate: every run is held out by an unresolved file conflict \(unit SN1\); list them with lotqa conflicts E and keep one file each with lotqa conflicts resolve E <serial>/,
    );
  });

  it('a policy file that fails its schema names the field', () => {
    const d = mkdtempSync(join(tmpdir(), 'lotqa-policy-'));
    const bad = { ...policy, consistency: { ...policy.consistency, alpha: 2 } };
    writeFileSync(join(d, 'bad.json'), JSON.stringify(bad));
    expect(() => findPolicy(join(d, 'bad.json'))).toThrow(/field "\/consistency\/alpha"/);
    expect(() => findPolicy('no-such-policy')).toThrow(/unknown acceptance policy 'no-such-policy'.*default/);
    rmSync(d, { recursive: true, force: true });
  });
});
