/**
 * @module Which lotqa made an evaluation: the package version and, when it runs from the compiled build,
 * the build's time (dist/build-stamp.json, written by scripts/build.mjs). Recorded in the lot's
 * `evaluated` audit event — never in the LotResult, so result hashes stay as they were.
 */
import { readFileSync } from 'node:fs';
import { LOTQA_VERSION } from '../version.js';

export interface LotqaBuild {
  readonly version: string;
  /** When dist/ was built; absent when lotqa runs from the sources (tsx) or the stamp is unreadable. */
  readonly builtAt?: string;
}

let cached: LotqaBuild | undefined;

/** This process's lotqa build, read once. */
export function lotqaBuild(): LotqaBuild {
  if (cached === undefined) cached = Object.freeze({ version: LOTQA_VERSION, ...builtAt() });
  return cached;
}

/** dist/src/pipeline/lotqa-build.js → dist/build-stamp.json; from src/ the same path names no file. */
function builtAt(): { builtAt?: string } {
  try {
    const stamp = JSON.parse(readFileSync(new URL('../../build-stamp.json', import.meta.url), 'utf8')) as { builtAt?: unknown };
    return typeof stamp.builtAt === 'string' ? { builtAt: stamp.builtAt } : {};
  } catch {
    return {};
  }
}

/** In words, for the audit listing: "lotqa 0.1.0 (built 2026-12-04T16:44:52.490Z)" or "lotqa 0.1.0 (from source)". */
export function lotqaBuildWords(build: LotqaBuild): string {
  return `lotqa ${build.version} (${build.builtAt !== undefined ? `built ${build.builtAt}` : 'from source'})`;
}
