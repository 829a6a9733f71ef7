/**
 * The speed work of issue 4 must not move a number: every fast path (one sort per chart shared by the
 * SPC functions, native canonical JSON of leaf records, the compact chart encoding) is checked here against
 * the same published worked examples as the general path, and for exact equality with it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartPointSerials, chartPointUnit, chartRuleName } from '../../src/domain/lot-result.js';
import { canonicalJson, CanonicalJsonError } from '../../src/report/result-hash.js';
import { processCapability } from '../../src/spc/capability.js';
import { brownForsytheTest, kolmogorovSmirnovTwoSample } from '../../src/spc/consistency.js';
import { describe as describeValues, sortedCopy } from '../../src/spc/descriptive.js';
import { partAverageTest, patLimits } from '../../src/spc/pat.js';
import { AUTO83B_JAPAN, AUTO83B_US, GEAR_BATCHES } from '../spc/consistency/reference-data.js';

/** Phase I (trial) piston-ring diameters, 25 samples × 5 (Montgomery Table 6.3 = R qcc `pistonrings`). */
function pistonringsPhaseI(): Float64Array {
  const url = new URL('../fixtures/reference/pistonrings.csv', import.meta.url);
  const rows = readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('sample'))
    .map((l) => l.split(','));
  return Float64Array.from(rows.filter((r) => r[2] === 'TRUE').map((r) => Number(r[1])));
}

describe('SPC fast paths for pre-sorted values give the published numbers, identical to the general path', () => {
  const x = pistonringsPhaseI();
  const sorted = sortedCopy(x);

  it('describe with sortedUncensored: pistonrings x̿ = 74.00118 (qcc centre line, Montgomery Table 6.3)', () => {
    const fast = describeValues(x, undefined, { sortedUncensored: sorted });
    expect(fast.mean).toBeCloseTo(74.00118, 5);
    expect(fast).toEqual(describeValues(x));
    expect(() => describeValues(x, undefined, { sortedUncensored: sorted.subarray(1) })).toThrow(/sorted uncensored values/);
  });

  it('processCapability with sortedValues: pistonrings Cp 1.703, Cpk 1.663 (qcc 3.0 vignette)', () => {
    const base = { lsl: 73.95, usl: 74.05, withinSigma: 0.009785039, withinSigmaEstimator: 'Rbar/d2' } as const;
    const fast = processCapability(x, { ...base, sortedValues: sorted });
    expect(fast.cp!).toBeCloseTo(1.703, 3);
    expect(fast.cpk).toBeCloseTo(1.663, 3);
    expect(fast).toEqual(processCapability(x, base));
  });

  it('Brown–Forsythe with sortedGroups: GEAR.DAT W = 1.70591, p = 0.0991 (NIST e-Handbook 1.3.5.10)', () => {
    const groups = GEAR_BATCHES.map((g) => Float64Array.from(g));
    const fast = brownForsytheTest(groups, { sortedGroups: groups.map((g) => sortedCopy(g)) });
    expect(fast.w).toBeCloseTo(1.70591, 4);
    expect(fast.pValue).toBeCloseTo(0.0991, 4);
    expect(fast).toEqual(brownForsytheTest(groups));
    expect(() => brownForsytheTest(groups, { sortedGroups: [sortedCopy(groups[0]!)] })).toThrow(/every group/);
  });

  it('Kolmogorov–Smirnov on sorted samples: AUTO83B U.S. vs Japan differ decisively (NIST e-Handbook data)', () => {
    const us = sortedCopy(AUTO83B_US);
    const japan = sortedCopy(AUTO83B_JAPAN);
    const fast = kolmogorovSmirnovTwoSample(us, japan, { sorted: true });
    expect(fast.d).toBeGreaterThan(0.5);
    expect(fast.pValue).toBeLessThan(1e-10);
    expect(fast).toEqual(kolmogorovSmirnovTwoSample(AUTO83B_US, AUTO83B_JAPAN));
    expect(() => kolmogorovSmirnovTwoSample(AUTO83B_US, japan, { sorted: true })).toThrow(/options.sorted/);
  });

  it('PAT with sortedValues: the same limits and outliers (indices into the unsorted values)', () => {
    const k = 3; // tight enough that pistonrings has outliers on both paths
    for (const spec of [
      { lsl: null, usl: null },
      { lsl: 73.99, usl: 74.02 },
    ]) {
      const slow = partAverageTest(x, { ...spec, k });
      const fast = partAverageTest(x, { ...spec, k, sortedValues: sorted });
      expect(fast).toEqual(slow);
    }
    expect(patLimits(sorted, 6, { sorted: true })).toEqual(patLimits(x, 6));
    // an unsorted array marked sorted is detected and sorted, never trusted
    expect(patLimits(x, 6, { sorted: true })).toEqual(patLimits(x, 6));
  });
});

/** RFC 8785 by the book: sort keys of every object, JSON.stringify the leaves — the reference to compare with. */
function referenceJcs(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : referenceJcs(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const r = v as Record<string, unknown>;
    return `{${Object.keys(r)
      .sort()
      .filter((k) => r[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${referenceJcs(r[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

describe('canonical JSON fast paths (native leaf records, no per-item paths) write the RFC 8785 bytes', () => {
  it('RFC 8785 §3.2.3 sorting example (keys by UTF-16 code units)', () => {
    // RFC 8785 §3.2.3: the keys "\u20ac", "\r", "\ufb33", "1", "\ud83d\ude00", "\u0080", "\u00f6" sort to
    // "\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33".
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const out = canonicalJson(input);
    // (read from the string: JSON.parse would move the integer-like key "1" first again)
    const at = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => out.indexOf(`${JSON.stringify(k)}:`));
    expect(at.every((p) => p > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('equals the by-the-book serialisation whatever the key insertion order (records pre-sorted or not)', () => {
    const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.array(leaf, { maxLength: 4 }), tie('rec')),
      rec: fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('a', 'b', '10', '9', '__proto__x')), tie('node'), {
        maxKeys: 5,
      }),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const sortedCopyOf = (x: unknown): unknown =>
          Array.isArray(x)
            ? x.map(sortedCopyOf)
            : x !== null && typeof x === 'object'
              ? Object.fromEntries(
                  Object.keys(x)
                    .sort()
                    .map((k) => [k, sortedCopyOf((x as Record<string, unknown>)[k])]),
                )
              : x;
        const expected = referenceJcs(v);
        expect(canonicalJson(v)).toBe(expected);
        expect(canonicalJson(sortedCopyOf(v))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('still names the path of a non-finite number, found only after the writer fails', () => {
    const bad = { cells: [{ chart: { points: [1, 2] } }, { chart: { points: [1, Number.NaN] } }] };
    expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(bad)).toThrow(/\$\.cells\[1\]\.chart\.points\[1\]/);
    // inside a record that would otherwise be written natively
    expect(() => canonicalJson({ a: { b: 1, c: Infinity } })).toThrow(/\$\.a\.c/);
  });
});

describe('compact chart encoding', () => {
  const units = ['S1', 'S2', 'S3', 'S4'].map((serial) => ({ serial }));
  it('unitIndex null means point i is unit i; otherwise it maps points to units', () => {
    expect(chartPointUnit({ unitIndex: null }, 2)).toBe(2);
    expect(chartPointUnit({ unitIndex: [0, 2, 3] }, 1)).toBe(2);
    expect(() => chartPointUnit({ unitIndex: [0, 2, 3] }, 3)).toThrow(/does not exist/);
    expect(chartPointSerials({ units } as never, { unitIndex: [0, 2, 3] }, [1, 2])).toEqual(['S3', 'S4']);
    expect(chartPointSerials({ units } as never, { unitIndex: null }, [0, 3])).toEqual(['S1', 'S4']);
  });

  it('rule names live once on the chart', () => {
    const chart = { rules: [{ rule: 2, name: '9 points in a row on the same side of the centre line' }] };
    expect(chartRuleName(chart, 2)).toMatch(/9 points/);
    expect(chartRuleName(chart, 5)).toBe('rule 5');
  });
});
