import { describe, expect, it } from 'vitest';
import { codeLetterFor, judgeSample, planFor } from '../../src/acceptance/z14-plans.js';
import { SamplingPlanError } from '../../src/acceptance/errors.js';

describe('Z1.4 Table I code letters', () => {
  // Published: ANSI/ASQ Z1.4 = MIL-STD-105E Table I (as reproduced in shared/domain/spc-reference.md §5.1).
  it.each([
    [1000, 'S-1', 'C'],
    [1000, 'S-4', 'F'],
    [1000, 'I', 'G'],
    [1000, 'II', 'J'],
    [1000, 'III', 'K'],
    [8, 'III', 'B'],
    [9, 'II', 'B'],
    [3201, 'II', 'L'],
    [600_000, 'III', 'R'],
    [600_000, 'S-2', 'E'],
  ] as const)('lot %i at level %s is code letter %s', (lotSize, level, letter) => {
    expect(codeLetterFor(lotSize, level)).toBe(letter);
  });

  it('refuses a lot of one unit with a message that says why', () => {
    expect(() => codeLetterFor(1, 'II')).toThrow(/at least 2/);
  });
});

describe('Z1.4 master tables with arrows resolved', () => {
  // Normal inspection, Table II-A. Cells checked against "TABLE 1-A, Single Normal, developed from
  // MIL-STD-105E using TABLE I and TABLE II-A" (nibs.org FMOC AC-TABLE.ASC), which lists Re per lot size.
  it('lot 1000, level II, AQL 0.65: J, n = 80, Ac 1 Re 2 (Table 1-A row 501–1,200)', () => {
    expect(planFor({ lotSize: 1000, aql: 0.65, level: 'II' })).toMatchObject({
      codeLetter: 'J',
      planLetter: 'J',
      sampleSize: 80,
      ac: 1,
      re: 2,
      hundredPercent: false,
      severity: 'normal',
    });
  });

  it('lot 5000, level II, AQL 2.5: L, n = 200, Ac 10 Re 11 (Table 1-A row 3,201–10,000)', () => {
    expect(planFor({ lotSize: 5000, aql: 2.5, level: 'II' })).toMatchObject({
      codeLetter: 'L',
      sampleSize: 200,
      ac: 10,
      re: 11,
    });
  });

  it('up arrow: lot 100 (F) at AQL 1.0 uses the E plan, n = 13, Ac 0 Re 1 (Table 1-A row 91–150 shows /\\)', () => {
    expect(planFor({ lotSize: 100, aql: 1.0, level: 'II' })).toMatchObject({
      codeLetter: 'F',
      planLetter: 'E',
      sampleSize: 13,
      ac: 0,
      re: 1,
    });
  });

  it('down arrow: lot 50 (D) at AQL 4.0 uses the E plan, n = 13, Ac 1 Re 2 (Table 1-A rows 26–50 and 51–90)', () => {
    expect(planFor({ lotSize: 50, aql: 4.0, level: 'II' })).toMatchObject({
      codeLetter: 'D',
      planLetter: 'E',
      sampleSize: 13,
      ac: 1,
      re: 2,
    });
  });

  it('lot 3201–10000 at AQL 0.065 is n = 200, Ac 0 Re 1 (Elsmar forum worked example, spc-reference [S17])', () => {
    expect(planFor({ lotSize: 8000, aql: 0.065, level: 'II' })).toMatchObject({
      codeLetter: 'L',
      sampleSize: 200,
      ac: 0,
      re: 1,
    });
  });

  it('100 % inspection when the arrow leads to n ≥ lot: lot 91–150 at AQL 0.065 → n = 200 (spc-reference [S17])', () => {
    const plan = planFor({ lotSize: 120, aql: 0.065, level: 'II' });
    expect(plan).toMatchObject({
      codeLetter: 'F',
      planLetter: 'L',
      tableSampleSize: 200,
      sampleSize: 120,
      hundredPercent: true,
      ac: 0,
      re: 1,
    });
  });

  // Tightened inspection, Table II-B: "TABLE 1-B ... Single Tightened" (nibs.org AC-TABLE.ASC).
  it('tightened, lot 1000 (J) at AQL 0.65: down arrow to K, n = 125, Ac 1 Re 2 (Table 1-B row 501–1,200 shows \\/)', () => {
    expect(planFor({ lotSize: 1000, aql: 0.65, level: 'II', severity: 'tightened' })).toMatchObject({
      planLetter: 'K',
      sampleSize: 125,
      ac: 1,
      re: 2,
    });
  });

  it.each([
    [1.0, 1, 2],
    [4.0, 5, 6],
    [6.5, 8, 9],
    [10, 12, 13],
  ])('tightened, lot 1000 (J) at AQL %f: n = 80, Ac %i Re %i (Table 1-B row 501–1,200)', (aql, ac, re) => {
    expect(planFor({ lotSize: 1000, aql, level: 'II', severity: 'tightened' })).toMatchObject({ planLetter: 'J', sampleSize: 80, ac, re });
  });

  it('tightened, lot 200 (G) at AQL 0.65: n = 32, Ac 0 Re 1 (Table 1-B row 151–280)', () => {
    expect(planFor({ lotSize: 200, aql: 0.65, level: 'II', severity: 'tightened' })).toMatchObject({ sampleSize: 32, ac: 0, re: 1 });
  });

  it('tightened row S (n = 3150, Ac 1 Re 2) is reached from R at AQL 0.025 (MIL-STD-105E Table II-B)', () => {
    expect(
      planFor({
        lotSize: 600_000,
        aql: 0.025,
        level: 'III',
        severity: 'tightened',
      }),
    ).toMatchObject({
      codeLetter: 'R',
      planLetter: 'S',
      sampleSize: 3150,
      ac: 1,
      re: 2,
    });
  });

  // Reduced inspection, Table II-C: the shipped table is NOT verified against a primary copy (see
  // src/acceptance/tables/z14-single-reduced.json); these assert the gap plans as shipped.
  it('reduced, lot 1500 (K) at AQL 0.65 uses the gap plan n = 50, Ac 1 Re 3 (shipped II-C, unverified)', () => {
    expect(planFor({ lotSize: 1500, aql: 0.65, level: 'II', severity: 'reduced' })).toMatchObject({
      codeLetter: 'K',
      sampleSize: 50,
      ac: 1,
      re: 3,
    });
  });

  it('tells the user which AQLs exist when given one that is not tabulated', () => {
    expect(() => planFor({ lotSize: 1000, aql: 0.7, level: 'II' })).toThrow(SamplingPlanError);
    expect(() => planFor({ lotSize: 1000, aql: 15, level: 'II' })).toThrow(/0\.65/);
  });
});

describe('judging a sample', () => {
  it('accepts at Ac and rejects at Re', () => {
    const plan = planFor({ lotSize: 1000, aql: 0.65, level: 'II' });
    expect(judgeSample(plan, 1).verdict).toBe('accept');
    expect(judgeSample(plan, 2).verdict).toBe('reject');
  });

  it('a reduced-inspection count between Ac and Re accepts the lot but returns to normal', () => {
    const plan = planFor({
      lotSize: 1500,
      aql: 0.65,
      level: 'II',
      severity: 'reduced',
    });
    expect(judgeSample(plan, 2)).toMatchObject({
      verdict: 'accept-return-to-normal',
      ac: 1,
      re: 3,
    });
    expect(judgeSample(plan, 3).verdict).toBe('reject');
  });

  it('refuses a count larger than the sample', () => {
    expect(() => judgeSample({ ac: 0, re: 1, sampleSize: 5 }, 6)).toThrow(/0 to the sample size 5/);
  });
});
