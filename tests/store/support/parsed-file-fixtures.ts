/**
 * ParsedFile fixtures built in TypeScript: deterministic, with values that exercise exact double
 * round-trips (negatives, tiny and large magnitudes, many significant digits), censored readings,
 * per-lane and per-module parameters, and quarantine rows.
 */
import { createHash } from 'node:crypto';
import type { Censoring, Measurement, ParsedFile, QuarantineEntry, TestRun } from '../../../src/domain/measurement.js';

export interface FixtureParameter {
  readonly id: string;
  readonly perLane: boolean;
}

export const DEFAULT_PARAMETERS: readonly FixtureParameter[] = [
  { id: 'tx_power_dbm', perLane: true },
  { id: 'extinction_ratio_db', perLane: true },
  { id: 'rx_sensitivity_oma_dbm', perLane: true },
  { id: 'supply_current_ma', perLane: false },
];

export interface FixtureOptions {
  readonly lot: string;
  readonly serials: readonly string[];
  readonly productId?: string;
  readonly parameters?: readonly FixtureParameter[];
  readonly corners?: readonly string[];
  readonly lanes?: number;
  /** Test time of the i-th run. */
  readonly testTime?: (runIndex: number, serial: string) => string;
  readonly station?: string;
  /** Makes the content (and so the SHA-256) different from an otherwise identical fixture. */
  readonly salt?: string;
  readonly quarantineRows?: number;
  /** Lot per run, when a file spans lots. */
  readonly lotOfRun?: (runIndex: number) => string;
}

/** A reproducible, non-round value with full double precision. */
export function fixtureValue(salt: string, k: number): number {
  const h = createHash('sha256').update(`${salt}:${k}`).digest();
  const mantissa = h.readUInt32BE(0) / 2 ** 32 + h.readUInt32BE(4) / 2 ** 64;
  const exponent = (h[8]! % 13) - 6; // 1e-6 … 1e6
  const sign = h[9]! % 3 === 0 ? -1 : 1;
  return sign * mantissa * 10 ** exponent;
}

export function makeParsedFile(options: FixtureOptions): ParsedFile {
  const parameters = options.parameters ?? DEFAULT_PARAMETERS;
  const corners = options.corners ?? ['25C', '70C'];
  const lanes = options.lanes ?? 4;
  const salt = options.salt ?? '';
  const runs: TestRun[] = options.serials.map((serial, i) => ({
    serial,
    lot: options.lotOfRun?.(i) ?? options.lot,
    station: options.station ?? 'ATE-01',
    testTime: options.testTime?.(i, serial) ?? new Date(Date.UTC(2024, 4, 1, 8, 0, i)).toISOString(),
    declaredAttempt: null,
    operator: i % 2 === 0 ? 'op-7' : null,
  }));
  const measurements: Measurement[] = [];
  let line = 2;
  runs.forEach((run, r) => {
    for (const corner of corners) {
      for (const p of parameters) {
        for (const lane of p.perLane ? Array.from({ length: lanes }, (_, l) => l) : [null]) {
          const k = measurements.length;
          const censoring: Censoring = k % 37 === 5 ? 'below' : k % 41 === 7 ? 'above' : 'none';
          measurements.push({
            run: r,
            parameter: p.id,
            corner,
            lane,
            value: fixtureValue(`${salt}|${run.serial}`, k),
            censoring,
            line: line++,
          });
        }
      }
    }
  });
  const name = `${options.lot}_${options.serials[0] ?? 'none'}_${salt || 'a'}.csv`;
  const quarantine: QuarantineEntry[] = Array.from({ length: options.quarantineRows ?? 0 }, (_, i) => ({
    file: `/data/${name}`,
    line: line + i,
    column: 'TxPower',
    rawValue: 'n/a',
    reason: 'non-numeric',
    message: `"n/a" is not a number`,
  }));
  const body = { runs, measurements, quarantine, salt };
  return {
    path: `/data/${name}`,
    name,
    sha256: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
    bytes: JSON.stringify(body).length,
    profileId: 'long-v1',
    productId: options.productId ?? 'QSFP28-LR4',
    profileChoice: 'named by user',
    dataRows: measurements.length + quarantine.length,
    runs,
    measurements,
    quarantine,
  };
}

/** Replaces the file's content hash (e.g. after editing its measurements for a failure test). */
export function rehash(file: ParsedFile, salt: string): ParsedFile {
  return {
    ...file,
    sha256: createHash('sha256')
      .update(file.sha256 + salt)
      .digest('hex'),
  };
}
