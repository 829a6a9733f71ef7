/**
 * Fail closed, Z1.9 variables sampling with several characteristics: when some are judged and another has
 * fewer than 3 exact readings in the sample, that one is not silently skipped — the sample is not judged
 * and the lot holds (`sampling-not-judged`), naming the characteristic, how many exact readings it had and
 * what to do; a characteristic found not acceptable still rejects, and says which were not judged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { CENSOR_BELOW, type LotData } from '../../src/domain/lot-data.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { z19FormKPolicy } from './support/z19-form-k-policy.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';

const spec = findProduct('qsfp112-400g-dr4');
/** Z1.9 form k on the extinction ratio (constant LSL), n = 5. */
const withK = z19FormKPolicy;
let lot: LotData;
/** The lot with every tx_er reading of lane index 2 censored: that lane's characteristics have 0 exact readings. */
let lane3Censored: LotData;

beforeAll(() => {
  [lot] = generateHistory({ product: spec, seed: 'variables-partial', lots: [{ lot: 'VP1', units: 40 }] }).map(toLotData) as [LotData];
  const p = lot.parameters.indexOf('tx_er');
  const censoring = Uint8Array.from(lot.censoring, (c, k) => (lot.parameterIndex[k] === p && lot.lane[k] === 2 ? CENSOR_BELOW : c));
  lane3Censored = { ...lot, censoring };
});

const notJudged = (r: ReturnType<typeof evaluateLot>) => r.proposal.reasons.find((x) => x.code === 'sampling-not-judged');
const cornersOfEr = (r: ReturnType<typeof evaluateLot>) => [
  ...new Set(r.cells.filter((c) => c.key.parameter === 'tx_er').map((c) => c.key.corner)),
];

describe('a variables sample with one characteristic that cannot be judged', () => {
  it('judges every tx_er characteristic of the untouched lot (the control)', () => {
    const r = evaluateLot({ lot, spec, policy: withK(1.5), baseline: null, revision: 1 });
    expect(r.sampling.verdict).toBe('accept');
    expect(notJudged(r)).toBeUndefined();
  });

  it('holds the lot, naming each lane-3 characteristic and its 0 exact readings, when the other lanes pass', () => {
    const r = evaluateLot({ lot: lane3Censored, spec, policy: withK(1.5), baseline: null, revision: 1 });
    expect(r.sampling.verdict).toBe('not-judged');
    expect(r.proposal.disposition).toBe('HOLD');
    const reason = notJudged(r)!;
    expect(reason.severity).toBe('HOLD');
    const corners = cornersOfEr(r);
    expect(corners.length).toBeGreaterThan(0);
    for (const corner of corners) expect(reason.message).toContain(`tx_er @ ${corner} lane 3: 0 exact readings`);
    expect(reason.message).not.toContain('lane 1:');
    expect(reason.message).toContain('3 or more are needed');
    // What to do.
    expect(reason.message).toContain("check the stations' files for the missing readings before deciding the lot");
    // The others were judged: the count says so.
    expect(r.sampling.detail.join('\n')).toMatch(new RegExp(`${corners.length * 3} other characteristics judged, 0 not acceptable`));
  });

  it('still rejects when a judged characteristic is not acceptable, and lists the ones not judged', () => {
    // k far beyond any healthy lot's (x̄ − L)/s: every judged characteristic is not acceptable.
    const r = evaluateLot({ lot: lane3Censored, spec, policy: withK(1000), baseline: null, revision: 1 });
    expect(r.sampling.verdict).toBe('reject');
    expect(r.proposal.reasons.some((x) => x.code === 'sampling-reject' && x.severity === 'REJECT')).toBe(true);
    expect(r.sampling.detail.join('\n')).toContain('not judged (fewer than 3 exact readings): tx_er @');
  });
});
