// Entry of a chart thread (chart-threads.ts). In the compiled build (dist/, scripts/build.mjs) the worker
// body sits beside this file as JavaScript; running the sources, register tsx's loader in this thread first.
import { existsSync } from 'node:fs';

// The bundle first (scripts/build.mjs bundleEntryPoints: one module instead of ~200), else the per-file build.
const bundled = new URL('../../bundle/chart-worker.mjs', import.meta.url);
const compiled = new URL('./chart-worker.js', import.meta.url);
if (existsSync(bundled)) {
  await import(bundled.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./chart-worker.ts');
}
