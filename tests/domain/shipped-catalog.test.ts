import { describe, expect, it } from 'vitest';
import { UnknownCatalogEntryError, findProduct, findProfile, listShippedProducts, listShippedProfiles } from '../../src/domain/catalog.js';
import { checkProfileAgainstProduct, assertProfileFitsProduct, SpecFileError } from '../../src/domain/schema-registry.js';
import { measuredParameters, parameterCorners } from '../../src/domain/spec-limits.js';
import type { ParameterSpec, ProductSpec } from '../../src/domain/product-spec.js';

const PRODUCTS = ['osfp-800g-2xfr4', 'osfp-800g-dr8', 'osfp-800g-dr8-lpo', 'qsfp112-400g-dr4'];
const PROFILES = ['fixed-header-block', 'ini-sections', 'long-commented-footer', 'long-generic', 'wide-eu-preamble', 'wide-v2'];
const param = (spec: ProductSpec, id: string): ParameterSpec => {
  const p = spec.parameters.find((q) => q.id === id);
  if (p === undefined) throw new Error(`${spec.productId} has no ${id}`);
  return p;
};

describe('shipped catalog', () => {
  it('lists every shipped product and profile, each valid against its schema and semantic checks', () => {
    expect(listShippedProducts().map((e) => e.id)).toEqual(PRODUCTS);
    expect(listShippedProfiles().map((e) => e.id)).toEqual(PROFILES);
  });

  it('finds by id, and explains an unknown id with the available ones', () => {
    expect(findProduct('osfp-800g-dr8').laneCount).toBe(8);
    expect(findProfile('wide-v2').format).toBe('wide');
    expect(() => findProduct('osfp-1600g-dr8')).toThrow(UnknownCatalogEntryError);
    expect(() => findProduct('osfp-1600g-dr8')).toThrow(
      "unknown product 'osfp-1600g-dr8'. Shipped products: osfp-800g-2xfr4, osfp-800g-dr8, osfp-800g-dr8-lpo, qsfp112-400g-dr4. To use your own, pass the path of its JSON file",
    );
    expect(() => findProfile('wide-v3')).toThrow(
      "unknown station profile 'wide-v3'. Shipped station profiles: fixed-header-block, ini-sections, long-commented-footer, long-generic, wide-eu-preamble, wide-v2.",
    );
  });

  it.each(PRODUCTS)('%s: 10–14 parameters, all traced to a source with a provenance, each with a physical range', (id) => {
    const spec = findProduct(id);
    expect(spec.parameters.length).toBeGreaterThanOrEqual(10);
    expect(spec.parameters.length).toBeLessThanOrEqual(14);
    expect(spec.corners.map((c) => [c.id, c.caseTemperatureC])).toEqual([
      ['cold', 0],
      ['room', 25],
      ['hot', 70],
    ]);
    for (const p of spec.parameters) {
      expect(p.source, p.id).toMatch(/transceiver-test\.md|§/);
      expect(p.physicalRange, p.id).toBeDefined();
    }
    for (const must of [
      'tx_avg_power',
      'tx_oma_outer',
      'tx_tdecq',
      'tx_oma_minus_tdecq',
      'tx_er',
      'tx_wavelength',
      'tx_smsr',
      'rx_sensitivity_oma',
      'module_power',
      'icc',
    ]) {
      expect(
        spec.parameters.some((p) => p.id === must),
        `${id} ${must}`,
      ).toBe(true);
    }
    for (const critical of [
      'tx_avg_power',
      'tx_oma_outer',
      'tx_tdecq',
      'tx_oma_minus_tdecq',
      'tx_er',
      'tx_wavelength',
      'rx_sensitivity_oma',
      'module_power',
    ]) {
      expect(param(spec, critical).critical, `${id} ${critical}`).toBe(true);
    }
    // §1.2 matrix: module power and Icc at room and hot only; TX power/OMA/ER/TDECQ and RX sensitivity at every corner.
    expect(parameterCorners(spec, 'module_power')).toEqual(['room', 'hot']);
    expect(parameterCorners(spec, 'icc')).toEqual(['room', 'hot']);
    for (const all of ['tx_avg_power', 'tx_oma_outer', 'tx_er', 'tx_tdecq', 'tx_oma_minus_tdecq', 'rx_sensitivity_oma']) {
      expect(parameterCorners(spec, all)).toEqual(['cold', 'room', 'hot']);
    }
    expect(param(spec, 'tx_oma_minus_tdecq').derived).toBe('tx_oma_outer - tx_tdecq');
    expect(param(spec, 'tx_avg_power').informativeLsl).toBe(true);
  });

  it('400G QSFP112 DR4 carries the 400GBASE-DR4 table of shared/domain/transceiver-test.md §2.1', () => {
    // Edgecore ET7502-DR4 datasheet p.2 [S1] as tabulated in §2.1 (all [V] except the [D] OMA row).
    const s = findProduct('qsfp112-400g-dr4');
    expect(s.laneCount).toBe(4);
    expect([param(s, 'tx_wavelength').lsl, param(s, 'tx_wavelength').usl]).toEqual([1304.5, 1317.5]);
    expect(param(s, 'tx_smsr').lsl).toBe(30);
    expect([param(s, 'tx_avg_power').lsl, param(s, 'tx_avg_power').usl]).toEqual([-2.9, 4.0]);
    expect(param(s, 'tx_oma_outer')).toMatchObject({ lsl: { expr: 'max(-0.8, tx_tdecq - 2.2)' }, usl: 4.2, provenance: 'derived' });
    expect(param(s, 'tx_oma_minus_tdecq')).toMatchObject({ lsl: -2.2, provenance: 'verified' });
    expect(param(s, 'tx_tdecq').usl).toBe(3.4);
    expect(param(s, 'tx_er').lsl).toBe(3.5);
    expect(param(s, 'rx_sensitivity_oma')).toMatchObject({ usl: -4.4, provenance: 'verified' });
    expect(param(s, 'module_power').usl).toBe(12); // [S6] QSFP-DD DR4 ≤ 12 W
    expect(param(s, 'icc')).toMatchObject({ usl: 3.64, provenance: 'derived' }); // 12 W / 3.3 V [D]
  });

  it('800G OSFP DR8 carries the DR8 TX table of §2.2 with its ER-conditional OMA−TDECQ row', () => {
    // Trixon 800G OSFP DR8 [S4]; module power 17 W [S9] as a generic DR8 value [I]; pre-FEC BER 2.4e-4 [S5].
    const s = findProduct('osfp-800g-dr8');
    expect(param(s, 'tx_oma_minus_tdecq')).toMatchObject({ lsl: { expr: 'if(tx_er >= 5, -2.2, -1.9)' }, provenance: 'verified' });
    expect(param(s, 'tx_tdecq_ceq').usl).toBe(3.4);
    expect(param(s, 'rx_sensitivity_oma')).toMatchObject({ usl: -4.4, provenance: 'unverified' }); // DR-class RX assumed [U]
    expect(param(s, 'prefec_ber')).toMatchObject({ usl: 2.4e-4, provenance: 'verified' });
    expect(param(s, 'module_power')).toMatchObject({ usl: 17, provenance: 'illustrative' });
  });

  it('800G DR8 LPO: no DSP self-test BER, BER through the reference host, 10 W, linear placeholders', () => {
    // §3 and §7.3: optical rows DR-class [I], module power 10 W [I], prefec_ber not from the module.
    const s = findProduct('osfp-800g-dr8-lpo');
    const dsp = findProduct('osfp-800g-dr8');
    expect(param(s, 'module_power').usl).toBe(10);
    expect(param(s, 'prefec_ber').name).toMatch(/reference linear host/);
    expect(param(s, 'prefec_ber').name).not.toMatch(/loopback/);
    expect(param(s, 'rx_out_swing')).toMatchObject({ unit: 'V', critical: false });
    expect(param(s, 'rx_out_swing').lsl).toBeUndefined();
    expect(param(s, 'tx_in_linear_gain').usl).toBeUndefined();
    for (const p of s.parameters) expect(p.provenance, p.id).toBe('illustrative');
    for (const id of ['tx_avg_power', 'tx_oma_outer', 'tx_tdecq', 'tx_oma_minus_tdecq', 'tx_er', 'tx_wavelength', 'rx_sensitivity_oma']) {
      expect([param(s, id).lsl, param(s, id).usl], id).toEqual([param(dsp, id).lsl, param(dsp, id).usl]);
    }
  });

  it('800G 2×FR4 carries the 400G-FR4 tables of §2.3 for both engines', () => {
    // Edgecore ET7502-FR4 p.2/p.3 [S2][S3].
    const s = findProduct('osfp-800g-2xfr4');
    expect([param(s, 'tx_avg_power').lsl, param(s, 'tx_avg_power').usl]).toEqual([-3.3, 3.5]);
    expect(param(s, 'tx_oma_outer')).toMatchObject({ lsl: { expr: 'max(-0.3, tx_tdecq + if(tx_er >= 4.5, -1.7, -1.6))' }, usl: 3.7 });
    expect(param(s, 'tx_oma_minus_tdecq').lsl).toEqual({ expr: 'if(tx_er >= 4.5, -1.7, -1.6)' });
    expect(param(s, 'rx_sensitivity_oma').usl).toEqual({ expr: 'max(-4.6, rx_secq - 6.0)' });
    expect(param(s, 'tx_wavelength').overrides).toEqual([
      { lanes: [0, 4], lsl: 1264.5, usl: 1277.5, target: 1271 },
      { lanes: [1, 5], lsl: 1284.5, usl: 1297.5, target: 1291 },
      { lanes: [2, 6], lsl: 1304.5, usl: 1317.5, target: 1311 },
      { lanes: [3, 7], lsl: 1324.5, usl: 1337.5, target: 1331 },
    ]);
  });
});

describe('shipped station profiles fit every shipped product', () => {
  const allIds = new Set(listShippedProducts().flatMap((e) => e.document.parameters.map((p) => p.id)));

  it.each(PROFILES.flatMap((profile) => PRODUCTS.map((product) => [profile, product])))(
    '%s reads every measured parameter of %s',
    (profileId, productId) => {
      const profile = findProfile(profileId);
      const product = findProduct(productId);
      const fit = checkProfileAgainstProduct(profile, product);
      expect(fit.errors).toEqual([]);
      // The only warnings allowed are ids other shipped products define (generic profiles serve them all).
      for (const w of fit.warnings) expect(w.pointer, w.message).not.toMatch(/^\/cornerAliases/);
      expect(() => assertProfileFitsProduct(profile, product)).not.toThrow();
      expect(measuredParameters(product).length).toBeGreaterThan(0);
    },
  );

  it.each(PROFILES)('%s maps only to parameter ids that some shipped product defines (no typos)', (profileId) => {
    const profile = findProfile(profileId);
    const targets =
      profile.format === 'wide' ? profile.wide!.columns.map((c) => c.parameter) : Object.values(profile.long!.parameterAliases);
    for (const id of targets) expect(allIds.has(id), id).toBe(true);
  });

  it('the shipped profiles cover the layouts the factory uses', () => {
    const long = findProfile('long-generic');
    expect(long).toMatchObject({ format: 'long', delimiter: ',', decimal: '.', laneBase: 0 });
    expect(long.long?.parameterAliases).toMatchObject({
      TxPower: 'tx_avg_power',
      OMA: 'tx_oma_outer',
      ER: 'tx_er',
      TDECQ: 'tx_tdecq',
      RxSens: 'rx_sensitivity_oma',
      Power: 'module_power',
      Icc: 'icc',
    });
    const v2 = findProfile('wide-v2');
    expect(v2.identity.serial).toEqual({ fileName: 'serial' });
    expect('LOT7_SN0042_run1.csv'.match(new RegExp(v2.fileNamePattern!))?.groups).toEqual({ lot: 'LOT7', serial: 'SN0042' });
    const eu = findProfile('wide-eu-preamble');
    expect(eu).toMatchObject({
      delimiter: ';',
      decimal: ',',
      preamble: true,
      laneBase: 1,
      cornerAliases: { T0: 'cold', T25: 'room', T70: 'hot' },
    });
    expect(eu.wide?.columns.find((c) => c.parameter === 'tx_avg_power')?.unit).toBe('mW');
  });

  it('a profile that misses a measured parameter, maps to a derived one or uses an unconvertible unit does not fit', () => {
    const profile = structuredClone(findProfile('wide-v2'));
    const wide = profile.wide!;
    wide.columns = wide.columns.filter((c) => c.parameter !== 'rx_secq');
    wide.columns.push({ header: ['OMA-TDECQ (dBm)'], parameter: 'tx_oma_minus_tdecq', unit: 'dBm' });
    wide.columns.find((c) => c.parameter === 'icc')!.unit = 'W';
    const fit = checkProfileAgainstProduct(profile, findProduct('osfp-800g-2xfr4'));
    expect(fit.errors.map((e) => e.message)).toEqual([
      "column 'Icc (mA)' is in 'W', which cannot be converted to A for icc",
      "column 'OMA-TDECQ (dBm)' maps to 'tx_oma_minus_tdecq', which product osfp-800g-2xfr4 derives (tx_oma_outer - tx_tdecq); derived parameters are computed, not read",
      'product osfp-800g-2xfr4 measures rx_secq but the profile has no column in /wide/columns for it',
      'product osfp-800g-2xfr4 measures icc but the profile has no column in /wide/columns for it',
    ]);
    expect(() => assertProfileFitsProduct(profile, findProduct('osfp-800g-2xfr4'))).toThrow(SpecFileError);
  });
});
