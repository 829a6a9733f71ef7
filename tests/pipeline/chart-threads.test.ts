/**
 * Charts evaluated on chart threads (src/pipeline/chart-threads.ts) give the very LotResult and result hash
 * of evaluateLot on one thread — with a baseline (consistency, PAT static limits, lot-level tests) and
 * without, with one and two threads — and the threads did evaluate charts (else the test would prove nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { findProduct } from '../../src/domain/catalog.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot, type BaselineRef, type EvaluateLotInput } from '../../src/evaluate/evaluate-lot.js';
import { ChartThreads, defaultEvaluateThreads } from '../../src/pipeline/chart-threads.js';
import { canonicalJson, resultSha256 } from '../../src/report/result-hash.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import type { LotData } from '../../src/domain/lot-data.js';

const spec = findProduct('osfp-800g-dr8');
const policy = findPolicy('default');

describe('chart threads', () => {
  let lots: Record<string, LotData>;
  let baseline: BaselineRef;
  const pools: ChartThreads[] = [];

  beforeAll(() => {
    const history = generateHistory({
      product: spec,
      seed: 'chart-threads',
      lots: [
        { lot: 'Q1', units: 60 },
        { lot: 'Q2', units: 60 },
        { lot: 'Q3', units: 60 },
        { lot: 'SHIFT', units: 150, shifts: [{ parameter: 'tx_avg_power', lane: 2, sigma: 1 }] },
      ],
    });
    lots = Object.fromEntries(history.map((h) => [h.lot, toLotData(h)]));
    baseline = {
      version: 1,
      createdAt: '2026-01-01T00:00:00Z',
      payload: buildBaseline({ spec, lots: [lots.Q1!, lots.Q2!, lots.Q3!], createdBy: 'test' }),
    };
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it.each([1, 2])('with %i thread(s) give the same result and hash as one thread, with and without a baseline', async (threads) => {
    const pool = new ChartThreads(threads);
    pools.push(pool);
    for (const b of [baseline, null]) {
      const input: EvaluateLotInput = { lot: lots.SHIFT!, spec, policy, baseline: b, revision: 1 };
      const alone = evaluateLot(input);
      const shared = await pool.evaluate(input);
      expect(canonicalJson(shared)).toBe(canonicalJson(alone));
      expect(resultSha256(shared)).toBe(resultSha256(alone));
      expect(pool.lastSplit.here + pool.lastSplit.threads).toBe(alone.cells.length);
    }
    // The baseline lot is HELD for its shifted lane, so the lot-level steps ran on the threads' charts.
    expect((await pool.evaluate({ lot: lots.SHIFT!, spec, policy, baseline, revision: 1 })).proposal.disposition).toBe('HOLD');
  });

  it('hand charts to the threads (a lot whose charts all ran on the calling thread would prove nothing)', async () => {
    const pool = new ChartThreads(1);
    pools.push(pool);
    const input: EvaluateLotInput = { lot: lots.SHIFT!, spec, policy, baseline, revision: 1 };
    // The thread loads its modules while the first lot is judged; by the later lots it is answering charts.
    let answered = 0;
    for (let i = 0; i < 5 && answered === 0; i++) {
      await pool.evaluate(input);
      answered = pool.lastSplit.threads;
    }
    expect(answered).toBeGreaterThan(0);
  });

  it('evaluate on the calling thread alone once closed, and LOTQA_EVALUATE_THREADS decides the count', async () => {
    const pool = new ChartThreads(1);
    await pool.close();
    const input: EvaluateLotInput = { lot: lots.SHIFT!, spec, policy, baseline, revision: 1 };
    expect(resultSha256(await pool.evaluate(input))).toBe(resultSha256(evaluateLot(input)));
    const before = process.env.LOTQA_EVALUATE_THREADS;
    try {
      process.env.LOTQA_EVALUATE_THREADS = '0';
      expect(defaultEvaluateThreads()).toBe(0);
      process.env.LOTQA_EVALUATE_THREADS = '2';
      expect(defaultEvaluateThreads()).toBe(2);
    } finally {
      if (before === undefined) delete process.env.LOTQA_EVALUATE_THREADS;
      else process.env.LOTQA_EVALUATE_THREADS = before;
    }
  });
});
