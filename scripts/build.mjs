/**
 * The compiled build: every TypeScript file of src/ and workers/ transpiled by esbuild to JavaScript at
 * the same path under dist/ (no bundling, so `import.meta.url`-relative paths, stack traces and the
 * dynamic command imports keep working as in the sources), the JSON tables and the .mjs entry files
 * copied, schemas/ linked, the index of the top-level `--help` and the schema validators written. `npm ci` runs it (`prepare`),
 * bin/lotqa.mjs and the workers use it; development keeps running the sources through tsx. Then the
 * entry points are bundled from the same sources into dist/bundle/ (`bundleEntryPoints`) and the CLI
 * script's code cache is written (`writeCliCodeCache`): what runs; the per-file build stays beside them
 * for the paths the bundles compute from it and for the build's own steps.
 *
 *   node scripts/build.mjs          build dist/ (a few seconds: esbuild, then the help index and validators)
 *
 * `buildIsFresh()` says whether dist/ is newer than every source file (bin/lotqa.mjs falls back to the
 * sources through tsx when it is not, so an edit is never silently ignored); `ensureBuild()` builds when
 * it is not (the vitest global setup, before tests spawn the CLI). The build is written to a temporary
 * folder and renamed into place, so two processes building at once never see half a build.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DIST = join(ROOT, 'dist');
const STAMP = 'build-stamp.json';
const SOURCE_DIRS = ['src', 'workers'];

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

/** TypeScript, entry .mjs files, JSON tables, and the console's browser assets (src/web/assets: copied as they are). */
function sourceFiles() {
  return SOURCE_DIRS.flatMap((d) => filesUnder(join(ROOT, d))).filter(
    (f) => /\.(ts|mjs|json)$/.test(f) || /[\\/]assets[\\/][^\\/]+\.(js|css)$/.test(f),
  );
}

/** The shipped catalog documents: the build records the ones it validated (writeShippedCatalogValidation). */
const shippedCatalogFiles = () => ['products', 'profiles', 'policies'].flatMap((d) => filesUnder(join(ROOT, 'schemas', d)));

/**
 * True when dist/ exists and was built after the last change to any source file, shipped catalog
 * document (so its record of what it validated is current) and package.json.
 */
export function buildIsFresh() {
  let built;
  try {
    built = statSync(join(DIST, STAMP)).mtimeMs;
  } catch {
    return false;
  }
  for (const f of [...sourceFiles(), ...shippedCatalogFiles(), join(ROOT, 'package.json')]) if (statSync(f).mtimeMs > built) return false;
  return true;
}

/** Builds dist/ from the sources; returns the number of files transpiled. */
export async function build({ quiet = false } = {}) {
  const started = performance.now();
  const { buildSync } = await import('esbuild');
  const tmp = join(ROOT, `dist.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const files = sourceFiles();
  const ts = files.filter((f) => f.endsWith('.ts'));
  buildSync({
    entryPoints: ts,
    outdir: tmp,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    // Node 20.19 reads `import … with { type: 'json' }`; an older target would drop the attribute.
    target: 'node20.19',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  bundleVendorPackages(buildSync, tmp);
  for (const f of files.filter((f) => !f.endsWith('.ts'))) {
    const to = join(tmp, relative(ROOT, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  // src/domain/catalog.ts and friends find the shipped catalogs at `../../schemas/` from their own file.
  symlinkSync('../schemas', join(tmp, 'schemas'), 'dir');
  // Both are optional speed-ups (without them the code computes the same at run time): a failure here
  // is reported but does not fail `npm ci`.
  for (const step of [writeHelpIndex, writeSchemaValidators, writeShippedCatalogValidation, bundleEntryPoints, writeCliCodeCache]) {
    try {
      await step(tmp);
    } catch (err) {
      console.warn(`lotqa build: ${step.name} skipped (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  writeFileSync(join(tmp, STAMP), `${JSON.stringify({ builtAt: new Date().toISOString(), files: ts.length })}\n`);
  swapInto(tmp);
  if (!quiet) console.log(`lotqa build: ${ts.length} files → dist/ in ${Math.round(performance.now() - started)} ms`);
  return ts.length;
}

/**
 * Packages of hundreds of small ES modules each (kysely: 263 files, TypeBox: 249), which Node resolves,
 * reads and compiles one by one at every start: ~0.2 s of CPU before `lotqa run` reads a file. Each is
 * bundled here into dist/vendor (the entries share one chunk, so TypeBox's compiler and value modules use
 * the same TypeBox), and the compiled sources import the bundles instead of the packages. Same code, same
 * versions: only the number of files Node loads changes.
 */
const VENDOR_BUNDLES = {
  kysely: 'kysely',
  '@sinclair/typebox': 'typebox',
  '@sinclair/typebox/compiler': 'typebox-compiler',
  '@sinclair/typebox/value': 'typebox-value',
};

function bundleVendorPackages(buildSync, tmp) {
  const entries = join(tmp, 'vendor-entries');
  mkdirSync(entries, { recursive: true });
  const entryPoints = Object.entries(VENDOR_BUNDLES).map(([pkg, name]) => {
    const entry = join(entries, `${name}.mjs`);
    writeFileSync(entry, `export * from '${pkg}';\n`);
    return entry;
  });
  buildSync({
    entryPoints,
    outdir: join(tmp, 'vendor'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    outExtension: { '.js': '.js' },
    logLevel: 'warning',
  });
  rmSync(entries, { recursive: true, force: true });
  const specifier = /(\bfrom\s*|\bimport\s*\(\s*)"(kysely|@sinclair\/typebox(?:\/compiler|\/value)?)"/g;
  for (const f of filesUnder(tmp)) {
    if (!f.endsWith('.js') || f.startsWith(join(tmp, 'vendor'))) continue;
    const text = readFileSync(f, 'utf8');
    const rewritten = text.replace(specifier, (_, lead, pkg) => {
      let rel = relative(dirname(f), join(tmp, 'vendor', `${VENDOR_BUNDLES[pkg]}.js`))
        .split('\\')
        .join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${lead}"${rel}"`;
    });
    if (rewritten !== text) writeFileSync(f, rewritten);
  }
}

/**
 * The program's entry points bundled by esbuild into dist/bundle/ (one ES module each, the code they
 * share in chunks, each lazily imported command a chunk of its own): the CLI, the parse and chart
 * threads, BullMQ's sandboxed child and the queue workers. Loading dist/src/ file by file, `lotqa run`
 * resolved, read and compiled ~210 ES modules and ~500 CommonJS files (454 of them @stdlib's): ~55 ms
 * of the "documents" phase alone. dist/src/cli/main.js and dist/workers/*.js become one-line imports of
 * their bundle, so every way of starting the build (bin/lotqa.mjs, `node dist/src/cli/main.js`,
 * `node dist/workers/all-workers.js`) runs it; the thread and sandbox entries (.mjs) prefer it.
 *
 * Only pure-JavaScript packages are bundled (BUNDLED_PACKAGES, with whatever they depend on, so a
 * nested copy such as @stdlib/math-base-special-gammaincinv's own `debug` stays theirs). Every other
 * package stays an import of the installed package: native addons (better-sqlite3, argon2), packages
 * that read files beside themselves (pdfkit's AFM fonts) or start files by path (BullMQ's child, pino's
 * transports), and the rest, which only the commands that need them load.
 *
 * A bundled module's `import.meta.url` is rewritten to the URL of its per-file build in dist/src/, so
 * every path it computes from its own file (the shipped catalogs, the help index, the precompiled
 * validators, the thread entries) is the one it was: the per-file build stays beside the bundle.
 */
const BUNDLE_ENTRIES = {
  lotqa: 'src/cli/main.ts',
  'parse-worker': 'src/pipeline/parse-worker.ts',
  'chart-worker': 'src/pipeline/chart-worker.ts',
  'lot-jobs-sandbox': 'src/queue/sandbox/lot-jobs-sandbox.ts',
};
const BUNDLED_PACKAGES =
  /^(?:@stdlib\/[^/]+|commander|cli-progress|luxon|papaparse|simple-statistics|kysely|@sinclair\/typebox|pure-rand)(?:\/|$)/;

/**
 * dist/src/cli/main.js once the CLI is bundled. A stack is printed only with LOTQA_DEBUG=1 (src/cli/failure.ts),
 * and only then are the bundle's source maps read so that it names the TypeScript lines: Node reads the
 * map of every module it loads when they are on (+10 MB, ~15 ms CPU for `lotqa run`).
 */
const CLI_ENTRY = `// The CLI runs from its bundle (scripts/build.mjs bundleEntryPoints).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A command: the whole CLI as one script with V8's code cache (~30 ms less to start). \`lotqa\` or
// \`lotqa --help\` alone (commander and the help index), and LOTQA_DEBUG=1 (source maps): the ES modules.
const command = process.argv.slice(2).some((a) => !a.startsWith('-'));
const cached = new URL('../../bundle/lotqa-cli-loader.cjs', import.meta.url);
if (command && !process.env.LOTQA_DEBUG && existsSync(cached)) {
  createRequire(import.meta.url)(fileURLToPath(cached));
} else {
  if (process.env.LOTQA_DEBUG) process.setSourceMapsEnabled(true);
  await import('../../bundle/lotqa.mjs');
}
`;

async function bundleEntryPoints(tmp) {
  const { build: esbuild } = await import('esbuild');
  const out = join(tmp, 'bundle');
  const workers = readdirSync(join(ROOT, 'workers')).filter((f) => f.endsWith('.ts'));
  const entryPoints = { ...BUNDLE_ENTRIES };
  for (const w of workers) entryPoints[`workers-${w.replace(/\.ts$/, '')}`] = `workers/${w}`;
  for (const name of Object.keys(entryPoints)) entryPoints[name] = join(ROOT, entryPoints[name]);
  const insideNodeModules = /[\\/]node_modules[\\/]/;
  const plugin = {
    name: 'lotqa-bundle',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        // A bundled package's own dependencies are bundled with it (resolved from where it sits).
        if (insideNodeModules.test(args.importer) || BUNDLED_PACKAGES.test(args.path)) return undefined;
        return { path: args.path, external: true };
      });
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        // Only `import.meta.url` is rewritten: anything else of import.meta would silently name the bundle.
        const other = /import\.meta\.(?!url\b)\w+/.exec(text);
        if (other)
          return { errors: [{ text: `${other[0]} in ${relative(ROOT, args.path)}: use import.meta.url (the bundle rewrites only that)` }] };
        if (text.includes('import.meta.url')) {
          const perFile = join(tmp, relative(ROOT, args.path)).replace(/\.ts$/, '.js');
          const rel = relative(out, perFile).split('\\').join('/');
          text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
        }
        return { contents: text, loader: 'ts' };
      });
    },
  };
  await esbuild({
    entryPoints,
    outdir: out,
    // .mjs: Node knows an ES module by its name, without looking for the package.json that says so for
    // each of the ~60 files `lotqa run` loads (getPackageScopeConfig: ~5 ms).
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: 'linked',
    plugins: [plugin],
    // The CommonJS packages bundled call require() for Node's modules (and their optional peers).
    banner: { js: "import { createRequire as __lotqaRequire } from 'node:module';\nconst require = __lotqaRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // The CLI once more, as one CommonJS script that runs with V8's code cache (scripts/cached-cli.cjs).
  await esbuild({
    entryPoints: { 'lotqa-cli': entryPoints.lotqa },
    outdir: out,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    plugins: [plugin],
    define: { 'import.meta.url': '__lotqaModuleUrl' },
    // Strict like the ES modules it is made of; import.meta.url (rewritten above) from the script's file.
    banner: { js: "'use strict';\nconst __lotqaModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  copyFileSync(join(ROOT, 'scripts/cached-cli.cjs'), join(out, 'lotqa-cli-loader.cjs'));
  writeFileSync(join(tmp, 'src/cli/main.js'), CLI_ENTRY);
  for (const w of workers)
    writeFileSync(
      join(tmp, 'workers', w.replace(/\.ts$/, '.js')),
      `// This worker runs from its bundle (scripts/build.mjs bundleEntryPoints).\nimport '../bundle/workers-${w.replace(/\.ts$/, '')}.mjs';\n`,
    );
}

/**
 * V8's code cache of the CLI script (dist/bundle/lotqa-cli.cjs.cache, scripts/cached-cli.cjs), written by a
 * warm-up in a temp folder: a 30-unit lot generated and run (SQLite, no reports) by the build just made,
 * so the cache holds every function such a run compiles. The lotqa settings of the environment are left
 * out: the warm-up is the same for everyone. After bundleEntryPoints; without the cache a command
 * compiles the script instead.
 */
async function writeCliCodeCache(tmp) {
  if (!existsSync(join(tmp, 'bundle/lotqa-cli-loader.cjs'))) return;
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const work = mkdtempSync(join(tmpdir(), 'lotqa-warm-up-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LOTQA_') && k !== 'DATABASE_URL'));
  const lotqa = (args, extra = {}) => {
    const r = spawnSync(process.execPath, [join(tmp, 'src/cli/main.js'), ...args], {
      cwd: work,
      env: { ...env, LOTQA_SQLITE_PATH: join(work, 'warm-up.sqlite'), LOTQA_PARSE_THREADS: '0', ...extra },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    // 3: the lot is on HOLD or REJECTED, a decision like any other here.
    if (r.status !== 0 && r.status !== 3) throw new Error(`warm-up \`lotqa ${args[0]}\` exited ${r.status}: ${r.stderr.slice(0, 400)}`);
  };
  try {
    lotqa([
      'generate',
      '--product',
      'osfp-800g-dr8',
      '--profile',
      'wide-eu-preamble',
      '--units',
      '30',
      '--lot',
      'WARMUP',
      '--seed',
      '1',
      '--out',
      join(work, 'lot'),
    ]);
    lotqa(['run', join(work, 'lot'), '--no-reports'], { LOTQA_WRITE_CODE_CACHE: '1' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!existsSync(join(tmp, 'bundle/lotqa-cli.cjs.cache'))) throw new Error('the warm-up run wrote no code cache');
}

/** Builds when dist/ is missing or older than a source file. */
export async function ensureBuild(options) {
  if (!buildIsFresh()) await build(options);
}

/**
 * `lotqa --help` would otherwise load every command module (and with them the store, the queue client,
 * the PDF renderer): ~1 s. The built program's command list is written once here, from the real
 * commands, and `lotqa --help` draws it from this index (src/cli/commands/help-index.ts).
 */
async function writeHelpIndex(tmp) {
  const { buildProgram } = await import(pathToFileURL(join(tmp, 'src/cli/program.js')).href);
  const { commandHelpIndex, HELP_INDEX_FILE } = await import(pathToFileURL(join(tmp, 'src/cli/commands/help-index.js')).href);
  const index = commandHelpIndex(await buildProgram());
  writeFileSync(join(tmp, 'src/cli/commands', HELP_INDEX_FILE), `${JSON.stringify(index, null, 1)}\n`);
}

/**
 * The ajv validators of the document kinds (product spec, station profile, configuration…), compiled
 * here once instead of in every process that loads the catalogs (src/domain/schema-registry.ts).
 */
async function writeSchemaValidators(tmp) {
  const registry = await import(pathToFileURL(join(tmp, 'src/domain/schema-registry.js')).href);
  const dir = join(tmp, 'src/domain/schema-validators');
  mkdirSync(dir, { recursive: true });
  for (const { kind } of registry.SCHEMA_DOCUMENTS) writeFileSync(join(dir, `${kind}.cjs`), registry.standaloneValidatorSource(kind));
  const policy = await import(pathToFileURL(join(tmp, 'src/domain/policy-validation.js')).href);
  const policyDir = join(tmp, 'src/domain/policy-validators');
  mkdirSync(policyDir, { recursive: true });
  for (const [name, source] of Object.entries(policy.standalonePolicyValidatorSources()))
    writeFileSync(join(policyDir, `${name}.cjs`), source);
}

/**
 * The shipped catalog documents, validated here with the validators just written, and the SHA-256 of
 * the bytes validated: at run time a shipped file with those very bytes is not validated again (~0.13 s
 * of every start); a file edited after the build is (src/domain/catalog.ts). After the validators, so a
 * record is only written by a build whose validators were.
 */
async function writeShippedCatalogValidation(tmp) {
  const catalog = await import(pathToFileURL(join(tmp, 'src/domain/catalog.js')).href);
  const record = { validatedAt: new Date().toISOString(), files: catalog.shippedValidationRecord() };
  writeFileSync(join(tmp, 'src/domain', catalog.BUILD_VALIDATION_FILE), `${JSON.stringify(record, null, 1)}\n`);
}

function swapInto(tmp) {
  const old = join(ROOT, `dist.old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  try {
    renameSync(tmp, DIST);
  } catch (err) {
    // Another build finished first and is just as fresh: keep it.
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    rmSync(tmp, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build();
}
