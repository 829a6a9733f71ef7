/**
 * Copied by scripts/build.mjs into dist/bundle/: runs the CLI from lotqa-cli.cjs, the whole CLI bundled as
 * one CommonJS script, compiled with V8's code cache (lotqa-cli.cjs.cache, written by the build after a
 * small `lotqa run`), so a command deserializes the compiled code instead of parsing and compiling it
 * again: Node 20 has no compile cache for ES modules. A cache V8 rejects (another Node version, other
 * V8 flags, a changed script) or a missing one costs only that compilation: the code run is the same.
 */
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const FILE = join(__dirname, 'lotqa-cli.cjs');
const CACHE = `${FILE}.cache`;

const source = readFileSync(FILE, 'utf8');
let cachedData;
try {
  cachedData = readFileSync(CACHE);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), {
  filename: FILE,
  cachedData,
  // `import()` in the script (node:os in one command) through Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
// With LOTQA_TIMINGS (src/pipeline/phase-timings.ts): whether the cache served.
const timings = process.env.LOTQA_TIMINGS;
if (timings !== undefined && timings !== '' && timings !== '0')
  process.stderr.write(
    `lotqa timing code cache: ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : `used (${cachedData.length} bytes)`}\n`,
  );
// The build's warm-up run: the cache then holds every function that run compiled, not only the top level.
if (process.env.LOTQA_WRITE_CODE_CACHE === '1')
  process.once('exit', () => {
    writeFileSync(`${CACHE}.${process.pid}`, script.createCachedData());
    renameSync(`${CACHE}.${process.pid}`, CACHE);
  });
const cli = { exports: {} };
script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(FILE), cli, FILE, __dirname);
