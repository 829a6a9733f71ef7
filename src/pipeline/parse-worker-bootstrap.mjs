// Entry of a parse-pool worker thread. In the compiled build (dist/, scripts/build.mjs) the worker body
// sits beside this file as JavaScript; running the sources, register tsx's loader in this thread first.
import { existsSync } from 'node:fs';

// The bundle first (scripts/build.mjs bundleEntryPoints: one module instead of ~200), else the per-file build.
const bundled = new URL('../../bundle/parse-worker.mjs', import.meta.url);
const compiled = new URL('./parse-worker.js', import.meta.url);
if (existsSync(bundled)) {
  await import(bundled.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./parse-worker.ts');
}
