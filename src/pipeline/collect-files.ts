/**
 * @module Finds the station files named on a command line: files as given, directories walked
 * recursively for `.csv` / `.txt` files, in a stable (sorted) order so runs are reproducible.
 */
import { LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';
import { readdir, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

export class InputPathError extends LotqaError {
  override name = 'InputPathError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { hint: 'check the path; give station files or folders that hold them', ...options });
  }
}

/** Station exports: CSV-like extensions, or none (some ATE software writes bare names). */
const STATION_FILE_EXTENSIONS = new Set(['.csv', '.txt', '.tsv', '.dat', '']);

export async function collectStationFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let s;
    try {
      s = await stat(abs);
    } catch {
      throw new InputPathError(`${p}: no such file or directory`);
    }
    if (s.isDirectory()) out.push(...(await walk(abs)));
    else out.push(abs);
  }
  return [...new Set(out)].sort();
}

/** `.csv` of `unit.csv`, '' of `unit` (names starting with a dot are skipped before this). */
const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
};

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  // `dir` is absolute and normalised (resolve, then readdir's own names), so a file's path is a
  // concatenation: path.join per file was most of collecting a 10,000-file lot folder.
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  for (const e of entries) {
    const full = prefix + e.name;
    if (e.isDirectory()) {
      // Archive and quarantine folders of a drop directory hold files already handled.
      if (e.name === 'archive' || e.name === 'quarantine' || e.name.startsWith('.')) continue;
      files.push(...(await walk(full)));
    } else if (e.isFile() && !e.name.startsWith('.') && STATION_FILE_EXTENSIONS.has(extensionOf(e.name))) {
      files.push(full);
    }
  }
  return files;
}
