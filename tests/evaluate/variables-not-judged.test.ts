/**
 * Fail closed, Z1.9 variables sampling: a sample with too few exact readings to judge (a lot of two units,
 * or every reading of the characteristic censored) is not judged and holds the lot with a reason, instead
 * of stopping the evaluation; a policy naming only characteristics without a constant limit stays a
 * configuration error (exit 2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import type { AcceptancePolicy } from '../../src/domain/acceptance-policy.js';
import { CENSOR_BELOW, type LotData } from '../../src/domain/lot-data.js';
import type { ProductSpec } from '../../src/domain/product-spec.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { z19FormKPolicy } from './support/z19-form-k-policy.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { SamplingPlanError } from '../../src/acceptance/errors.js';
import { ExitCode } from '../../src/errors/lotqa-error.js';

const spec = findProduct('qsfp112-400g-dr4');
/** Z1.9 form k on the extinction ratio (constant LSL 3.5 dB), n = 5, k = 1.5. */
const policy: AcceptancePolicy = z19FormKPolicy(1.5);
let lot: LotData;
let pair: LotData;

beforeAll(() => {
  [lot, pair] = generateHistory({
    product: spec,
    seed: 'variables-not-judged',
    lots: [
      { lot: 'V1', units: 40 },
      { lot: 'V2', units: 2 },
    ],
  }).map(toLotData) as [LotData, LotData];
});

const notJudged = (r: ReturnType<typeof evaluateLot>) => r.proposal.reasons.find((x) => x.code === 'sampling-not-judged');

describe('a variables sample that cannot be judged holds the lot', () => {
  it('judges the sample of a 40-unit lot (the control)', () => {
    const r = evaluateLot({ lot, spec, policy, baseline: null, revision: 1 });
    expect(r.sampling.verdict).not.toBe('not-judged');
    expect(r.sampling.detail[0]).toMatch(/^\d+ characteristics judged/);
    expect(notJudged(r)).toBeUndefined();
  });

  it('holds a 2-unit lot: a sample of 2 has no standard deviation to judge against k', () => {
    const r = evaluateLot({ lot: pair, spec, policy, baseline: null, revision: 1 });
    expect(r.units).toHaveLength(2);
    expect(r.sampling).toMatchObject({ mode: 'variables', sampleSize: 2, verdict: 'not-judged' });
    expect(r.proposal.disposition).toBe('HOLD');
    expect(notJudged(r)).toMatchObject({
      severity: 'HOLD',
      message:
        'ANSI/ASQ Z1.9 s-method form k, level II, AQL 1 %, n = 5: no characteristic of tx_er has 3 or more exact readings in the sample of 2 units: ' +
        "the sample cannot be judged; check the stations' files for the missing readings before deciding the lot",
    });
  });

  it('holds a lot whose every extinction-ratio reading is censored (no exact reading to judge)', () => {
    const p = lot.parameters.indexOf('tx_er');
    const censoring = Uint8Array.from(lot.censoring, (c, k) => (lot.parameterIndex[k] === p ? CENSOR_BELOW : c));
    const r = evaluateLot({ lot: { ...lot, censoring }, spec, policy, baseline: null, revision: 1 });
    expect(r.sampling.verdict).toBe('not-judged');
    expect(r.proposal.disposition).not.toBe('ACCEPT');
    expect(notJudged(r)?.severity).toBe('HOLD');
  });

  it('a policy whose characteristics have no constant limit in the spec is a configuration error', () => {
    const noLimit: ProductSpec = {
      ...spec,
      parameters: spec.parameters.map((x) => (x.id === 'tx_er' ? { ...x, lsl: undefined } : x)),
    };
    let thrown: unknown;
    try {
      evaluateLot({ lot, spec: noLimit, policy, baseline: null, revision: 1 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SamplingPlanError);
    expect((thrown as SamplingPlanError).exitCode).toBe(ExitCode.configOrService);
    expect((thrown as Error).message).toBe(
      'policy default: none of tx_er has a constant limit in spec qsfp112-400g-dr4; list parameters with constant limits in conformance.parameters',
    );
  });
});
