/**
 * The build runs the CLI, the parse threads and the queue workers from their esbuild bundles
 * (dist/bundle, scripts/build.mjs `bundleEntryPoints`): one module and a few shared chunks instead of
 * ~210 compiled modules and ~500 CommonJS files of node_modules (454 of them @stdlib's); a command runs
 * the CLI as one script compiled with V8's code cache (`writeCliCodeCache`, scripts/cached-cli.cjs).
 * Every way of starting the build must reach the bundle, and the bundle must find what its modules find
 * beside their own files (the shipped catalogs, the help index, the precompiled validators, the thread
 * entries). The vitest global setup built dist/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-bundle-'));
  // Module hooks that name every module a process (and each of its threads) loads, on stderr.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    "export async function load(url, context, next) { process._rawDebug('LOADED ' + url); return next(url, context); }\n",
  );
  // …and every file CommonJS require() loads (the cached CLI script requires its packages).
  writeFileSync(
    join(dir, 'log-modules.mjs'),
    `import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const file = Module.builtinModules.includes(request.replace(/^node:/, '')) ? null : Module._resolveFilename(request, parent, isMain);
  if (file) process._rawDebug('LOADED ' + pathToFileURL(file).href);
  return load.apply(this, arguments);
};
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `node [--import log-modules] <script> args…` in the temp folder, with an SQLite store there. */
function spawnNode(script: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'log-modules.mjs')).href, script, ...args], {
    cwd: dir,
    env: { ...process.env, LOTQA_SQLITE_PATH: join(dir, 'bundle.sqlite'), DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
    // A LotResult printed with --json is larger than spawnSync's 1 MiB default.
    maxBuffer: 64 * 1024 * 1024,
  });
  const loaded = [...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!);
  const timings = [...r.stderr.matchAll(/^lotqa timing (.*)$/gm)].map((m) => m[1]!);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^(LOADED \S+|lotqa timing .*)\n/gm, ''), loaded, timings };
}

const under = (loaded: readonly string[], folder: string) =>
  loaded.filter((u) => u.startsWith(pathToFileURL(join(ROOT, folder)).href + '/'));

describe('compiled build: bundled entry points', () => {
  it('the compiled CLI and worker entries are imports of their bundles', () => {
    const main = readFileSync(join(DIST, 'src/cli/main.js'), 'utf8');
    expect(main).toContain("import('../../bundle/lotqa.mjs')");
    expect(main).toContain("'../../bundle/lotqa-cli-loader.cjs'");
    expect(existsSync(join(DIST, 'bundle/lotqa-cli.cjs.cache'))).toBe(true);
    const workers = readdirSync(join(ROOT, 'workers')).filter((f) => f.endsWith('.ts'));
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) {
      const name = w.replace(/\.ts$/, '');
      expect(readFileSync(join(DIST, 'workers', `${name}.js`), 'utf8')).toContain(`import '../bundle/workers-${name}.mjs'`);
      expect(existsSync(join(DIST, 'bundle', `workers-${name}.mjs`))).toBe(true);
    }
  });

  it('lotqa --help from the build runs and lists the commands', () => {
    const help = spawnNode(join(ROOT, 'bin/lotqa.mjs'), ['--help']);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Commands:');
    expect(help.stdout).toMatch(/^ {2}run \[options\] <paths\.\.\.>/m);
    expect(under(help.loaded, 'dist/src').map((u) => u.slice(pathToFileURL(DIST).href.length))).toEqual(['/src/cli/main.js']);
    // The help alone: the ES modules (commander and the help index), not the whole CLI script.
    expect(under(help.loaded, 'dist/bundle')).toContain(pathToFileURL(join(DIST, 'bundle/lotqa.mjs')).href);
    expect(under(help.loaded, 'dist/bundle').filter((u) => u.endsWith('.cjs'))).toEqual([]);
  });

  it('lotqa run (with a parse thread) loads its code from the bundle only, and decides the lot as the sources do', () => {
    const gen = spawnNode(join(ROOT, 'bin/lotqa.mjs'), [
      'generate',
      '--product',
      'osfp-800g-dr8',
      '--profile',
      'wide-eu-preamble',
      '--units',
      '40',
      '--lot',
      'LB1',
      '--seed',
      '3',
      '--out',
      join(dir, 'lot'),
    ]);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const run = spawnNode(join(ROOT, 'bin/lotqa.mjs'), ['run', join(dir, 'lot'), '--no-reports', '--json'], {
      LOTQA_PARSE_THREADS: '1',
      LOTQA_TIMINGS: '1',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.timings[0]).toMatch(/^code cache: used \(\d+ bytes\)$/);
    expect(under(run.loaded, 'dist/bundle')).toContain(pathToFileURL(join(DIST, 'bundle/lotqa-cli-loader.cjs')).href);
    // Only the entry of dist/src/ (and the parse thread's entry beside parse-pool): the modules come from
    // dist/bundle, the pure-JavaScript packages inside it; of node_modules only better-sqlite3 (native).
    expect(under(run.loaded, 'dist/src').map((u) => u.slice(pathToFileURL(DIST).href.length))).toEqual([
      '/src/cli/main.js',
      '/src/pipeline/parse-worker-bootstrap.mjs',
    ]);
    expect(under(run.loaded, 'dist/bundle')).toContain(pathToFileURL(join(DIST, 'bundle/parse-worker.mjs')).href);
    const packages = new Set(under(run.loaded, 'node_modules').map((u) => u.split('/node_modules/')[1]!.split('/')[0]));
    expect([...packages].sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path']); // bindings: better-sqlite3's own
    // The same LotResult as the sources compute.
    const sources = spawnNode(join(ROOT, 'bin/lotqa.mjs'), ['evaluate', 'LB1', '--no-reports', '--json'], { LOTQA_FROM_SOURCE: '1' });
    expect(sources.code).toBe(0);
    const { decidedAt: _a, ...bundled } = JSON.parse(run.stdout) as Record<string, unknown>;
    const { decidedAt: _b, ...fromSources } = JSON.parse(sources.stdout) as Record<string, unknown>;
    expect(bundled).toEqual(fromSources);
  });

  it('a code cache V8 rejects (other V8 flags) only costs the compilation: the command runs the same', () => {
    const run = (flags: string[]) =>
      spawnSync(process.execPath, [...flags, join(ROOT, 'bin/lotqa.mjs'), 'export', 'LB1'], {
        cwd: dir,
        env: { ...process.env, LOTQA_SQLITE_PATH: join(dir, 'bundle.sqlite'), DATABASE_URL: '', LOTQA_TIMINGS: '1' },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    const used = run([]);
    const rejected = run(['--stack-size=900']);
    expect(used.stderr).toMatch(/^lotqa timing code cache: used/m);
    expect(rejected.stderr).toMatch(/^lotqa timing code cache: rejected$/m);
    expect([rejected.status, rejected.stdout]).toEqual([used.status, used.stdout]);
    expect(used.status).toBe(0);
    expect(used.stdout.split('\n').length).toBeGreaterThan(8000); // the lot's 8,160 readings
  });
});
