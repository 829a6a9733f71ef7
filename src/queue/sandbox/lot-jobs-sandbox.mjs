/**
 * The file BullMQ's sandbox child imports. In the compiled build (dist/, scripts/build.mjs) the
 * processor sits beside this file as JavaScript and the child loads it directly. Running the sources:
 * BullMQ forks a plain `node` with the parent's flags; a worker started as `node --import tsx …` passes
 * the TypeScript loader on, but `lotqa worker` through tsx registered in-process does not, and the
 * child could not load a .ts file. Register the loader here when the child does not already have it.
 */
import { existsSync } from 'node:fs';

// The bundle first (scripts/build.mjs bundleEntryPoints: one module instead of ~200), else the per-file build.
const bundled = new URL('../../../bundle/lot-jobs-sandbox.mjs', import.meta.url);
const compiled = new URL('./lot-jobs-sandbox.js', import.meta.url);
let lotJobsSandbox;
if (existsSync(bundled)) {
  ({ default: lotJobsSandbox } = await import(bundled.href));
} else if (existsSync(compiled)) {
  ({ default: lotJobsSandbox } = await import(compiled.href));
} else {
  if (!process.execArgv.some((arg) => arg.includes('tsx'))) (await import('tsx/esm/api')).register();
  ({ default: lotJobsSandbox } = await import('./lot-jobs-sandbox.ts'));
}
export default lotJobsSandbox;
