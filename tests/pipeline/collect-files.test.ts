/**
 * Which files of a folder are station files, and their paths: the same as path.join / path.extname
 * give (the walk builds paths by concatenation for speed), sorted, hidden, archive and quarantine
 * folders left out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectStationFiles, InputPathError } from '../../src/pipeline/collect-files.js';

const root = mkdtempSync(join(tmpdir(), 'lotqa-collect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('collecting station files', () => {
  it('takes .csv/.txt/.tsv/.dat and bare names in any case, recursively, sorted; skips the rest', () => {
    const names = ['a.csv', 'B.TXT', 'c', 'd.dat', 'e.json', 'f.CSV', 'g.tsv', 'h.csv.bak', 'i.', 'j.k.csv', '.hidden.csv'];
    for (const n of names) writeFileSync(join(root, n), 'x');
    for (const d of ['sub', 'archive', 'quarantine', '.git']) {
      mkdirSync(join(root, d));
      writeFileSync(join(root, d, 'y.csv'), 'x');
    }
    return collectStationFiles([root]).then((files) => {
      // Independently: path.join and path.extname over the same names.
      const expected = [
        ...names.filter((n) => !n.startsWith('.') && ['.csv', '.txt', '.tsv', '.dat', ''].includes(extname(n).toLowerCase())),
        join('sub', 'y.csv'),
      ]
        .map((n) => join(root, n))
        .sort();
      expect(files).toEqual(expected);
      expect(files.map((f) => f.slice(root.length + 1))).toEqual([
        'B.TXT',
        'a.csv',
        'c',
        'd.dat',
        'f.CSV',
        'g.tsv',
        'j.k.csv',
        join('sub', 'y.csv'),
      ]);
    });
  });

  it('a file named directly is taken as it is, once; a missing path is an input error naming it', async () => {
    const twice = await collectStationFiles([join(root, 'e.json'), root, join(root, 'a.csv')]);
    expect(twice.filter((f) => f === join(root, 'a.csv'))).toHaveLength(1);
    expect(twice).toContain(join(root, 'e.json'));
    await expect(collectStationFiles([join(root, 'nope')])).rejects.toThrow(InputPathError);
    await expect(collectStationFiles([join(root, 'nope')])).rejects.toThrow(/nope: no such file or directory/);
  });
});
