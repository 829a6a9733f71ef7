import { describe, expect, it } from 'vitest';
import { evaluateRules, ruleName } from '../../../src/spc/run-rules.js';
import { SpcInputError } from '../../../src/spc/spc-error.js';
import { SERIES, range } from './rule-series.js';

// Each case: the series, and the one signal expected from ALL EIGHT rules of the set (so every other
// rule is shown not to fire). Numbering: Nelson (1984) / qcc 3.0; Western Electric per spc-reference §2.2.
const LIMITS = { centre: 0, standardError: 1 };
const only = (set: 'nelson' | 'western-electric', xs: number[]) =>
  evaluateRules(xs, LIMITS, { set }).map((s) => ({ rule: s.rule, index: s.index, direction: s.direction, indices: s.indices }));

describe('Nelson tests, one series per test', () => {
  it('1: one point beyond 3σ — each point is its own signal', () => {
    expect(only('nelson', SERIES.beyond)).toEqual([
      { rule: 1, index: 10, direction: 'up', indices: [10] },
      { rule: 1, index: 25, direction: 'down', indices: [25] },
    ]);
  });
  it('2: nine points in a row on one side fires at the ninth', () => {
    expect(only('nelson', SERIES.nine)).toEqual([{ rule: 2, index: 20, direction: 'up', indices: range(12, 20) }]);
  });
  it('2 does not fire on eight in a row (that is WE 4)', () => {
    expect(only('nelson', SERIES.eight)).toEqual([]);
  });
  it('3: six points steadily increasing', () => {
    expect(only('nelson', SERIES.trend)).toEqual([{ rule: 3, index: 18, direction: 'up', indices: range(13, 18) }]);
  });
  it('4: fourteen points alternating up and down', () => {
    expect(only('nelson', SERIES.alternating)).toEqual([{ rule: 4, index: 27, direction: null, indices: range(14, 27) }]);
  });
  it('5: two of three beyond 2σ on the same side', () => {
    expect(only('nelson', SERIES.twoOfThree)).toEqual([{ rule: 5, index: 14, direction: 'up', indices: range(12, 14) }]);
  });
  it('6: four of five beyond 1σ on the same side', () => {
    expect(only('nelson', SERIES.fourOfFive)).toEqual([{ rule: 6, index: 16, direction: 'up', indices: range(12, 16) }]);
  });
  it('7: fifteen points in a row within 1σ', () => {
    expect(only('nelson', SERIES.stratification)).toEqual([{ rule: 7, index: 26, direction: null, indices: range(12, 26) }]);
  });
  it('8: eight points in a row beyond 1σ, both sides', () => {
    expect(only('nelson', SERIES.mixture)).toEqual([{ rule: 8, index: 20, direction: null, indices: range(13, 20) }]);
  });
});

describe('Western Electric rules, one series per rule', () => {
  it('1: one point outside 3σ', () => {
    expect(only('western-electric', SERIES.beyond).map((s) => [s.rule, s.index])).toEqual([
      [1, 10],
      [1, 25],
    ]);
  });
  it('2: two of three beyond 2σ', () => {
    expect(only('western-electric', SERIES.twoOfThree)).toEqual([{ rule: 2, index: 14, direction: 'up', indices: range(12, 14) }]);
  });
  it('3: four of five beyond 1σ', () => {
    expect(only('western-electric', SERIES.fourOfFive)).toEqual([{ rule: 3, index: 16, direction: 'up', indices: range(12, 16) }]);
  });
  it('4: eight in a row on one side fires at the eighth', () => {
    expect(only('western-electric', SERIES.eight)).toEqual([{ rule: 4, index: 19, direction: 'up', indices: range(12, 19) }]);
  });
  it('5: six in a row increasing (trend)', () => {
    expect(only('western-electric', SERIES.trend)).toEqual([{ rule: 5, index: 18, direction: 'up', indices: range(13, 18) }]);
  });
  it('6: fifteen in a row in zone C (stratification)', () => {
    expect(only('western-electric', SERIES.stratification)).toEqual([{ rule: 6, index: 26, direction: null, indices: range(12, 26) }]);
  });
  it('7: fourteen alternating (systematic)', () => {
    expect(only('western-electric', SERIES.alternating)).toEqual([{ rule: 7, index: 27, direction: null, indices: range(14, 27) }]);
  });
  it('8: eight beyond 1σ on both sides (mixture)', () => {
    expect(only('western-electric', SERIES.mixture)).toEqual([{ rule: 8, index: 20, direction: null, indices: range(13, 20) }]);
  });
});

describe('edge-case conventions (spc-reference §2.3)', () => {
  it('a point exactly on the centre line breaks a same-side run', () => {
    const xs = [...Array<number>(8).fill(0.5), 0, ...Array<number>(8).fill(0.5)];
    expect(evaluateRules(xs, LIMITS, { set: 'nelson', rules: [2] })).toEqual([]);
  });
  it('equal consecutive values break a trend', () => {
    expect(evaluateRules([1, 1.2, 1.4, 1.4, 1.6, 1.8, 2.0], { centre: 1.5, standardError: 1 }, { set: 'nelson', rules: [3] })).toEqual([]);
  });
  it('windows at the start are not evaluated until full, and 2-of-3 fires only at a point beyond 2σ', () => {
    expect(evaluateRules([2.5, 2.5, 0.1, 0.2], LIMITS, { set: 'western-electric', rules: [2] })).toEqual([]);
    expect(evaluateRules([0.1, 2.5, 2.5], LIMITS, { set: 'western-electric', rules: [2] }).map((s) => s.index)).toEqual([2]);
  });
  it('beyond limits is strict: a point on the UCL does not signal', () => {
    expect(evaluateRules([0, 3, -3, 0], LIMITS, { set: 'nelson', rules: [1] })).toEqual([]);
    expect(evaluateRules([0, 3, 0], { ...LIMITS, ucl: 2.9, lcl: 0 }, { set: 'nelson', rules: [1] }).map((s) => s.index)).toEqual([1]);
  });
  it('a continuing run is ONE signal that lists every point of the run and fires where the window first filled', () => {
    const xs = Array.from({ length: 12 }, (_, i) => 0.3 + 0.05 * (i % 2));
    const s = evaluateRules(xs, LIMITS, { set: 'nelson', rules: [2] });
    expect(s).toHaveLength(1);
    expect(s[0]?.index).toBe(8);
    expect(s[0]?.indices).toEqual(range(0, 11));
  });
  it('zones scale per point when the standard error varies', () => {
    // 2.5 is beyond 2σ where σ = 1, but only 1.25σ where σ = 2
    const xs = [0.1, 2.5, 2.5, 0.1, 2.5, 2.5];
    const se = Float64Array.from([1, 1, 1, 2, 2, 2]);
    const s = evaluateRules(xs, { centre: 0, standardError: se }, { set: 'western-electric', rules: [2] });
    expect(s.map((x) => x.index)).toEqual([2]);
  });
  it('runs several sets in one pass and names every rule', () => {
    const s = evaluateRules(SERIES.eight, LIMITS, [{ set: 'nelson' }, { set: 'western-electric', rules: [4] }]);
    expect(s.map((x) => [x.ruleSet, x.rule])).toEqual([['western-electric', 4]]);
    expect(s[0]?.name).toBe(ruleName('western-electric', 4));
    expect(ruleName('nelson', 2)).toMatch(/9 points/);
  });
  it('rejects unknown rules, NaN points and a zero sigma with clear errors', () => {
    expect(() => evaluateRules([1, 2], LIMITS, { set: 'nelson', rules: [9] })).toThrow(/rule 9 does not exist/);
    expect(() => evaluateRules([1, NaN], LIMITS, { set: 'nelson' })).toThrow(/index 1 is NaN/);
    expect(() => evaluateRules([1, 2], { centre: 0, standardError: 0 }, { set: 'nelson' })).toThrow(SpcInputError);
  });
});
