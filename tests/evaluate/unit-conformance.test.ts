import { describe, expect, it } from 'vitest';
import { buildLotView } from '../../src/evaluate/lot-view.js';
import { judgeRun, judgeRuns } from '../../src/evaluate/unit-conformance.js';
import { TINY, goodUnit, lotData } from './support/tiny-product.js';

/** The run's conformance, which judgeRuns (cell by cell, as a lot evaluation judges) must give as well. */
function verdictOf(over: Parameters<typeof goodUnit>[1]) {
  const view = buildLotView(lotData('L', [goodUnit('S1', over)]), TINY);
  const run = view.units[0]!.finalRun;
  const verdict = judgeRun(view, run);
  expect(judgeRuns(view, [run])[run]).toEqual(verdict);
  return verdict;
}

describe('unit conformance: is one test run within every limit of its product', () => {
  it('passes a unit whose every reading is inside its limits', () => {
    expect(verdictOf({})).toEqual({ verdict: 'pass', failures: [] });
  });

  it('fails a reading above its USL and names parameter, lane, value and limit', () => {
    const r = verdictOf({ tdecq: [1.5, 3.5] });
    expect(r.verdict).toBe('fail');
    expect(r.failures).toContainEqual({ parameter: 'tdecq', corner: 'room', lane: 1, value: 3.5, limit: 3.4, side: 'above-usl' });
  });

  it('does not judge an informative LSL (average launch power min)', () => {
    expect(verdictOf({ power: [-5, 1] }).verdict).toBe('pass');
  });

  it('evaluates a limit expression on the same lane: OMA min = max(−0.8, TDECQ − 2.2)', () => {
    // lane 0: TDECQ 3.0 → OMA min 0.8; OMA 0.5 fails. lane 1: TDECQ 1.0 → min −0.8; OMA −0.5 passes.
    const r = verdictOf({ tdecq: [3.0, 1.0], oma: [0.5, -0.5] });
    expect(r.failures.filter((f) => f.parameter === 'oma')).toEqual([
      { parameter: 'oma', corner: 'room', lane: 0, value: 0.5, limit: expect.closeTo(0.8, 12) as unknown, side: 'below-lsl' },
    ]);
  });

  it('judges a derived parameter (OMA − TDECQ) computed from the readings', () => {
    // OMA 0.9 − TDECQ 3.2 = −2.3 < −2.2 (and OMA 0.9 ≥ its min 1.0? no: 3.2 − 2.2 = 1.0 > 0.9 also fails)
    const r = verdictOf({ tdecq: [3.2, 1.6], oma: [0.9, 2.1] });
    expect(r.failures.map((f) => f.parameter).sort()).toEqual(['oma', 'oma_minus_tdecq']);
  });

  it('a missing reading makes the unit indeterminate, never a pass', () => {
    const r = verdictOf({ er: [5] });
    expect(r.verdict).toBe('indeterminate');
    expect(r.failures).toContainEqual({ parameter: 'er', corner: 'room', lane: 1, value: null, limit: null, side: 'missing' });
  });

  it('a limit whose expression input is missing is indeterminate', () => {
    const r = verdictOf({ tdecq: [1.5] });
    expect(r.verdict).toBe('indeterminate');
    expect(r.failures.some((f) => f.parameter === 'oma' && f.lane === 1 && f.side === 'indeterminate')).toBe(true);
  });

  describe('censored readings are judged by what their bound proves', () => {
    it('"<−12" passes an USL of −4.4 (true value is even lower)', () => {
      expect(verdictOf({ sens: ['<-12', -6] }).verdict).toBe('pass');
    });
    it('"<5" against an USL of −4.4 cannot be decided', () => {
      expect(verdictOf({ sens: ['<5', -6] }).verdict).toBe('indeterminate');
    });
    it('"<3" fails an LSL of 3.5 (true value ≤ 3)', () => {
      expect(verdictOf({ er: ['<3', 5] }).verdict).toBe('fail');
    });
    it('">4" passes an LSL of 3.5 and ">3.6" against USL 3.4 fails', () => {
      expect(verdictOf({ er: ['>4', 5] }).verdict).toBe('pass');
      expect(verdictOf({ tdecq: ['>3.6', 1] }).verdict).toBe('fail');
    });
  });

  it('a per-module reading is judged once per unit', () => {
    const r = verdictOf({ module_power: 12.5 });
    expect(r.failures).toEqual([{ parameter: 'module_power', corner: 'room', lane: null, value: 12.5, limit: 12, side: 'above-usl' }]);
  });

  it('judges a lot cell by cell exactly as run by run: every run asked for once, in cell order, the rest left out', () => {
    const runs = [
      goodUnit('S1', { tdecq: [1.5, 3.5] }),
      goodUnit('S1', {}, 2),
      goodUnit('S2', { er: [5], sens: ['<5', -6] }),
      goodUnit('S3', { tdecq: [3.0, 1.0], oma: [0.5, -0.5] }),
      goodUnit('S3', { tdecq: [1.5] }, 2),
      goodUnit('S3', { tdecq: [3.2, 1.6], oma: [0.9, 2.1] }, 3),
      goodUnit('S4', { er: ['<3', 5], power: [-5, 1] }),
    ];
    const view = buildLotView(lotData('L', runs), TINY);
    const asked = view.units.flatMap((u) => [u.firstRun, u.finalRun, u.finalRun]);
    const judged = judgeRuns(view, asked);
    expect(judged).toHaveLength(runs.length);
    for (let run = 0; run < runs.length; run++) {
      if (asked.includes(run)) expect(judged[run], `run ${run}`).toEqual(judgeRun(view, run));
      else expect(judged[run], `run ${run}`).toBeUndefined();
    }
    expect(judged.filter((j) => j !== undefined).map((j) => j.verdict)).toContain('fail');
    expect(judged.filter((j) => j !== undefined).map((j) => j.verdict)).toContain('indeterminate');
  });
});
