/**
 * A copy of a long-layout station file (header `…,Test,Value,…`) with its first Tx power reading set to
 * -9 dBm (below every product's limit): the same unit, attempt and test time, different readings.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function conflictingCopy(from: string, to: string): void {
  const lines = readFileSync(from, 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const test = header.indexOf('Test');
  const value = header.indexOf('Value');
  if (test < 0 || value < 0) throw new Error(`${from}: not a long layout (no Test and Value columns)`);
  const at = lines.findIndex((l, i) => i > 0 && l.split(',')[test] === 'TxPower');
  if (at < 0) throw new Error(`${from}: no TxPower row`);
  const cells = lines[at]!.split(',');
  cells[value] = '-9.000';
  lines[at] = cells.join(',');
  writeFileSync(to, lines.join('\n'));
}
