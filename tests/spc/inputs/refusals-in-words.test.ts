/**
 * The statistics' refusals of too-short input are read by a person (a HOLD note, a CLI error): they count
 * in words ("1 value", "1 point"), never "value(s)".
 */
import { describe, expect, it } from 'vitest';
import { requireCount } from '../../../src/spc/stats-error.js';
import { assertMinLength } from '../../../src/spc/spc-error.js';
import { summarizeSample } from '../../../src/spc/consistency.js';

describe('refusals of too-short input', () => {
  it('count the values and points in words', () => {
    expect(() => requireCount(1, 3, 'lot L1')).toThrow('lot L1 has 1 value; at least 3 are needed');
    expect(() => requireCount(0, 3, 'lot L1')).toThrow('lot L1 has 0 values; at least 3 are needed');
    expect(() => summarizeSample(Float64Array.of(1.5), 'lane 2')).toThrow(
      'lane 2 has 1 value; at least 2 are needed for a standard deviation',
    );
    expect(() => assertMinLength([1], 2, 'I-MR chart')).toThrow('I-MR chart: 1 point given; at least 2 are needed to estimate sigma');
    expect(() => assertMinLength([], 1, 'I-MR chart')).toThrow('I-MR chart: the series is empty; give at least 1 point');
    expect(() => assertMinLength([], 2, 'I-MR chart')).toThrow('I-MR chart: the series is empty; give at least 2 points');
  });
});
