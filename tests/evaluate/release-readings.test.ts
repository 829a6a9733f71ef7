/**
 * `releaseReadings` (what `lotqa run` passes: the lot was loaded only to be evaluated) frees the reading
 * columns once the measurement cube holds them. It must not move a number: the same generated lot
 * evaluated with and without it gives the same LotResult and result hash, and afterwards the columns
 * are detached (empty), so nothing can have read them after the cube was built.
 */
import { describe, expect, it } from 'vitest';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { findProduct } from '../../src/domain/catalog.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { resultSha256 } from '../../src/report/result-hash.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';

describe('evaluateLot with releaseReadings', () => {
  it('gives the same result and hash, and leaves the lot with empty reading columns', () => {
    const spec = findProduct('osfp-800g-dr8');
    const [history] = generateHistory({ product: spec, seed: 'release-readings', lots: [{ lot: 'R1', units: 120 }] });
    const lot = toLotData(history!);
    const readings = lot.value.length;
    expect(readings).toBeGreaterThan(10_000);
    const input = { spec, policy: findPolicy('default'), baseline: null, revision: 1 } as const;
    const kept = evaluateLot({ ...input, lot });
    expect(lot.value.length).toBe(readings);
    const released = evaluateLot({ ...input, lot, releaseReadings: true });
    expect(released).toEqual(kept);
    expect(resultSha256(released)).toBe(resultSha256(kept));
    for (const column of [lot.runIndex, lot.parameterIndex, lot.cornerIndex, lot.lane, lot.value, lot.censoring]) {
      expect(column.length).toBe(0);
      expect(column.buffer.byteLength).toBe(0);
    }
    // The runs and the lot's other facts stay readable (the caller still reports them).
    expect(lot.runs.length).toBeGreaterThanOrEqual(120);
  });
});
