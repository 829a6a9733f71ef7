/**
 * `lotqa conflicts` as a user runs it (a SQLite store in a temp folder; the commands in-process,
 * tests/support/lotqa-in-process.ts, as a process would run them): each conflicting file is listed
 * with the station it names, in the table and in `--json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { conflictingCopy } from '../pipeline/support/conflicting-copy.js';
import { restationedCopy } from '../pipeline/support/restationed-copy.js';
import { lotqaInProcess } from '../support/lotqa-in-process.js';

const LOT = 'CLICF1';
let dir: string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** `lotqa args…` in this process. */
const lotqa = (args: string[]) =>
  lotqaInProcess(args, {
    cwd: dir,
    env: { LOTQA_SQLITE_PATH: join(dir, 'cli.sqlite'), LOTQA_REPORTS_DIR: join(dir, 'reports'), DATABASE_URL: '' },
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-cli-conflicts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lotqa conflicts', () => {
  it('lists each conflicting file with the station it names, in the table and in --json', async () => {
    const g = await lotqa([
      'generate',
      '--product',
      'qsfp112-400g-dr4',
      '--profile',
      'long-generic',
      '--units',
      '6',
      '--lot',
      LOT,
      '--seed',
      '5',
      '--out',
      'lot',
    ]);
    expect(g.code, g.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'lot', 'manifest.json'), 'utf8')) as { files: { file: string; station: string }[] };
    const first = manifest.files[0]!;
    // The same test reported by ATE-05 with one reading changed.
    mkdirSync(join(dir, 'other'));
    restationedCopy(join(dir, 'lot', first.file), join(dir, 'other', 'moved.csv'), 'ATE-05');
    conflictingCopy(join(dir, 'other', 'moved.csv'), join(dir, 'other', 'moved.csv'));
    for (const folder of ['lot', 'other']) expect((await lotqa(['ingest', folder, '--product', 'qsfp112-400g-dr4'])).code).toBe(0);

    const table = await lotqa(['conflicts', LOT]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`${sha(join(dir, 'lot', first.file))} from ${first.station}`);
    expect(table.stdout).toContain(`${sha(join(dir, 'other', 'moved.csv'))} from ATE-05`);
    const listed = JSON.parse((await lotqa(['conflicts', LOT, '--json'])).stdout) as { files: string[]; stations: string[] }[];
    expect(listed).toHaveLength(1);
    const byFile = Object.fromEntries(listed[0]!.files.map((f, i) => [f, listed[0]!.stations[i]]));
    expect(byFile).toEqual({ [sha(join(dir, 'lot', first.file))]: first.station, [sha(join(dir, 'other', 'moved.csv'))]: 'ATE-05' });
  });
});
