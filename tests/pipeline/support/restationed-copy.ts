/**
 * A copy of a long-layout station file (header `…,Station,TestTime,…`) with every row's station replaced
 * and its test time moved by `shiftMs`: the same readings, reported as tested on another station.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function restationedCopy(from: string, to: string, station: string, shiftMs = 0): void {
  const lines = readFileSync(from, 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const stationAt = header.indexOf('Station');
  const timeAt = header.indexOf('TestTime');
  if (stationAt < 0 || timeAt < 0) throw new Error(`${from}: no Station and TestTime columns`);
  const out = lines.map((line, i) => {
    if (i === 0 || line === '') return line;
    const cells = line.split(',');
    cells[stationAt] = station;
    cells[timeAt] = new Date(Date.parse(cells[timeAt]!) + shiftMs).toISOString().replace('.000Z', 'Z');
    return cells.join(',');
  });
  writeFileSync(to, out.join('\n'));
}
