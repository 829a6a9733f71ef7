/**
 * The build compiles the ajv validators of the document kinds and of acceptance policies ahead
 * (scripts/build.mjs, `standaloneValidatorSource`, `standalonePolicyValidatorSources`). Each must give the
 * verdict and the errors of the validator ajv compiles at run time from the same schema and options (the
 * independent recomputation), on every shipped document and on broken copies of them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { schemaJson, standaloneValidatorSource, type DocumentKindName } from '../../src/domain/schema-registry.js';
import { standalonePolicyValidatorSources } from '../../src/domain/policy-validation.js';
import { AcceptancePolicy } from '../../src/domain/acceptance-policy.js';

const ROOT = resolve(import.meta.dirname, '../..');
// Inside the repository, so the generated modules find ajv and ajv-formats in node_modules.
mkdirSync(join(ROOT, 'tmp'), { recursive: true });
const dir = mkdtempSync(join(ROOT, 'tmp', 'validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const requireHere = createRequire(join(dir, 'x.cjs'));

function loadSource(name: string, source: string): ValidateFunction {
  const file = join(dir, `${name}.cjs`);
  writeFileSync(file, source);
  return requireHere(file) as ValidateFunction;
}

const shipped = (folder: string): unknown[] =>
  readdirSync(join(ROOT, 'schemas', folder))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(ROOT, 'schemas', folder, f), 'utf8')) as unknown);

/** The document and broken copies: a field removed, a field of the wrong type, an unknown field. */
function variants(doc: unknown): unknown[] {
  const out: unknown[] = [doc];
  const record = doc as Record<string, unknown>;
  for (const key of Object.keys(record).slice(0, 6)) {
    const { [key]: _dropped, ...without } = record;
    out.push(without, { ...record, [key]: 12345 }, { ...record, [key]: 'x' });
  }
  out.push({ ...record, unknownField: true }, null, 'text', []);
  return out;
}

function agree(ahead: ValidateFunction, now: ValidateFunction, docs: readonly unknown[]): number {
  for (const doc of docs) {
    expect(ahead(doc)).toBe(now(doc));
    expect(JSON.parse(JSON.stringify(ahead.errors ?? null))).toEqual(JSON.parse(JSON.stringify(now.errors ?? null)));
  }
  return docs.length;
}

describe('validators compiled by the build', () => {
  it('document kinds: same verdicts and errors as ajv compiling at run time', () => {
    const cases: [DocumentKindName, unknown[]][] = [
      ['product-spec', shipped('products')],
      ['station-profile', shipped('profiles')],
      ['acceptance-policy', shipped('policies')],
      ['lotqa-config', [{}, { company: { name: 'X', address: [] } }]],
    ];
    let compared = 0;
    for (const [kind, docs] of cases) {
      const runtime = new Ajv2020({ strict: true, allErrors: true, verbose: true });
      addFormats.default(runtime);
      compared += agree(loadSource(kind, standaloneValidatorSource(kind)), runtime.compile(schemaJson(kind)), docs.flatMap(variants));
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('acceptance policies: same verdicts and errors as ajv compiling at run time', () => {
    const sources = standalonePolicyValidatorSources();
    const runtime = new Ajv2020({ allErrors: true, strict: true });
    expect(
      agree(loadSource('policy-whole', sources.whole!), runtime.compile(AcceptancePolicy), shipped('policies').flatMap(variants)),
    ).toBeGreaterThan(10);
  });
});
