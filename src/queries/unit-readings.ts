/**
 * @module One unit's readings in a lot: every attempt (retests included) with its station, time,
 * operator and source file, and each reading with the line of the station file it came from (its column
 * is derived on request: src/pipeline/reading-columns.ts).
 */
import type { Censoring } from '../domain/measurement.js';
import { assertRunRecord, readingAt } from '../store/run-readings.js';
import type { Store } from '../store/store.js';
import { censoringOf } from '../store/stored-values.js';
import { dictionaries, lotRuns } from './lot-runs.js';

export interface UnitReading {
  readonly parameter: string;
  readonly corner: string;
  /** 0-based lane; null for a per-module parameter. */
  readonly lane: number | null;
  readonly value: number;
  readonly censoring: Censoring;
  /** Line of the station file. */
  readonly line: number;
  /**
   * The column as a spreadsheet names it, "column F (Tx Power (dBm))" — derived from the file's header
   * and profile by src/pipeline/reading-columns.ts; absent when not derived, null when the reading has no
   * column of its own (a value the profile does not read from one column).
   */
  readonly column?: string | null;
}

export interface UnitAttempt {
  readonly attempt: number;
  readonly final: boolean;
  readonly station: string;
  readonly testTime: string;
  readonly operator: string | null;
  /** The attempt number the station wrote, when it wrote one. */
  readonly declaredAttempt: number | null;
  readonly file: { readonly sha256: string; readonly path: string; readonly name: string };
  /** In stored order: parameter, corner, lane. */
  readonly readings: readonly UnitReading[];
  /** Why the readings carry no column (the file is not on this machine, or changed), when they do not. */
  readonly columnsUnknown?: string;
}

export interface UnitReadings {
  readonly lot: string;
  readonly productId: string;
  readonly serial: string;
  /** First attempt first. */
  readonly attempts: readonly UnitAttempt[];
}

/** The unit's readings, or null when the lot has no run of that serial. */
export async function unitReadings(store: Store, lot: string, serial: string): Promise<UnitReadings | null> {
  return store.reads.readSnapshot(async (db, readings) => {
    const stored = await lotRuns(db, readings, lot, serial);
    if (!stored) return null;
    const dict = await dictionaries(db);
    const byRun = new Map<number, UnitReading[]>();
    await readings(
      stored.runs.map((r) => r.runId),
      (runId, count, blob) => {
        assertRunRecord(blob, count, runId);
        const list: UnitReading[] = [];
        for (let k = 0; k < count; k++) {
          const r = readingAt(blob, count, k);
          list.push({
            parameter: dict.parameterNames.get(r.parameterId) ?? `#${r.parameterId}`,
            corner: dict.cornerNames.get(r.cornerId) ?? `#${r.cornerId}`,
            lane: r.lane < 0 ? null : r.lane,
            value: r.value,
            censoring: censoringOf(r.censoring),
            line: r.line,
          });
        }
        byRun.set(runId, list);
      },
    );
    const attempts = [...stored.runs]
      .sort((a, b) => a.attempt - b.attempt)
      .map((run) => ({
        attempt: run.attempt,
        final: run.final,
        station: run.station,
        testTime: run.testTime,
        operator: run.operator,
        declaredAttempt: run.declaredAttempt,
        file: { sha256: run.file.sha256, path: run.file.path, name: run.file.name },
        readings: byRun.get(run.runId) ?? [],
      }));
    return { lot, productId: stored.productId, serial, attempts };
  });
}
