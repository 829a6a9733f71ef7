/**
 * @module Every reading of a lot, streamed batch by batch (a batch is the runs of about 10,000
 * readings), each with its unit, attempt, station, time, corner, lane, censoring and source line — what
 * an export to JMP, Minitab or Excel needs. A 100,000-unit lot never sits in memory whole: the sink
 * receives one batch, and the next is read after it is written.
 */
import type { Censoring } from '../domain/measurement.js';
import { assertRunRecord, readingAt } from '../store/run-readings.js';
import type { Store } from '../store/store.js';
import { censoringOf } from '../store/stored-values.js';
import { dictionaries, lotRuns, runBatches, type LotRunRow } from './lot-runs.js';

export interface ReadingRow {
  readonly serial: string;
  readonly attempt: number;
  /** The serial's final attempt. */
  readonly final: boolean;
  readonly station: string;
  /** ISO-8601 instant. */
  readonly testTime: string;
  readonly parameter: string;
  readonly corner: string;
  /** 0-based lane; null for a per-module parameter. */
  readonly lane: number | null;
  /** In the parameter's canonical unit; for a censored reading, the bound the instrument reported. */
  readonly value: number;
  readonly censoring: Censoring;
  /** The station file (name) and line the reading came from. */
  readonly file: string;
  readonly line: number;
}

export interface LotReadingsOptions {
  /** 'all' (default): retests too; 'final': each unit's final attempt only. */
  readonly attempts?: 'final' | 'all';
  /** Only these parameter ids (default: every parameter). */
  readonly parameters?: readonly string[];
  /** Readings per batch handed to the sink. @defaultValue 10,000 */
  readonly batchReadings?: number;
}

export interface LotReadingsSummary {
  readonly lot: string;
  readonly productId: string;
  readonly runs: number;
  readonly readings: number;
}

/**
 * Streams the lot's readings to `sink`, runs in test-time order, each run's readings in stored
 * (parameter, corner, lane) order. Resolves with what was streamed, or null when the lot has no runs
 * (then the sink was never called).
 */
export async function streamLotReadings(
  store: Store,
  lot: string,
  options: LotReadingsOptions,
  sink: (rows: ReadingRow[]) => Promise<void>,
): Promise<LotReadingsSummary | null> {
  return store.reads.readSnapshot(async (db, readings) => {
    const stored = await lotRuns(db, readings, lot);
    if (!stored) return null;
    const dict = await dictionaries(db);
    const wanted =
      options.parameters === undefined
        ? null
        : new Set(options.parameters.map((p) => dict.parameterIds.get(p)).filter((id): id is number => id !== undefined));
    const runs = options.attempts === 'final' ? stored.runs.filter((r) => r.final) : stored.runs;
    let count = 0;
    for (const batch of runBatches(runs, options.batchReadings ?? 10_000)) {
      const byRun = new Map<number, LotRunRow>(batch.map((r) => [r.runId, r]));
      const rowsOfRun = new Map<number, ReadingRow[]>();
      await readings(
        batch.map((r) => r.runId),
        (runId, n, blob) => {
          assertRunRecord(blob, n, runId);
          const run = byRun.get(runId)!;
          const rows: ReadingRow[] = [];
          for (let k = 0; k < n; k++) {
            const r = readingAt(blob, n, k);
            if (wanted !== null && !wanted.has(r.parameterId)) continue;
            rows.push({
              serial: run.serial,
              attempt: run.attempt,
              final: run.final,
              station: run.station,
              testTime: run.testTime,
              parameter: dict.parameterNames.get(r.parameterId)!,
              corner: dict.cornerNames.get(r.cornerId)!,
              lane: r.lane < 0 ? null : r.lane,
              value: r.value,
              censoring: censoringOf(r.censoring),
              file: run.file.name,
              line: r.line,
            });
          }
          rowsOfRun.set(runId, rows);
        },
      );
      // In test-time order, whatever order the database returned the runs in.
      const rows = batch.flatMap((r) => rowsOfRun.get(r.runId) ?? []);
      count += rows.length;
      if (rows.length > 0) await sink(rows);
    }
    return { lot, productId: stored.productId, runs: runs.length, readings: count };
  });
}
