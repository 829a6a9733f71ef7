/**
 * Small product and station profiles for the ingest tests, written in TypeScript so they are checked
 * against the TypeBox contract types. The shipped JSON profiles are tested separately.
 */
import { fileURLToPath } from 'node:url';
import type { ProductSpec } from '../../../src/domain/product-spec.js';
import type { StationProfile } from '../../../src/domain/station-profile.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/csv/', import.meta.url));
export const fixture = (name: string): string => `${FIXTURES}${name}`;

/** Two lanes, two corners: small enough that complete fixture files stay readable. */
export const miniProduct: ProductSpec = {
  kind: 'lotqa/product-spec',
  version: 'test-1',
  productId: 'mini-dr2',
  partNumber: 'MINI-DR2',
  description: 'two-lane test product',
  formFactor: 'QSFP',
  laneCount: 2,
  corners: [
    { id: 'room', name: 'room', caseTemperatureC: 25 },
    { id: 'hot', name: 'hot', caseTemperatureC: 70 },
  ],
  standards: [],
  parameters: [
    {
      id: 'tx_avg_power',
      name: 'average launch power',
      unit: 'dBm',
      scope: 'lane',
      lsl: -2.9,
      usl: 4,
      physicalRange: { min: -40, max: 10 },
      critical: true,
      source: 'test',
      provenance: 'illustrative',
    },
    {
      id: 'tx_er',
      name: 'extinction ratio',
      unit: 'dB',
      scope: 'lane',
      lsl: 3.5,
      physicalRange: { min: 0, max: 20 },
      critical: true,
      source: 'test',
      provenance: 'illustrative',
    },
    {
      id: 'module_power',
      name: 'module power',
      unit: 'W',
      scope: 'module',
      corners: ['hot'],
      usl: 12,
      physicalRange: { min: 0, max: 40 },
      critical: true,
      source: 'test',
      provenance: 'illustrative',
    },
    {
      id: 'tx_oma_minus_tdecq',
      name: 'OMA minus TDECQ',
      unit: 'dBm',
      scope: 'lane',
      derived: 'tx_oma_outer - tx_tdecq',
      critical: false,
      source: 'test',
      provenance: 'illustrative',
    },
  ],
};

/** Long format as in shared/domain/transceiver-test.md §4.1 (one row per measurement). */
export const longProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'long-v1',
  description: 'long format, comma, ISO times',
  format: 'long',
  delimiter: ',',
  decimal: '.',
  preamble: false,
  fileNamePattern: '^(?<serial>SN\\d+)_',
  identity: {
    serial: { column: ['serial'] },
    lot: { column: ['lot'] },
    station: { column: ['station'] },
    testTime: { column: ['start_utc', 'start time'] },
    attempt: { column: ['attempt'] },
    corner: { column: ['corner_c'] },
    lane: { column: ['lane'] },
  },
  cornerAliases: { '25': 'room', '70': 'hot' },
  laneBase: 0,
  long: {
    parameter: ['parameter'],
    value: ['value'],
    unit: ['unit'],
    lowLimit: ['lsl'],
    highLimit: ['usl'],
    result: ['result'],
    parameterAliases: { TX_POWER: 'tx_avg_power', ER: 'tx_er', PWR: 'module_power' },
  },
};

/** Wide format: one row per lane × corner, station units (mW), 1-based lanes. */
export const wideProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'wide-v2',
  description: 'wide format, one row per lane and corner',
  format: 'wide',
  delimiter: ',',
  decimal: '.',
  preamble: false,
  identity: {
    serial: { column: ['Serial', 'SN'] },
    lot: { column: ['Lot'] },
    station: { column: ['Station'] },
    testTime: { column: ['Test Time'] },
    corner: { column: ['Corner'] },
    lane: { column: ['Lane'] },
    operator: { column: ['Operator'] },
  },
  cornerAliases: { T25: 'room', T70: 'hot' },
  laneBase: 1,
  wide: {
    columns: [
      { header: ['Tx Power (mW)'], parameter: 'tx_avg_power', unit: 'mW' },
      { header: ['ER (dB)'], parameter: 'tx_er', unit: 'dB' },
      { header: ['Module Power (mW)'], parameter: 'module_power', unit: 'mW' },
    ],
  },
};

/** European station: preamble, semicolon, decimal comma, local times, µW. */
export const euProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'wide-eu',
  description: 'wide format with preamble, semicolon and decimal comma',
  format: 'wide',
  delimiter: ';',
  decimal: ',',
  preamble: true,
  timestampFormat: 'dd.MM.yyyy HH:mm:ss',
  timeZone: 'Europe/Berlin',
  identity: {
    serial: { preamble: ['Seriennummer', 'Serial'] },
    lot: { preamble: ['Los', 'Lot'] },
    station: { preamble: ['Station'] },
    testTime: { preamble: ['Datum'] },
    operator: { preamble: ['Bediener'] },
    corner: { column: ['Temperatur'] },
    lane: { column: ['Kanal'] },
  },
  cornerAliases: { '25 °C': 'room', '70 °C': 'hot' },
  laneBase: 0,
  wide: {
    columns: [
      { header: ['Leistung [µW]'], parameter: 'tx_avg_power', unit: 'µW' },
      { header: ['ER [dB]'], parameter: 'tx_er', unit: 'dB' },
      { header: ['Modulleistung [W]'], parameter: 'module_power', unit: 'W' },
    ],
  },
};

/** Identity from the file name (lot, serial, station); no unit column, so default units apply. */
export const fileNameProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'filename-v1',
  description: 'long format, identity in the file name',
  format: 'long',
  delimiter: ',',
  decimal: '.',
  preamble: false,
  fileNamePattern: '^(?<lot>L\\d+)_(?<serial>SN\\d+)_(?<station>ATE-\\d+)\\.csv$',
  identity: {
    serial: { fileName: 'serial' },
    lot: { fileName: 'lot' },
    station: { fileName: 'station' },
    testTime: { column: ['time'] },
    corner: { column: ['temp'] },
    lane: { column: ['ch'] },
  },
  cornerAliases: { room: 'room', hot: 'hot' },
  laneBase: 0,
  long: {
    parameter: ['test'],
    value: ['reading'],
    parameterAliases: { POW: 'tx_avg_power', ER: 'tx_er', PMOD: 'module_power' },
    defaultUnits: { tx_avg_power: 'dBm', tx_er: 'dB', module_power: 'W' },
  },
};

export const allProfiles: readonly StationProfile[] = [longProfile, wideProfile, euProfile, fileNameProfile];
