import { describe, expect, it } from 'vitest';
import { c4, d2, d2ViaRangeDistribution, d3, gaussLegendre, integrate, subgroupConstants } from '../../../src/spc/constants.js';
import { SpcInputError } from '../../../src/spc/spc-error.js';

// Exact constants, n = 2…25, 5 decimals: spc-reference §1.3 (two independent integrations + mpmath check),
// columns n, d2, d3, c4, A2, A3, B3, B4, D3, D4, E2.
const TABLE: number[][] = [
  [2, 1.12838, 0.8525, 0.79788, 1.87997, 2.65868, 0, 3.26653, 0, 3.26653, 2.65868],
  [3, 1.69257, 0.88837, 0.88623, 1.02333, 1.95441, 0, 2.56817, 0, 2.57459, 1.77245],
  [4, 2.05875, 0.87981, 0.92132, 0.7286, 1.6281, 0, 2.26605, 0, 2.28205, 1.45719],
  [5, 2.32593, 0.86408, 0.93999, 0.57682, 1.4273, 0, 2.089, 0, 2.1145, 1.28981],
  [6, 2.53441, 0.84804, 0.95153, 0.48325, 1.28713, 0.03036, 1.96964, 0, 2.00383, 1.18371],
  [7, 2.70436, 0.83321, 0.95937, 0.41928, 1.18192, 0.11769, 1.88231, 0.07571, 1.92429, 1.10932],
  [8, 2.8472, 0.81983, 0.96503, 0.37253, 1.0991, 0.18509, 1.81491, 0.13617, 1.86383, 1.05367],
  [9, 2.97003, 0.80783, 0.96931, 0.3367, 1.03166, 0.23913, 1.76087, 0.18401, 1.81599, 1.01009],
  [10, 3.07751, 0.79705, 0.97266, 0.30826, 0.97535, 0.28371, 1.71629, 0.22302, 1.77698, 0.97482],
  [11, 3.17287, 0.78731, 0.97535, 0.28508, 0.92739, 0.32128, 1.67872, 0.25558, 1.74442, 0.94552],
  [12, 3.25846, 0.77848, 0.97756, 0.26578, 0.88591, 0.35351, 1.64649, 0.28327, 1.71673, 0.92068],
  [13, 3.33598, 0.77042, 0.97941, 0.24942, 0.84955, 0.38156, 1.61844, 0.30718, 1.69282, 0.89929],
  [14, 3.40676, 0.76302, 0.98097, 0.23535, 0.81734, 0.40625, 1.59375, 0.32808, 1.67192, 0.8806],
  [15, 3.47183, 0.75621, 0.98232, 0.22311, 0.78854, 0.4282, 1.5718, 0.34656, 1.65344, 0.8641],
  [16, 3.53198, 0.74991, 0.98348, 0.21235, 0.7626, 0.44789, 1.55211, 0.36304, 1.63696, 0.84938],
  [17, 3.58788, 0.74405, 0.98451, 0.2028, 0.73906, 0.46568, 1.53432, 0.37786, 1.62214, 0.83615],
  [18, 3.64006, 0.73859, 0.98541, 0.19426, 0.71758, 0.48185, 1.51815, 0.39128, 1.60872, 0.82416],
  [19, 3.68896, 0.73348, 0.98621, 0.18657, 0.69787, 0.49664, 1.50336, 0.40351, 1.59649, 0.81324],
  [20, 3.73495, 0.72869, 0.98693, 0.17961, 0.6797, 0.51023, 1.48977, 0.4147, 1.5853, 0.80322],
  [21, 3.77834, 0.72417, 0.98758, 0.17327, 0.66288, 0.52278, 1.47722, 0.42501, 1.57499, 0.794],
  [22, 3.81938, 0.71991, 0.98817, 0.16746, 0.64726, 0.53441, 1.46559, 0.43453, 1.56547, 0.78547],
  [23, 3.85832, 0.71589, 0.9887, 0.16213, 0.63269, 0.54523, 1.45477, 0.44337, 1.55663, 0.77754],
  [24, 3.89535, 0.71207, 0.98919, 0.15721, 0.61906, 0.55533, 1.44467, 0.4516, 1.5484, 0.77015],
  [25, 3.93063, 0.70844, 0.98964, 0.15265, 0.60628, 0.56479, 1.43521, 0.45929, 1.54071, 0.76324],
];

describe('control-chart constants', () => {
  it.each(TABLE)('n = %i matches the exact 5-decimal table (spc-reference §1.3)', (n, ...expected) => {
    const c = subgroupConstants(n);
    const got = [c.d2, c.d3, c.c4, c.A2, c.A3, c.B3, c.B4, c.D3, c.D4, c.E2];
    got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThanOrEqual(5.000001e-6));
  });

  it('rounds to the published 3–4 decimal tables: A2(5)=0.577, A3(5)=1.427, B4(5)=2.089, D4(5)=2.114, c4(5)=0.9400, D4(2)=3.267', () => {
    // Montgomery Appendix VI / SAS/QC tables as quoted in spc-reference §1.3
    expect(subgroupConstants(5).A2.toFixed(3)).toBe('0.577');
    expect(subgroupConstants(5).A3.toFixed(3)).toBe('1.427');
    expect(subgroupConstants(5).B4.toFixed(3)).toBe('2.089');
    expect(subgroupConstants(5).D4.toFixed(3)).toBe('2.114');
    expect(c4(5).toFixed(4)).toBe('0.9400');
    expect(subgroupConstants(2).D4.toFixed(3)).toBe('3.267');
    expect(subgroupConstants(2).E2.toFixed(3)).toBe('2.659'); // exact 3/d2(2); textbooks print 2.660 = 3/1.128
  });

  it('agrees with the closed forms for n = 2 and n = 3', () => {
    // R of two normals = √2|Z|: d2 = 2/√π, d3 = √(2 − 4/π); d2(3) = 3/√π (Tippett 1925)
    expect(d2(2)).toBeCloseTo(2 / Math.sqrt(Math.PI), 14);
    expect(d3(2)).toBeCloseTo(Math.sqrt(2 - 4 / Math.PI), 14);
    expect(d2(3)).toBeCloseTo(3 / Math.sqrt(Math.PI), 10);
    // c4(2) = √(2/π), c4(3) = √π/2
    expect(c4(2)).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
    expect(c4(3)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 14);
  });

  it('gets d2 the same from the range distribution as from the direct integral (n up to 50)', () => {
    for (const n of [3, 7, 25, 50]) expect(d2ViaRangeDistribution(n)).toBeCloseTo(d2(n), 9);
  });

  it('supports n up to 50 and beyond: d2(50) = 4.498 (ASTM STP-15D / Harter 1960 tables)', () => {
    expect(d2(50).toFixed(3)).toBe('4.498');
    expect(c4(50).toFixed(4)).toBe('0.9949'); // ASTM: c4(50) = 0.9949
  });

  it('gives c4 for the huge d+1 of a pooled SD and tends to 1 − 1/(4n)', () => {
    const n = 2_000_001;
    expect(c4(n)).toBeLessThan(1);
    expect(c4(n)).toBeCloseTo(1 - 1 / (4 * n), 12);
  });

  it('uses a Gauss–Legendre rule that integrates polynomials to degree 39 exactly', () => {
    const { weights } = gaussLegendre(20);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 14);
    expect(integrate((x) => x ** 38, -1, 1, 2)).toBeCloseTo(2 / 39, 14);
  });

  it('rejects a subgroup of one, non-integers, and range constants beyond n = 100', () => {
    expect(() => d2(1)).toThrow(SpcInputError);
    expect(() => c4(2.5)).toThrow(/integer ≥ 2/);
    expect(() => d3(101)).toThrow(/S chart/);
  });
});
