/**
 * @module One chart's points straight from the stored readings: every reading of one parameter at one
 * corner on one lane (or per module), with the unit, station, time and attempt behind it, in test-time
 * order. Each run's packed record is searched for the one reading (binary search), so a 10,000-unit
 * lot's chart is read without unpacking its millions of other readings or loading its LotResult.
 */
import type { Censoring } from '../domain/measurement.js';
import { MODULE_LANE } from '../domain/lot-data.js';
import { assertRunRecord, findReading, readingAt } from '../store/run-readings.js';
import type { Store } from '../store/store.js';
import { censoringOf } from '../store/stored-values.js';
import { dictionaries, lotRuns, runBatches } from './lot-runs.js';

/** A chart: a parameter at one corner on one lane (0-based; null for a per-module parameter). */
export interface ChartCell {
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
}

export interface ChartPoint {
  readonly serial: string;
  readonly station: string;
  /** ISO-8601 instant. */
  readonly testTime: string;
  readonly attempt: number;
  /** The serial's final attempt (the one conformance and the SPC chart use). */
  readonly final: boolean;
  /** In the parameter's canonical unit; for a censored reading, the bound the instrument reported. */
  readonly value: number;
  readonly censoring: Censoring;
  /** Where it came from: the station file and its line. */
  readonly fileSha256: string;
  readonly line: number;
}

export interface ChartPointsOptions {
  /** 'final' (default): each unit's final attempt, as the SPC chart plots; 'all': retests too. */
  readonly attempts?: 'final' | 'all';
}

/** The chart's points in test-time order; null when the lot has no stored runs. */
export async function chartPoints(
  store: Store,
  lot: string,
  cell: ChartCell,
  options: ChartPointsOptions = {},
): Promise<ChartPoint[] | null> {
  return store.reads.readSnapshot(async (db, readings) => {
    const stored = await lotRuns(db, readings, lot);
    if (!stored) return null;
    const dict = await dictionaries(db);
    const parameterId = dict.parameterIds.get(cell.parameter);
    const cornerId = dict.cornerIds.get(cell.corner);
    if (parameterId === undefined || cornerId === undefined) return [];
    const lane = cell.lane ?? MODULE_LANE;
    const runs = options.attempts === 'all' ? stored.runs : stored.runs.filter((r) => r.final);
    const found = new Map<number, { value: number; censoring: number; line: number }>();
    for (const batch of runBatches(runs)) {
      await readings(
        batch.map((r) => r.runId),
        (runId, count, blob) => {
          assertRunRecord(blob, count, runId);
          const k = findReading(blob, count, parameterId, cornerId, lane);
          if (k >= 0) found.set(runId, readingAt(blob, count, k));
        },
      );
    }
    const points: ChartPoint[] = [];
    for (const run of runs) {
      const r = found.get(run.runId);
      if (r === undefined) continue;
      points.push({
        serial: run.serial,
        station: run.station,
        testTime: run.testTime,
        attempt: run.attempt,
        final: run.final,
        value: r.value,
        censoring: censoringOf(r.censoring),
        fileSha256: run.file.sha256,
        line: r.line,
      });
    }
    return points;
  });
}
