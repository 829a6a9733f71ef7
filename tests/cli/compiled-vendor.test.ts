/**
 * The compiled build loads kysely and TypeBox as one bundle each (dist/vendor, scripts/build.mjs) instead
 * of their hundreds of modules, and an SQLite run does not load pg or ajv: what keeps `lotqa run`'s
 * start-up short. The vitest global setup built dist/.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');

const compiledFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));

describe('compiled build: bundled packages', () => {
  it('no compiled module imports kysely or TypeBox by package name (they come from dist/vendor)', () => {
    const bare = /(?:\bfrom\s*|\bimport\s*\(\s*)["'](?:kysely|@sinclair\/typebox(?:\/[a-z]+)?)["']/;
    const files = [...compiledFiles(join(DIST, 'src')), ...compiledFiles(join(DIST, 'workers'))];
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => bare.test(readFileSync(f, 'utf8')))).toEqual([]);
    for (const name of ['kysely', 'typebox', 'typebox-compiler', 'typebox-value'])
      expect(existsSync(join(DIST, 'vendor', `${name}.js`))).toBe(true);
  });

  it('an SQLite store and the shipped catalogs load through the bundles without pg or the ajv compiler', () => {
    // A child process, so the modules counted are only the ones an embedded run needs. The build's
    // precompiled validators need only ajv's small runtime helpers (ajv/dist/runtime/).
    const url = (f: string) => JSON.stringify(pathToFileURL(join(DIST, f)).href);
    const script = `
      const { openStore } = await import(${url('src/store/index.js')});
      const { catalogOf } = await import(${url('src/domain/catalog.js')});
      const catalog = catalogOf({});
      const documents = catalog.products().length + catalog.profiles().length + (catalog.policy('default') ? 1 : 0);
      const s = openStore({ sqlitePath: ':memory:' });
      await s.migrate();
      const files = await s.listFiles();
      await s.close();
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache).map((f) => f.split('\\\\').join('/'));
      const pg = loaded.filter((f) => f.includes('/node_modules/pg/'));
      const ajv = loaded.filter((f) => /\\/node_modules\\/ajv(-formats)?\\//.test(f) && !f.includes('/ajv/dist/runtime/'));
      console.log(JSON.stringify({ files: files.length, documents, pg, ajv }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout) as { files: number; documents: number; pg: string[]; ajv: string[] };
    expect(seen.files).toBe(0);
    expect(seen.documents).toBeGreaterThan(3);
    expect(seen.pg).toEqual([]);
    expect(seen.ajv).toEqual([]);
  });
});
