import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adjustPValues, rejectedHypotheses, MultipleTestingError } from '../../../src/spc/multiple-testing.js';

// Benjamini, Y. & Hochberg, Y. (1995) "Controlling the false discovery rate", JRSS B 57(1), §4.2:
// the 15 ordered p-values of the Neuhaus et al. thrombolysis study. At q = 0.05 the BH procedure rejects
// the four smallest; the Bonferroni-type procedures (Bonferroni, Holm) reject only the three smallest.
const BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];

describe('multiple-testing corrections over a lot’s family of charts', () => {
  it('Benjamini–Hochberg rejects the four smallest of the 1995 paper’s example at q = 0.05', () => {
    const r = rejectedHypotheses(BH_1995, 0.05, 'benjamini-hochberg');
    expect(r.filter(Boolean)).toHaveLength(4);
    expect(r.slice(0, 4)).toEqual([true, true, true, true]);
  });

  it('Holm and Bonferroni reject only the three smallest of the same example', () => {
    expect(rejectedHypotheses(BH_1995, 0.05, 'holm').filter(Boolean)).toHaveLength(3);
    expect(rejectedHypotheses(BH_1995, 0.05, 'bonferroni').filter(Boolean)).toHaveLength(3);
  });

  it('adjusted p-values follow the step-down / step-up definitions (R p.adjust)', () => {
    // Holm: (m − r + 1) p_(r), cumulative max → 15·0.0001, 14·0.0004, 13·0.0019, 12·0.0095
    const holm = adjustPValues(BH_1995, 'holm');
    expect(holm[0]).toBeCloseTo(0.0015, 12);
    expect(holm[1]).toBeCloseTo(0.0056, 12);
    expect(holm[2]).toBeCloseTo(0.0247, 12);
    expect(holm[3]).toBeCloseTo(0.114, 12);
    // BH: m p_(r) / r, cumulative min from the top → 4th: 15·0.0095/4 = 0.035625
    const bh = adjustPValues(BH_1995, 'benjamini-hochberg');
    expect(bh[3]).toBeCloseTo(0.035625, 12);
    expect(bh[14]).toBe(1);
  });

  it('keeps the input order and never decreases with p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }), (ps) => {
        for (const c of ['holm', 'bonferroni', 'benjamini-hochberg'] as const) {
          const adj = adjustPValues(ps, c);
          for (let i = 0; i < ps.length; i++) {
            expect(adj[i]!).toBeGreaterThanOrEqual(ps[i]! - 1e-15);
            expect(adj[i]!).toBeLessThanOrEqual(1);
            for (let j = 0; j < ps.length; j++) if (ps[i]! < ps[j]!) expect(adj[i]!).toBeLessThanOrEqual(adj[j]! + 1e-15);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses p-values outside [0, 1] and naming the offending position', () => {
    expect(() => adjustPValues([0.1, Number.NaN], 'holm')).toThrow(MultipleTestingError);
    expect(() => adjustPValues([0.1, 1.2], 'holm')).toThrow(/#1 is 1.2/);
  });
});
