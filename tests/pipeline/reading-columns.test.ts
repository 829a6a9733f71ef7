/**
 * Each reading of a unit names its column as a spreadsheet does, derived from the stored file's header
 * and profile. Checked independently: the cell at (line, column) of the station file, split by hand
 * with the profile's delimiter, holds the stored value. A file moved away or changed gives no column,
 * and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProfile } from '../../src/domain/catalog.js';
import { columnLetter, unitReadingsWithColumns } from '../../src/pipeline/reading-columns.js';
import { openStore, type Store } from '../../src/store/index.js';
import { buildConsoleFixture } from '../web/support/console-fixture.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-columns-'));
  store = openStore({ sqlitePath: join(dir, 'columns.sqlite') });
  await store.migrate();
  await buildConsoleFixture(store, join(dir, 'data'), 40);
}, 120_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the column of a reading', () => {
  it.each([
    [0, 'A'],
    [5, 'F'],
    [25, 'Z'],
    [26, 'AA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('index %i is column %s', (i, letter) => expect(columnLetter(i)).toBe(letter));

  it('names the column whose cell on the reading’s line holds the stored value', async () => {
    const serial = (await store.listFiles('CLEAN'))[0]!;
    const lotData = await store.loadLot('CLEAN');
    const u = (await unitReadingsWithColumns(store, 'CLEAN', lotData.runs[0]!.serial, findProfile))!;
    expect(serial.profileId).toBe('wide-v2');
    const delimiter = findProfile('wide-v2').delimiter;
    let checked = 0;
    for (const a of u.attempts) {
      expect(a.columnsUnknown).toBeUndefined();
      const lines = readFileSync(a.file.path, 'utf8').split(/\r?\n/);
      for (const r of a.readings) {
        expect(r.column).toMatch(/^column [A-Z]+ \(.+\)$/);
        const m = /^column ([A-Z]+) \((.+)\)$/.exec(r.column!)!;
        const index = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        const header = lines.find((l) => l.split(delimiter).includes(m[2]!))!.split(delimiter);
        expect(header[index]).toBe(m[2]);
        const cell = lines[r.line - 1]!.split(delimiter)[index]!;
        // The stored value is the cell's, in the spec's unit: equal where the header's unit is the canonical one.
        if (r.censoring === 'none' && Number.isFinite(Number(cell)) && Math.abs(Number(cell) - r.value) < 1e-9) checked++;
      }
    }
    // 78 of this unit's 80 readings are stored exactly as written (the others converted to the spec's unit).
    expect(checked / u.attempts.flatMap((a) => a.readings).length).toBeGreaterThan(0.9);
  });

  it('says why when the file changed or is not on this machine', async () => {
    const lotData = await store.loadLot('SHIFT');
    const serial = lotData.runs[0]!.serial;
    const before = (await unitReadingsWithColumns(store, 'SHIFT', serial, findProfile))!;
    const path = before.attempts[0]!.file.path;
    appendFileSync(path, '\n');
    const changed = (await unitReadingsWithColumns(store, 'SHIFT', serial, findProfile))!;
    expect(changed.attempts[0]!.columnsUnknown).toBe(`columns not shown: ${path} has changed since it was stored (its SHA-256 differs)`);
    expect(changed.attempts[0]!.readings.every((r) => r.column === undefined)).toBe(true);
    renameSync(path, `${path}.moved`);
    const gone = (await unitReadingsWithColumns(store, 'SHIFT', serial, findProfile))!;
    expect(gone.attempts[0]!.columnsUnknown).toBe(`columns not shown: the file is not at ${path} on this machine`);
    const noProfile = (await unitReadingsWithColumns(store, 'CLEAN', (await store.loadLot('CLEAN')).runs[0]!.serial, () => null))!;
    expect(noProfile.attempts[0]!.columnsUnknown).toBe('columns not shown: its station profile is not in the catalogs');
  });
});
