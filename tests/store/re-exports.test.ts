/**
 * Which runs of one serial at one test time are one attempt exported again (pure: stored runs and their
 * packed readings in, conflicts and re-exports out; no database). The same station and the same readings
 * in another file is a re-export, the smallest SHA-256 counted; another station is not; different readings
 * are a conflict naming each file's station — and every permutation of the runs gives the same answer.
 */
import { describe, expect, it } from 'vitest';
import type { RunReadingsReader } from '../../src/store/dialect/store-dialect.js';
import { attemptsOfStoredRuns, storedRunKey } from '../../src/store/attempts.js';
import { findConflicts, type ConflictRun } from '../../src/store/records/lot-conflicts.js';
import { BYTES_PER_READING, packRunReadings } from '../../src/store/run-readings.js';

const T = '2025-03-09T06:00:00.000Z';
const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(64)) as [string, string, string, string];

/** Readings of a run: TX power of lanes 0–1 (parameter 1, corner 1), printed lines differing per run. */
function blob(values: readonly number[], firstLine: number): Buffer {
  return packRunReadings(
    {
      parameterId: values.map(() => 1),
      cornerId: values.map(() => 1),
      lane: values.map((_, i) => i),
      value: values,
      censoring: values.map(() => 0),
      line: values.map((_, i) => firstLine + i),
      length: values.length,
    },
    (i) => `reading ${i}`,
  );
}

function reader(readings: ReadonlyMap<number, Buffer>): RunReadingsReader {
  return (ids, visit) => {
    for (const id of ids) visit(id, readings.get(id)!.length / BYTES_PER_READING, readings.get(id)!);
    return Promise.resolve();
  };
}

const run = (id: number, station: string, fileSha256: string, serial = 'SN1'): ConflictRun => ({
  id,
  serial,
  station,
  fileSha256,
  testTime: T,
});

function permutations<X>(xs: readonly X[]): X[][] {
  return xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('re-exports and conflicts of one test', () => {
  it('one station, the same readings in two more files (other lines): one attempt, the smallest SHA-256 counted, in every arrival order', async () => {
    const readings = new Map([
      [1, blob([1.5, 2.5], 2)],
      [2, blob([1.5, 2.5], 40)],
      [3, blob([1.5, 2.5], 7)],
    ]);
    const runs = [run(1, 'T9-03', C), run(2, 'T9-03', A), run(3, 'T9-03', B)];
    for (const order of permutations(runs)) {
      const found = await findConflicts(order, reader(readings), []);
      expect(found.conflicts).toEqual([]);
      expect(found.reExports).toEqual([{ serial: 'SN1', station: 'T9-03', testTime: T, kept: A, repeats: [B, C] }]);
      expect([...found.repeated].sort()).toEqual([1, 3]);
    }
  });

  it('the same readings from another station stay in the lot (a simultaneous attempt, not a re-export)', async () => {
    const readings = new Map([
      [1, blob([1.5, 2.5], 2)],
      [2, blob([1.5, 2.5], 2)],
      [3, blob([1.5, 2.5], 2)],
    ]);
    const found = await findConflicts([run(1, 'T9-03', B), run(2, 'T9-05', A), run(3, 'T9-03', C)], reader(readings), []);
    expect(found.reExports).toEqual([{ serial: 'SN1', station: 'T9-03', testTime: T, kept: B, repeats: [C] }]);
    expect([...found.repeated]).toEqual([3]);
  });

  it('different readings are a conflict naming each file with its station; a re-export among them is one of its files', async () => {
    const readings = new Map([
      [1, blob([1.5, 2.5], 2)],
      [2, blob([1.5, 2.5], 9)],
      [3, blob([1.5, 2.75], 2)],
    ]);
    const runs = [run(1, 'T9-03', D), run(2, 'T9-03', A), run(3, 'T9-05', C)];
    for (const order of permutations(runs)) {
      const found = await findConflicts(order, reader(readings), []);
      expect(found.conflicts).toEqual([
        { serial: 'SN1', testTime: T, files: [A, C, D], stations: ['T9-03', 'T9-05', 'T9-03'], resolution: null },
      ]);
      expect(found.reExports).toEqual([]);
      expect([...found.heldOut].sort()).toEqual([1, 2, 3]);
    }
  });

  it('numbers attempts through one key mapping: a retest after a re-export is attempt 2, not 3', async () => {
    const rows = [
      { id: 1, serial: 'SN1', station: 'T9-03', test_time: new Date(T), sha256: B, run_order: 0 },
      { id: 2, serial: 'SN1', station: 'T9-03', test_time: T, sha256: A, run_order: 3 },
      { id: 3, serial: 'SN1', station: 'T9-05', test_time: '2025-03-09T06:30:00.000Z', sha256: C, run_order: 0 },
    ];
    const readings = new Map([
      [1, blob([1.5, 2.5], 2)],
      [2, blob([1.5, 2.5], 30)],
      [3, blob([1.6, 2.4], 2)],
    ]);
    const keys = rows.map(storedRunKey);
    expect(keys[0]).toEqual({ id: 1, serial: 'SN1', station: 'T9-03', testTime: T, fileSha256: B, runOrder: 0 });
    const { repeated } = await findConflicts(keys, reader(readings), []);
    const counted = keys.filter((k) => !repeated.has(k.id));
    expect(counted.map((k) => k.id)).toEqual([2, 3]);
    expect([...attemptsOfStoredRuns(counted).attempt]).toEqual([1, 2]);
    // Without the re-export rule the same runs number three attempts.
    expect([...attemptsOfStoredRuns(keys).attempt]).toEqual([2, 1, 3]);
  });
});
