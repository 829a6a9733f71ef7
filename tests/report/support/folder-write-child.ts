/**
 * Child process of the crash test: writes a lot's report documents into a folder with updateLotFolder
 * and, at the requested moment, tells the parent (a marker file) and waits to be killed.
 *   node --import tsx folder-write-child.ts <dir> <seed> <stop: staged|renamed> <marker>
 * (the test runs it compiled on the build: tests/support/child-process-args.ts)
 */
import { writeFileSync } from 'node:fs';
import { updateLotFolder } from '../../../src/report/report-folder.js';
import { writeLotResultJson } from '../../../src/report/lot-result-json.js';
import { writeUnitResultsCsv } from '../../../src/report/unit-results-csv.js';
import { buildLotResult } from './lot-result-fixture.js';

const [dir, seed, stop, marker] = process.argv.slice(2) as [string, string, 'staged' | 'renamed', string];
const result = buildLotResult({ units: 300, parameters: 3, seed: Number(seed) });
const hang = async (): Promise<void> => {
  writeFileSync(marker, 'stopped');
  await new Promise(() => undefined); // the parent SIGKILLs us here
};
await updateLotFolder(
  dir,
  [
    { name: 'lot-result.json', data: writeLotResultJson(result) },
    { name: 'units.csv', data: writeUnitResultsCsv(result) },
  ],
  () => false,
  stop === 'staged' ? { staged: hang } : { renamed: async (name) => (name === 'lot-result.json' ? hang() : undefined) },
);
writeFileSync(marker, 'finished');
