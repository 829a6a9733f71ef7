/**
 * @module Malformations — breaks a rendered station file in one documented way, and says exactly
 * where (1-based physical line, column header) so a test can check that ingest quarantined or
 * rejected precisely that.
 */
import type { MalformationKind } from './lot-options.js';
import type { SeededRandom } from './seeded-random.js';
import type { StationTable } from './station-csv.js';

/** What was broken, as the manifest records it. */
export interface MalformedFault {
  readonly kind: 'malformed';
  readonly malformation: MalformationKind;
  /** 1-based physical line, or null when the whole file is affected. */
  readonly line: number | null;
  readonly column: string | null;
  readonly detail: string;
}

const NON_NUMERIC = ['ERR', 'n/a', '#VALUE!', '--', 'FAIL'];
const UNKNOWN_TEST = 'TX_UNKNOWN_PROBE';

function dataLine(table: StationTable, row: number): number {
  return table.preamble.length + 2 + row;
}

/** Rows with a non-empty value in a value column: [row, column] pairs. */
function valueCells(table: StationTable): [number, number][] {
  const cells: [number, number][] = [];
  table.rows.forEach((row, r) => {
    for (const c of table.valueColumns) if ((row[c] ?? '') !== '') cells.push([r, c]);
  });
  return cells;
}

/**
 * Applies `kind` to a rendered table and returns the bytes to write. `join` turns a table into text.
 * 'bad-timestamp' falls back to 'non-numeric' when the test time is only in the file name.
 */
export function malform(
  kind: MalformationKind,
  table: StationTable,
  join: (t: StationTable) => string,
  random: SeededRandom,
  decimal: '.' | ',',
): { bytes: Buffer; fault: MalformedFault } {
  const rows = table.rows.map((r) => r.slice());
  const copy = (patch: Partial<StationTable>): StationTable => ({ ...table, rows, ...patch });
  switch (kind) {
    case 'non-numeric':
    case 'nan': {
      const [r, c] = random.pick(valueCells(table));
      const text = kind === 'nan' ? 'NaN' : random.pick(NON_NUMERIC);
      const row = rows[r] as string[];
      row[c] = text;
      return {
        bytes: Buffer.from(join(copy({}))),
        fault: {
          kind: 'malformed',
          malformation: kind,
          line: dataLine(table, r),
          column: table.header[c] ?? null,
          detail: `value cell replaced by "${text}"`,
        },
      };
    }
    case 'unknown-parameter': {
      if (table.parameterColumn !== null) {
        const r = random.integer(0, rows.length - 1);
        const row = (rows[r] as string[]).slice();
        row[table.parameterColumn] = UNKNOWN_TEST;
        rows.splice(r + 1, 0, row);
        return {
          bytes: Buffer.from(join(copy({}))),
          fault: {
            kind: 'malformed',
            malformation: kind,
            line: dataLine(table, r + 1),
            column: table.header[table.parameterColumn] ?? null,
            detail: `extra row for unknown test "${UNKNOWN_TEST}"`,
          },
        };
      }
      const header = [...table.header, 'Unknown Probe (dB)'];
      for (const row of rows) row.push(decimal === ',' ? '1,000' : '1.000');
      return {
        bytes: Buffer.from(join(copy({ header }))),
        fault: {
          kind: 'malformed',
          malformation: kind,
          line: table.preamble.length + 1,
          column: 'Unknown Probe (dB)',
          detail: 'extra column for an unknown test',
        },
      };
    }
    case 'ragged-row': {
      const r = random.integer(0, rows.length - 1);
      (rows[r] as string[]).pop();
      return {
        bytes: Buffer.from(join(copy({}))),
        fault: {
          kind: 'malformed',
          malformation: kind,
          line: dataLine(table, r),
          column: table.header[table.header.length - 1] ?? null,
          detail: 'last cell of the row removed',
        },
      };
    }
    case 'bad-timestamp': {
      const bad = '2025-13-45T25:61:00Z';
      if (table.timeColumn !== null) {
        for (const row of rows) row[table.timeColumn] = bad;
        return {
          bytes: Buffer.from(join(copy({}))),
          fault: {
            kind: 'malformed',
            malformation: kind,
            line: dataLine(table, 0),
            column: table.header[table.timeColumn] ?? null,
            detail: `test time "${bad}" on every row`,
          },
        };
      }
      if (table.timePreambleLine !== null) {
        const preamble = table.preamble.slice();
        const line = preamble[table.timePreambleLine] ?? '';
        const key = line.slice(0, line.indexOf('='));
        preamble[table.timePreambleLine] = `${key}=${bad}`;
        return {
          bytes: Buffer.from(join(copy({ preamble }))),
          fault: {
            kind: 'malformed',
            malformation: kind,
            line: table.timePreambleLine + 1,
            column: key,
            detail: `preamble test time "${bad}"`,
          },
        };
      }
      return malform('non-numeric', table, join, random, decimal);
    }
    case 'truncated': {
      const text = join(table);
      const headerEnd = text.split('\n', table.preamble.length + 1).join('\n').length + 1;
      let cut = headerEnd + Math.floor((text.length - headerEnd) * (0.5 + 0.4 * random.uniform()));
      while (cut < text.length - 1 && (text[cut - 1] === '\n' || text[cut] === '\n')) cut++;
      const kept = text.slice(0, cut);
      const line = kept.split('\n').length;
      return {
        bytes: Buffer.from(kept),
        fault: {
          kind: 'malformed',
          malformation: kind,
          line,
          column: null,
          detail: `file cut after ${cut} of ${text.length} characters, mid-line`,
        },
      };
    }
    case 'binary-garbage': {
      const length = random.integer(256, 2048);
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = random.integer(0, 255);
      bytes[0] = 0x89;
      bytes[1] = 0x00;
      return {
        bytes,
        fault: { kind: 'malformed', malformation: kind, line: null, column: null, detail: `${length} random bytes instead of CSV text` },
      };
    }
    case 'empty':
      return {
        bytes: Buffer.alloc(0),
        fault: { kind: 'malformed', malformation: kind, line: null, column: null, detail: 'zero-byte file' },
      };
  }
}
