/**
 * Station profiles for the hand-written vendor files in tests/fixtures/vendor/: each describes the
 * whole file (sections, comments, footers, a fixed block, markers), for the two-lane test product.
 */
import { fileURLToPath } from 'node:url';
import type { StationProfile } from '../../../src/domain/station-profile.js';
import { longProfile } from './catalog.js';

export const VENDOR = fileURLToPath(new URL('../../fixtures/vendor/', import.meta.url));
export const vendorFile = (name: string): string => `${VENDOR}${name}`;

/** INI-style sections: [Header] metadata, [Data] starts the table, [End] ends it, [Summary] after it. */
export const sectionedProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'acme-sectioned',
  description: 'ACME tester: [Header] key = value section, [Data] table, [End], [Summary] section',
  format: 'wide',
  delimiter: ',',
  decimal: '.',
  preamble: true,
  layout: {
    metadata: { sections: true },
    tableStart: { line: '[Data]' },
    tableEnd: { line: '[End]' },
  },
  identity: {
    serial: { preamble: ['Header.Serial'] },
    lot: { preamble: ['Header.Lot'] },
    station: { preamble: ['Station'] },
    testTime: { preamble: ['TestDate'] },
    operator: { preamble: ['Operator'] },
    corner: { column: ['Corner'] },
    lane: { column: ['Lane'] },
  },
  unitResult: { column: ['Result'] },
  cornerAliases: { '25': 'room', '70': 'hot' },
  laneBase: 1,
  wide: {
    columns: [
      { header: ['TxPower_dBm'], parameter: 'tx_avg_power', unit: 'dBm', lowLimit: ['TxPower_LL'], highLimit: ['TxPower_UL'] },
      { header: ['ER_dB'], parameter: 'tx_er', unit: 'dB', lowLimit: ['ER_LL'] },
      { header: ['ModulePower_W'], parameter: 'module_power', unit: 'W' },
    ],
  },
};

/** Long format with # comments (also inside the table), a Total row, END_DATA and a `key: value` footer. */
const { fileNamePattern: _byName, ...longBase } = longProfile;
export const commentedFooterProfile: StationProfile = {
  ...longBase,
  id: 'ate2-commented-footer',
  description: 'ATE-2 export: # comments, a Total row, END_DATA, then "Overall: PASS" lines',
  layout: {
    comments: [{ startsWith: '#' }],
    summaryRows: [{ startsWith: 'Total' }],
    tableEnd: { line: 'END_DATA' },
    metadata: { separators: [':'] },
  },
  unitResult: { preamble: ['Overall'] },
};

/** A fixed block of three lines (values by pattern), separator lines, semicolons, decimal commas, CRLF. */
export const fixedBlockProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'acme-fixed-block',
  description: 'ACME optical test report: a three-line header block, dashes, then the table',
  format: 'wide',
  delimiter: ';',
  decimal: ',',
  preamble: false,
  timeZone: 'Europe/Berlin',
  layout: {
    fixedBlock: {
      lines: 3,
      fields: [
        { key: 'Serial', line: 2, pattern: 'S/N:\\s*(?<value>\\S+)' },
        { key: 'Lot', line: 2, pattern: 'LOT:\\s*(\\S+)' },
        { key: 'Station', line: 3, pattern: '^Station\\s+(\\S+)' },
        { key: 'Time', line: 3, pattern: '/\\s*(.+)$' },
      ],
    },
    skip: [{ pattern: '^-{3,}$' }],
  },
  identity: {
    serial: { preamble: ['Serial'] },
    lot: { preamble: ['Lot'] },
    station: { preamble: ['Station'] },
    testTime: { preamble: ['Time'] },
    corner: { column: ['Corner'] },
    lane: { column: ['Lane'] },
  },
  cornerAliases: { '25': 'room', '70': 'hot' },
  laneBase: 0,
  wide: {
    columns: [
      { header: ['Pwr(mW)'], parameter: 'tx_avg_power', unit: 'mW' },
      { header: ['ER(dB)'], parameter: 'tx_er', unit: 'dB' },
      { header: ['Pmod(W)'], parameter: 'module_power', unit: 'W' },
    ],
  },
};

/** `key,value` metadata lines, BEGIN_DATA / END_DATA markers around the table. */
export const keyCommaProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'key-comma-begin-data',
  description: 'Serial,SN… metadata lines, then BEGIN_DATA … END_DATA',
  format: 'wide',
  delimiter: ',',
  decimal: '.',
  preamble: true,
  layout: {
    metadata: { separators: [','] },
    tableStart: { line: 'BEGIN_DATA' },
    tableEnd: { line: 'END_DATA' },
  },
  identity: {
    serial: { preamble: ['Serial'] },
    lot: { preamble: ['Lot'] },
    station: { preamble: ['Station'] },
    testTime: { preamble: ['Date'] },
    corner: { column: ['Corner'] },
    lane: { column: ['Lane'] },
  },
  unitResult: { preamble: ['Result'] },
  cornerAliases: { '25': 'room', '70': 'hot' },
  laneBase: 1,
  wide: {
    columns: [
      { header: ['TxPower (dBm)'], parameter: 'tx_avg_power', unit: 'dBm' },
      { header: ['ER (dB)'], parameter: 'tx_er', unit: 'dB' },
      { header: ['Module Power (W)'], parameter: 'module_power', unit: 'W' },
    ],
  },
};

/** A plain wide table that ends at its first blank line; `key: value` footer lines and text after it. */
export const blankLineFooterProfile: StationProfile = {
  kind: 'lotqa/station-profile',
  id: 'blank-line-footer',
  description: 'wide table, a blank line, then a footer',
  format: 'wide',
  delimiter: ',',
  decimal: '.',
  preamble: false,
  layout: { tableEnd: { blankLine: true }, metadata: { separators: [':'] } },
  identity: {
    serial: { column: ['Serial'] },
    lot: { column: ['Lot'] },
    station: { column: ['Station'] },
    testTime: { column: ['Test Time'] },
    corner: { column: ['Corner'] },
    lane: { column: ['Lane'] },
  },
  unitResult: { preamble: ['Verdict'] },
  cornerAliases: { T25: 'room', T70: 'hot' },
  laneBase: 1,
  wide: {
    columns: [
      { header: ['Tx Power (dBm)'], parameter: 'tx_avg_power', unit: 'dBm' },
      { header: ['ER (dB)'], parameter: 'tx_er', unit: 'dB' },
      { header: ['Module Power (W)'], parameter: 'module_power', unit: 'W' },
    ],
  },
};

export const vendorProfiles: readonly StationProfile[] = [
  sectionedProfile,
  commentedFooterProfile,
  fixedBlockProfile,
  keyCommaProfile,
  blankLineFooterProfile,
];
