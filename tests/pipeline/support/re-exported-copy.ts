/**
 * A station's second export of the same tests: the header kept, the data rows in reverse order, CRLF line
 * ends instead of LF (other bytes, other line numbers; the same serials, stations, times and readings).
 * Works on any delimited layout with one header line.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function reExportedCopy(from: string, to: string, edit: (line: string) => string = (l) => l): void {
  const lines = readFileSync(from, 'utf8').split(/\r?\n/);
  const [header, ...rows] = lines;
  const data = rows.filter((l) => l !== '');
  if (header === undefined || data.length === 0) throw new Error(`${from}: no header and data rows to re-export`);
  writeFileSync(to, [header, ...data.reverse().map(edit)].join('\r\n') + '\r\n');
}
