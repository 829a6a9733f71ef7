import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../src/domain/policy-validation.js';
import { PolicyValidationError } from '../../src/acceptance/errors.js';
import { planFor } from '../../src/acceptance/z14-plans.js';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const clone = <T>(x: T): T => structuredClone(x);

describe('acceptance policy schema', () => {
  it('the shipped default policy validates', () => {
    const policy = validatePolicy(read('schemas/policies/default.json'), 'default.json');
    expect(policy.conformance.mode).toBe('100-percent');
    expect(policy.capability.default).toMatchObject({
      statistic: 'cpk',
      judge: 'evidence-below',
      minimum: 1.33,
      confidence: 0.95,
      action: 'HOLD',
    });
    expect(policy.consistency).toMatchObject({
      alpha: 0.01,
      correction: 'holm',
      maxMeanShiftSigma: 0.5,
    });
  });

  it('the shipped Z1.4 level II AQL 0.65 policy validates and yields J, n = 80, 1/2 for a lot of 1000', () => {
    const policy = validatePolicy(read('schemas/policies/z14-level-ii-aql-0.65.json'), 'z14.json');
    if (policy.conformance.mode !== 'attributes') throw new Error('expected attributes');
    const { aql, inspectionLevel } = policy.conformance;
    expect(planFor({ lotSize: 1000, aql, level: inspectionLevel })).toMatchObject({ sampleSize: 80, ac: 1, re: 2 });
  });

  it('names the failing field of an invalid AQL with its JSON pointer and the allowed values', () => {
    const bad = clone(read('schemas/policies/z14-level-ii-aql-0.65.json')) as {
      conformance: { aql: number };
    };
    bad.conformance.aql = 0.7;
    expect(() => validatePolicy(bad, 'bad.json')).toThrow(PolicyValidationError);
    expect(() => validatePolicy(bad, 'bad.json')).toThrow(/bad\.json: field "\/conformance\/aql" must be one of .*0\.65.*found 0\.7/);
  });

  it('names a wrong field outside the conformance union', () => {
    const bad = clone(read('schemas/policies/default.json')) as {
      consistency: { correction: string };
    };
    bad.consistency.correction = 'sidak';
    try {
      validatePolicy(bad, 'p.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyValidationError);
      expect((error as PolicyValidationError).pointer).toBe('/consistency/correction');
    }
  });

  it('reports a missing required field and refuses to drop the deviation-reason rule', () => {
    const bad = clone(read('schemas/policies/default.json')) as {
      signOff: Record<string, unknown>;
    };
    bad.signOff['requireDeviationReasonToAcceptFailures'] = false;
    expect(() => validatePolicy(bad, 'p.json')).toThrow(/\/signOff\/requireDeviationReasonToAcceptFailures/);
    bad.signOff['requireDeviationReasonToAcceptFailures'] = true;
    delete bad.signOff['policyName'];
    expect(() => validatePolicy(bad, 'p.json')).toThrow(/field "\/signOff" is missing the required property "policyName"/);
  });
});
