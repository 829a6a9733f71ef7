#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the `prepare` script: scripts/build.mjs).
// When there is no build, or a source file changed after it (development), or LOTQA_FROM_SOURCE=1, it
// runs the TypeScript sources through tsx's loader instead: slower to start, never stale.
import { buildIsFresh } from '../scripts/build.mjs';

if (process.env.LOTQA_FROM_SOURCE !== '1' && buildIsFresh()) {
  await import('../dist/src/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
