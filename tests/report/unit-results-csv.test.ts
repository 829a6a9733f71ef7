import { describe, it, expect } from 'vitest';
import Papa from 'papaparse';
import { writeUnitResultsCsv, neutraliseCell, UNIT_CSV_COLUMNS } from '../../src/report/unit-results-csv.js';
import { buildLotResult } from './support/lot-result-fixture.js';

describe('unit results CSV', () => {
  it('prefixes an apostrophe to cells starting with = + - @ tab or carriage return (OWASP CSV injection)', () => {
    expect(neutraliseCell('=1+1')).toBe("'=1+1");
    expect(neutraliseCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(neutraliseCell('-2+3')).toBe("'-2+3");
    expect(neutraliseCell('@cmd')).toBe("'@cmd");
    expect(neutraliseCell('\tx')).toBe("'\tx");
    expect(neutraliseCell('\rx')).toBe("'\rx");
    expect(neutraliseCell('DR8-0001')).toBe('DR8-0001');
    expect(neutraliseCell('a=b')).toBe('a=b');
  });

  it('neutralises input-derived text, quotes per RFC 4180 and reads back to the same values', () => {
    const r = buildLotResult({ units: 12, parameters: 2, lot: '=cmd|"/c calc"!A0', oddSerial: '@SUM(1,2)\n"quoted", x' });
    r.units[2]!.station = '-ATE,7';
    const csv = writeUnitResultsCsv(r);
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.trim(), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual([...UNIT_CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(13);
    const row5 = parsed.data[6]!;
    expect(row5[0]).toBe(`'=cmd|"/c calc"!A0`);
    expect(row5[2]).toBe(`'@SUM(1,2)\n"quoted", x`);
    expect(parsed.data[3]![3]).toBe("'-ATE,7");
    // no cell of the file starts with a formula trigger
    for (const row of parsed.data) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('lists each unit once with its verdicts and failures', () => {
    const r = buildLotResult({ units: 200, parameters: 10 });
    const rows = Papa.parse<Record<string, string>>(writeUnitResultsCsv(r).trim(), { header: true, newline: '\r\n' }).data;
    expect(rows).toHaveLength(200);
    const failing = rows.filter((x) => x.final === 'fail');
    expect(failing).toHaveLength(r.units.filter((u) => u.final === 'fail').length);
    // Lane index 5 is the station's channel 6.
    expect(failing.some((x) => /tx_tdecq@hot\/L6:above-usl:3\.62/.test(x.failures ?? ''))).toBe(true);
  });
});
