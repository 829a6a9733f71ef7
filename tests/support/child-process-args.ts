/**
 * The `node` arguments that run a test's own child-process script (a TypeScript file under tests/): the
 * script compiled once per test worker into tmp/test-children/, with its src/ imports pointed at the
 * compiled build in dist/src/ — the JavaScript a deployment runs, as bin/lotqa.mjs and the spawned
 * workers run it — when that build is fresh (scripts/build.mjs `buildIsFresh`; the vitest global setup
 * builds it). Otherwise, or with `{ from: 'sources' }`, the script itself through the tsx loader.
 *
 * Why: tsx compiles and loads every source module again in each child, ~0.6 s of CPU per process on
 * this machine, which the tests that start several children at once pay several times over. Only the
 * test's own helpers (tests/**) are bundled into the compiled script; everything under src/ is imported
 * from dist/src/ with its folder layout, so the catalogs and schemas it finds beside itself are the same.
 */
import { renameSync, mkdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildIsFresh } from '../../scripts/build.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src') + sep;
const OUT_DIR = join(ROOT, 'tmp', 'test-children');

/** Imports that resolve into src/ become imports of the same module in dist/src/ (not bundled). */
const srcFromBuild: Plugin = {
  name: 'src-from-build',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = join(args.resolveDir, args.path);
      if (!target.startsWith(SRC)) return undefined;
      return { path: join(ROOT, 'dist', relative(ROOT, target)), external: true };
    });
  },
};

const compiled = new Map<string, Promise<string>>();

function compile(script: string): Promise<string> {
  let out = compiled.get(script);
  if (!out) {
    out = compileOnce(script);
    compiled.set(script, out);
  }
  return out;
}

async function compileOnce(script: string): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const out = join(OUT_DIR, basename(script).replace(/\.ts$/, '.mjs'));
  // Written beside and renamed into place: another test worker may be compiling the same script now.
  const tmp = `${out}.${process.pid}.tmp`;
  await build({
    entryPoints: [script],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [srcFromBuild],
    logLevel: 'error',
  });
  renameSync(tmp, out);
  return out;
}

export interface ChildScriptOptions {
  /**
   * 'build' (default): the compiled script on dist/ when the build is fresh, else the sources; 'sources':
   * always the TypeScript through tsx.
   * @defaultValue 'build'
   */
  readonly from?: 'build' | 'sources';
}

/** `node` arguments that run `script` (an absolute path to a .ts file under tests/) with `args`. */
export async function childScriptArgs(script: string, args: readonly string[], options: ChildScriptOptions = {}): Promise<string[]> {
  if (options.from !== 'sources' && buildIsFresh()) return [await compile(script), ...args];
  return ['--import', 'tsx', script, ...args];
}
