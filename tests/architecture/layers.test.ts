/**
 * The layers point down only, and every error a user can meet shares one base. The layer rules live in
 * `.dependency-cruiser.cjs` (dependency-cruiser 17, a maintained tool that resolves TypeScript's `.js`
 * import specifiers and type-only imports; it runs on Node 20) — this test runs them over `src/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('architecture', () => {
  it('imports only point down the layers, and SQL stays in the store and its read model', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
      const tsConfig = extractTSConfig('tsconfig.json');
      const { output } = await cruise(['src'], { ...options, validate: true }, undefined, { tsConfig });
      const result = output as ICruiseResult;
      const violations = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      expect(violations).toEqual([]);
      // The rules saw the code: every relative import resolved.
      expect(result.summary.totalCruised).toBeGreaterThan(200);
      const unresolved = result.modules.flatMap((m) =>
        m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith('.')).map((d) => `${m.source} → ${d.module}`),
      );
      expect(unresolved).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('every error class extends LotqaError (a message for the person, a hint, an exit code)', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/class (\w+) extends (Error|TypeError|RangeError)\b/g)) {
        if (!(m[1] === 'LotqaError' && file.endsWith('src/errors/lotqa-error.ts')))
          offenders.push(`${m[1]} in ${file.slice(ROOT.length + 1)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
