/**
 * `lotqa export`: the readings a person takes to JMP, Minitab or Excel are exactly the stored ones — every
 * value bit for bit, with its unit, attempt, station, time, corner, lane as the station names it (1-based),
 * censoring, file and line — in long CSV, wide CSV and XLSX, read back with papaparse and exceljs. Text
 * from the station files is formula-neutralised. Streamed in batches (a batch of 100 readings here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { ParsedFile } from '../../src/domain/measurement.js';
import { exportReadings } from '../../src/pipeline/export-readings.js';
import { LotqaError } from '../../src/errors/lotqa-error.js';
import type { Store } from '../../src/store/index.js';
import { makeParsedFile } from '../store/support/parsed-file-fixtures.js';
import { BACKENDS, type TestBackend } from '../store/support/store-backends.js';

const PRODUCT = 'qsfp112-400g-dr4';
const PARAMETERS = [
  { id: 'tx_avg_power', perLane: true },
  { id: 'tx_er', perLane: true },
  { id: 'module_power', perLane: false },
];
const UNITS: Record<string, string> = { tx_avg_power: 'dBm', tx_er: 'dB', module_power: 'W' };

/** What was stored, as the long export should show it (lanes 1-based, module readings "module"). */
function expectedLong(lot: string, files: { file: ParsedFile; attempts: Record<string, number> }[]): string[][] {
  const rows: string[][] = [];
  for (const { file, attempts } of files) {
    for (const m of file.measurements) {
      const run = file.runs[m.run]!;
      rows.push([
        lot,
        run.serial.startsWith('=') ? `'${run.serial}` : run.serial,
        String(attempts[run.serial]),
        run.station,
        new Date(run.testTime).toISOString(),
        m.corner,
        m.lane === null ? 'module' : String(m.lane + 1),
        m.parameter,
        String(m.value),
        UNITS[m.parameter]!,
        m.censoring,
        file.name,
        String(m.line),
      ]);
    }
  }
  return rows.map((r) => r).sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
}

describe.each(BACKENDS.map((make) => ({ make, name: make.name.replace('Backend', '') })))('export on $name', ({ make }) => {
  let backend: TestBackend;
  let store: Store;
  let dir: string;
  const lot = 'LOT-EXPORT';
  let first: ParsedFile;
  let retest: ParsedFile;

  beforeAll(async () => {
    backend = make();
    store = backend.open();
    await store.migrate();
    dir = mkdtempSync(join(tmpdir(), 'lotqa-export-'));
    const common = { lot, productId: PRODUCT, parameters: PARAMETERS, corners: ['room', 'hot'], lanes: 4 };
    first = makeParsedFile({ ...common, serials: ['SN1', '=HYPERLINK("x")', 'SN3'] });
    retest = makeParsedFile({ ...common, serials: ['SN1'], salt: 'retest', station: 'ATE-02', testTime: () => '2024-05-01T12:00:00Z' });
    await store.recordParsedFile(first);
    await store.recordParsedFile(retest);
  });

  afterAll(async () => {
    await store?.close();
    await backend?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const attemptsOfFirst = { SN1: 1, '=HYPERLINK("x")': 1, SN3: 1 };
  const attemptsOfRetest = { SN1: 2 };
  const dropFinal = (r: string[]) => [...r.slice(0, 3), ...r.slice(4)];

  it('writes every reading in long CSV, exactly as stored, with units and 1-based lanes', async () => {
    const out = join(dir, 'long.csv');
    const summary = await exportReadings(store, lot, { format: 'long', out, batchReadings: 100 });
    expect(summary).toMatchObject({ runs: 4, readings: first.measurements.length + retest.measurements.length });
    const parsed = Papa.parse<string[]>(readFileSync(out, 'utf8'), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual([
      'lot',
      'serial',
      'attempt',
      'final_attempt',
      'station',
      'test_time',
      'corner',
      'lane',
      'parameter',
      'value',
      'unit',
      'censoring',
      'file',
      'line',
    ]);
    const body = parsed.slice(1);
    expect(body.map(dropFinal).sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1))).toEqual(
      expectedLong(lot, [
        { file: first, attempts: attemptsOfFirst },
        { file: retest, attempts: attemptsOfRetest },
      ]),
    );
    // Values read back bit for bit, and only the retest is SN1's final attempt.
    expect(body.every((r) => Number(r[9]).toString() === r[9])).toBe(true);
    expect(new Set(body.filter((r) => r[1] === 'SN1').map((r) => `${r[2]}:${r[3]}`))).toEqual(new Set(['1:false', '2:true']));
    expect(body.some((r) => r[1]!.startsWith('='))).toBe(false);
  });

  it('writes each unit attempt × corner × lane as one wide row, censored readings named', async () => {
    const out = join(dir, 'wide.csv');
    await exportReadings(store, lot, { format: 'wide', out, attempts: 'final' });
    const parsed = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    const row = parsed.find((r) => r.serial === 'SN3' && r.corner === 'hot' && r.lane === '3')!;
    const reading = (parameter: string, corner: string, lane: number | null, f = first, run = 2) =>
      f.measurements.find((m) => m.run === run && m.parameter === parameter && m.corner === corner && m.lane === lane)!;
    expect(Number(row['tx_avg_power (dBm)'])).toBe(reading('tx_avg_power', 'hot', 2).value);
    expect(Number(row['tx_er (dB)'])).toBe(reading('tx_er', 'hot', 2).value);
    expect(row['module_power (W)']).toBe('');
    const module = parsed.find((r) => r.serial === 'SN3' && r.corner === 'hot' && r.lane === 'module')!;
    expect(Number(module['module_power (W)'])).toBe(reading('module_power', 'hot', null).value);
    // Final attempts only: SN1 appears with its retest, attempt 2.
    expect(new Set(parsed.filter((r) => r.serial === 'SN1').map((r) => r.attempt))).toEqual(new Set(['2']));
    const censored = first.measurements.filter((m) => m.censoring !== 'none');
    expect(censored.length).toBeGreaterThan(0);
    const c = censored.find((m) => m.run === 2)!;
    const withMark = parsed.find(
      (r) => r.serial === 'SN3' && r.corner === c.corner && r.lane === (c.lane === null ? 'module' : String(c.lane + 1)),
    )!;
    expect(withMark.censored).toContain(`${c.parameter}${c.censoring === 'below' ? '<' : '>'}`);
    // 8 lane rows + 2 module rows per corner pair for each of the three units' final attempts.
    expect(parsed).toHaveLength(3 * 2 * 5);
  });

  it('writes an Excel workbook with numbers as numbers, and only the parameters asked for', async () => {
    const out = join(dir, 'readings.xlsx');
    await exportReadings(store, lot, { format: 'xlsx', out, parameters: ['tx_er'] });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet('readings')!;
    const rows: unknown[][] = [];
    sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const stored = [...first.measurements.map((m) => ({ m, f: first })), ...retest.measurements.map((m) => ({ m, f: retest }))].filter(
      ({ m }) => m.parameter === 'tx_er',
    );
    expect(rows).toHaveLength(1 + stored.length);
    expect(new Set(rows.slice(1).map((r) => r[8]))).toEqual(new Set(['tx_er']));
    const values = rows.slice(1).map((r) => r[9]);
    expect(values.every((v) => typeof v === 'number')).toBe(true);
    expect(values.sort()).toEqual(stored.map(({ m }) => m.value).sort());
    expect(rows.slice(1).map((r) => r[1])).toContain(`'=HYPERLINK("x")`);
  });

  it('refuses an unknown lot before writing anything', async () => {
    const out = join(dir, 'nothing.csv');
    await expect(exportReadings(store, 'NO-SUCH-LOT', { format: 'long', out })).rejects.toBeInstanceOf(LotqaError);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });
});
