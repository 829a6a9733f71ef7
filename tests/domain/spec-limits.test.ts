import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import {
  DerivedCycleError,
  SpecLimitError,
  derivedParameters,
  limitValue,
  resolveLimits,
  type ResolvedLimit,
} from '../../src/domain/spec-limits.js';
import type { ProductSpec } from '../../src/domain/product-spec.js';

const lookup = (v: Record<string, number>) => (id: string) => v[id];
const constant = (l: ResolvedLimit | null): number | null => (l?.kind === 'constant' ? l.value : null);

describe('resolveLimits', () => {
  it('applies the per-lane CWDM windows of 2×FR4 to both engines (§2.3, [S2])', () => {
    const fr4 = findProduct('osfp-800g-2xfr4');
    const windows: [number, number, number][] = [
      [1264.5, 1277.5, 1271],
      [1284.5, 1297.5, 1291],
      [1304.5, 1317.5, 1311],
      [1324.5, 1337.5, 1331],
    ];
    for (let lane = 0; lane < 8; lane++) {
      const l = resolveLimits(fr4, 'tx_wavelength', 'cold', lane);
      expect([constant(l.lsl), constant(l.usl), l.target], `lane ${lane}`).toEqual(windows[lane % 4]);
    }
  });

  it('flags the informative average-power minimum and keeps the judged maximum (§1.1, DR4 −2.9…4.0 dBm [S1])', () => {
    const l = resolveLimits(findProduct('qsfp112-400g-dr4'), 'tx_avg_power', 'hot', 3);
    expect(l).toMatchObject({
      informativeLsl: true,
      target: null,
      lsl: { kind: 'constant', value: -2.9 },
      usl: { kind: 'constant', value: 4 },
    });
  });

  it('evaluates an expression limit per lane: DR4 OMA min at TDECQ 1.0 → −0.8, at 2.5 → 0.3 dBm (§2.1 [D])', () => {
    const l = resolveLimits(findProduct('qsfp112-400g-dr4'), 'tx_oma_outer', 'room', 0);
    expect(l.lsl?.kind).toBe('expression');
    expect(limitValue(l.lsl!, lookup({ tx_tdecq: 1.0 }))).toBeCloseTo(-0.8, 12);
    expect(limitValue(l.lsl!, lookup({ tx_tdecq: 2.5 }))).toBeCloseTo(0.3, 12);
    expect(limitValue(l.usl!, lookup({}))).toBe(4.2);
    expect(limitValue(l.lsl!, lookup({}))).toMatchObject({ kind: 'missing-input', id: 'tx_tdecq' });
  });

  it('DR8 OMA − TDECQ minimum follows the lane ER (§2.2 [S4]); FR4 sensitivity follows SECQ (§2.3 [S3])', () => {
    const dr8 = resolveLimits(findProduct('osfp-800g-dr8'), 'tx_oma_minus_tdecq', 'hot', 7);
    expect(limitValue(dr8.lsl!, lookup({ tx_er: 5.2 }))).toBe(-2.2);
    expect(limitValue(dr8.lsl!, lookup({ tx_er: 4.1 }))).toBe(-1.9);
    const fr4 = resolveLimits(findProduct('osfp-800g-2xfr4'), 'rx_sensitivity_oma', 'cold', 5);
    expect(limitValue(fr4.usl!, lookup({ rx_secq: 0.9 }))).toBeCloseTo(-4.6, 12);
    expect(limitValue(fr4.usl!, lookup({ rx_secq: 3.4 }))).toBeCloseTo(-2.6, 12);
  });

  it('resolves per-module parameters with lane null', () => {
    const l = resolveLimits(findProduct('osfp-800g-dr8-lpo'), 'module_power', 'hot', null);
    expect(constant(l.usl)).toBe(10);
    expect(l.lsl).toBeNull();
  });

  it('later overrides win for the fields they set; corner-only overrides apply to every lane', () => {
    const base = findProduct('qsfp112-400g-dr4');
    const spec: ProductSpec = {
      ...base,
      parameters: base.parameters.map((p) =>
        p.id === 'tx_er'
          ? {
              ...p,
              overrides: [
                { corners: ['hot'], lsl: 3.2 },
                { corners: ['hot'], lanes: [2], lsl: 3.0, target: 5 },
              ],
            }
          : p,
      ),
    };
    expect(constant(resolveLimits(spec, 'tx_er', 'room', 2).lsl)).toBe(3.5);
    expect(constant(resolveLimits(spec, 'tx_er', 'hot', 1).lsl)).toBe(3.2);
    expect(resolveLimits(spec, 'tx_er', 'hot', 2)).toMatchObject({ lsl: { kind: 'constant', value: 3.0 }, target: 5 });
  });

  it('refuses questions the product cannot answer', () => {
    const dr4 = findProduct('qsfp112-400g-dr4');
    expect(() => resolveLimits(dr4, 'tx_rin', 'room', 0)).toThrow(SpecLimitError);
    expect(() => resolveLimits(dr4, 'tx_rin', 'room', 0)).toThrow(
      "product qsfp112-400g-dr4 has no parameter 'tx_rin' (it has: tx_avg_power,",
    );
    expect(() => resolveLimits(dr4, 'module_power', 'cold', null)).toThrow(
      "module_power is not measured at corner 'cold' (only at room, hot)",
    );
    expect(() => resolveLimits(dr4, 'tx_er', 'room', 4)).toThrow('tx_er is per lane; lane must be 0…3, got 4');
    expect(() => resolveLimits(dr4, 'icc', 'room', 0)).toThrow('icc is a per-module parameter; ask for lane null, not lane 0');
  });

  it('compiles each expression once and caches resolved limits', () => {
    const dr4 = findProduct('qsfp112-400g-dr4');
    const a = resolveLimits(dr4, 'tx_oma_outer', 'room', 0);
    expect(resolveLimits(dr4, 'tx_oma_outer', 'room', 0)).toBe(a);
    const b = resolveLimits(dr4, 'tx_oma_outer', 'hot', 3);
    expect(b.lsl?.kind === 'expression' && a.lsl?.kind === 'expression' && b.lsl.expression === a.lsl.expression).toBe(true);
  });
});

describe('derivedParameters', () => {
  it('gives OMA − TDECQ with its inputs for every shipped product', () => {
    for (const id of ['qsfp112-400g-dr4', 'osfp-800g-dr8', 'osfp-800g-dr8-lpo', 'osfp-800g-2xfr4']) {
      const derived = derivedParameters(findProduct(id));
      expect(derived.map((d) => [d.id, d.inputs])).toEqual([['tx_oma_minus_tdecq', ['tx_oma_outer', 'tx_tdecq']]]);
      // e.g. OMAouter 1.84 dBm, TDECQ 1.92 dB (the illustrative long-format rows of §4.1) → −0.08 dBm.
      expect(derived[0]!.expression.evaluate(lookup({ tx_oma_outer: 1.84, tx_tdecq: 1.92 }))).toBeCloseTo(-0.08, 12);
    }
  });

  it('orders chained derived parameters after their inputs, whatever the spec order', () => {
    const base = findProduct('qsfp112-400g-dr4');
    const margin = {
      ...base.parameters.find((p) => p.id === 'tx_oma_minus_tdecq')!,
      id: 'oma_margin',
      derived: 'tx_oma_minus_tdecq + 2.2',
      lsl: 0,
    };
    const spec: ProductSpec = { ...base, parameters: [margin, ...base.parameters] };
    expect(derivedParameters(spec).map((d) => d.id)).toEqual(['tx_oma_minus_tdecq', 'oma_margin']);
  });

  it('throws DerivedCycleError naming the circle', () => {
    const base = findProduct('qsfp112-400g-dr4');
    const spec: ProductSpec = {
      ...base,
      parameters: base.parameters.map((p) => (p.id === 'tx_tdecq' ? { ...p, derived: 'tx_oma_outer - tx_oma_minus_tdecq' } : p)),
    };
    expect(() => derivedParameters(spec)).toThrow(DerivedCycleError);
    expect(() => derivedParameters(spec)).toThrow(
      'product qsfp112-400g-dr4: derived parameters form a cycle tx_tdecq → tx_oma_minus_tdecq → tx_tdecq; one of them must be measured',
    );
  });
});
