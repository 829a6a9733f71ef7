/**
 * A small 400G-DR4-like product and three station layouts for the synthetic-factory tests, built
 * from the DR4 rows of shared/domain/transceiver-test.md §2.1/§7.1 (limits [V] there; corners [I]).
 */
import type { ProductSpec } from '../../../src/domain/product-spec.js';
import type { StationProfile } from '../../../src/domain/station-profile.js';

const src = 'test fixture after transceiver-test.md §7.1';

export const testSpec: ProductSpec = {
  kind: 'lotqa/product-spec',
  version: 'test-1',
  productId: 'test-dr4',
  partNumber: 'TEST-DR4-01',
  description: 'DR4-like test product',
  formFactor: 'QSFP112',
  laneCount: 4,
  corners: [
    { id: 'cold', name: '0 °C', caseTemperatureC: 0 },
    { id: 'room', name: '25 °C', caseTemperatureC: 25 },
    { id: 'hot', name: '70 °C', caseTemperatureC: 70 },
  ],
  standards: [],
  parameters: [
    { id: 'tx_wavelength', name: 'Centre wavelength', unit: 'nm', scope: 'lane', lsl: 1304.5, usl: 1317.5, critical: true, source: src, provenance: 'verified' },
    { id: 'tx_avg_power', name: 'Average launch power', unit: 'dBm', scope: 'lane', lsl: -2.9, usl: 4.0, informativeLsl: true, critical: true, source: src, provenance: 'verified' },
    { id: 'tx_oma_outer', name: 'OMA outer', unit: 'dBm', scope: 'lane', lsl: { expr: 'max(-0.8, tx_tdecq - 2.2)' }, usl: 4.2, critical: true, source: src, provenance: 'derived' },
    { id: 'tx_tdecq', name: 'TDECQ', unit: 'dB', scope: 'lane', usl: 3.4, critical: true, source: src, provenance: 'verified' },
    { id: 'tx_oma_minus_tdecq', name: 'OMA − TDECQ', unit: 'dBm', scope: 'lane', lsl: -2.2, derived: 'tx_oma_outer - tx_tdecq', critical: true, source: src, provenance: 'verified' },
    { id: 'tx_er', name: 'Extinction ratio', unit: 'dB', scope: 'lane', lsl: 3.5, critical: true, source: src, provenance: 'verified' },
    { id: 'rx_sensitivity_oma', name: 'RX sensitivity (OMA)', unit: 'dBm', scope: 'lane', usl: -4.4, critical: true, source: src, provenance: 'verified' },
    { id: 'module_power', name: 'Power consumption', unit: 'W', scope: 'module', corners: ['room', 'hot'], usl: 12, critical: true, source: src, provenance: 'verified' },
    { id: 'icc', name: 'Supply current', unit: 'A', scope: 'module', corners: ['room', 'hot'], critical: false, source: src, provenance: 'derived' },
    { id: 'vcc', name: 'Supply voltage', unit: 'V', scope: 'module', lsl: 3.135, usl: 3.465, critical: false, source: src, provenance: 'verified' },
  ],
};

/** Long layout, semicolon + decimal comma, preamble identity, optical power in mW, 1-based lanes. */
export const longMwProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'test-long-mw',
  description: 'long, mW, decimal comma, preamble',
  format: 'long',
  delimiter: ';',
  decimal: ',',
  preamble: true,
  identity: {
    serial: { preamble: ['Serial', 'SN'] },
    lot: { preamble: ['Lot'] },
    station: { preamble: ['Station'] },
    testTime: { preamble: ['Start'] },
    attempt: { preamble: ['Attempt'] },
    corner: { column: ['Temp', 'Corner'] },
    lane: { column: ['Ch', 'Lane'] },
    operator: { preamble: ['Operator'] },
  },
  cornerAliases: { T0: 'cold', '0C': 'cold', T25: 'room', T70: 'hot' },
  laneBase: 1,
  long: {
    parameter: ['Test'],
    value: ['Value'],
    unit: ['Unit'],
    lowLimit: ['Low'],
    highLimit: ['High'],
    result: ['Result'],
    parameterAliases: { TX_POWER: 'tx_avg_power', TX_OMA: 'tx_oma_outer', WAVELENGTH: 'tx_wavelength', RX_SENS: 'rx_sensitivity_oma', P_MODULE: 'module_power', I_CC: 'icc' },
    defaultUnits: { tx_avg_power: 'mW', tx_oma_outer: 'mW', rx_sensitivity_oma: 'mW', module_power: 'mW', icc: 'mA' },
  },
};

/** Wide layout, comma, one row per lane × corner, identity in columns. */
export const wideProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'test-wide',
  description: 'wide, one row per lane × corner',
  format: 'wide',
  delimiter: ',',
  decimal: '.',
  preamble: false,
  identity: {
    serial: { column: ['SerialNumber'] },
    lot: { column: ['LotID'] },
    station: { column: ['Tester'] },
    testTime: { column: ['StartTime'] },
    attempt: { column: ['Attempt'] },
    corner: { column: ['TempC'] },
    lane: { column: ['Lane'] },
  },
  cornerAliases: { '0': 'cold', '25': 'room', '70': 'hot' },
  laneBase: 0,
  wide: {
    columns: [
      { header: ['Wavelength (nm)'], parameter: 'tx_wavelength', unit: 'nm' },
      { header: ['Tx Power (dBm)'], parameter: 'tx_avg_power', unit: 'dBm' },
      { header: ['OMA (dBm)'], parameter: 'tx_oma_outer', unit: 'dBm' },
      { header: ['TDECQ (dB)'], parameter: 'tx_tdecq', unit: 'dB' },
      { header: ['OMA-TDECQ (dBm)'], parameter: 'tx_oma_minus_tdecq', unit: 'dBm' },
      { header: ['ER (dB)'], parameter: 'tx_er', unit: 'dB' },
      { header: ['RX Sens (dBm)'], parameter: 'rx_sensitivity_oma', unit: 'dBm' },
      { header: ['Power (W)'], parameter: 'module_power', unit: 'W' },
      { header: ['Icc (mA)'], parameter: 'icc', unit: 'mA' },
      { header: ['Vcc (V)'], parameter: 'vcc', unit: 'V' },
    ],
  },
};

/** Long layout whose identity comes from the file name. */
export const fileNameProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'test-long-filename',
  description: 'long, identity in file name',
  format: 'long',
  delimiter: ',',
  decimal: '.',
  preamble: false,
  fileNamePattern: '^(?<lot>[A-Za-z0-9-]+)_(?<serial>[A-Z0-9]+)_(?<station>ATE-\\d{2})_(?<testTime>\\d{8}T\\d{6}Z)_a(?<attempt>\\d)\\.csv$',
  identity: {
    serial: { fileName: 'serial' },
    lot: { fileName: 'lot' },
    station: { fileName: 'station' },
    testTime: { fileName: 'testTime' },
    attempt: { fileName: 'attempt' },
    corner: { column: ['corner'] },
    lane: { column: ['lane'] },
  },
  cornerAliases: {},
  laneBase: 0,
  long: { parameter: ['parameter'], value: ['value'], unit: ['unit'], parameterAliases: {} },
};
