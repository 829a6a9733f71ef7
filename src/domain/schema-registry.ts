/**
 * @module Schema registry — every JSON document a user writes (product spec, station profile, …) by
 * kind: its TypeBox schema (the source of truth for `schemas/<kind>.schema.json`), one ajv validator
 * compiled once, and the semantic checks JSON Schema cannot express (unique ids, known corners,
 * expressions that parse and reference known parameters, no derived cycles, lsl < usl…).
 *
 * To add a document kind (e.g. `acceptance-policy`, `lot-result`): add one `documentKind(...)` line to
 * {@link SCHEMA_DOCUMENTS}; `npm run schemas` then writes its schema file and the drift test covers it.
 *
 * Errors name the file and the JSON pointer of every failing field:
 * `schemas/products/x.json: /parameters/3/lsl must be number or {expr}`; JSON syntax errors carry
 * line and column.
 */
import { readFileSync } from 'node:fs';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type addFormats from 'ajv-formats';
import type * as AjvModule from 'ajv';
import type standaloneCode from 'ajv/dist/standalone/index.js';
import { createRequire } from 'node:module';
import type { Static, TSchema } from '@sinclair/typebox';
import { AcceptancePolicy } from './acceptance-policy.js';
import { LotResult } from './lot-result.js';
import { ProductSpec } from './product-spec.js';
import { LotqaConfig } from './lotqa-config.js';
import { StationProfile } from './station-profile.js';
import { checkProductSpec } from './product-spec-checks.js';
import { checkStationProfile } from './station-profile-checks.js';
import { SpecFileError, pointerSegment, type SpecProblem } from './spec-file-error.js';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export { SpecFileError, formatProblem, pointerSegment, type SpecProblem } from './spec-file-error.js';

interface DocumentKind<K extends string, S extends TSchema> {
  readonly kind: K;
  readonly schema: S;
  /** Checks beyond the JSON Schema, run only on documents that passed it. */
  readonly check?: (doc: Static<S>) => SpecProblem[];
  /**
   * The schema describes the document after defaults are applied: every field with a default may be
   * left out of the file (the configuration: a file with one setting is complete).
   */
  readonly defaultsOptional?: boolean;
}
const documentKind = <K extends string, S extends TSchema>(d: DocumentKind<K, S>): DocumentKind<K, S> => d;

/** Every document kind with a schema file in `schemas/`. Add a kind here and nowhere else. */
export const SCHEMA_DOCUMENTS = [
  documentKind({ kind: 'product-spec', schema: ProductSpec, check: checkProductSpec }),
  documentKind({ kind: 'station-profile', schema: StationProfile, check: checkStationProfile }),
  documentKind({ kind: 'lotqa-config', schema: LotqaConfig, defaultsOptional: true }),
  // Validated with its semantic checks by src/domain/policy-validation.ts; registered here for its schema file.
  documentKind({ kind: 'acceptance-policy', schema: AcceptancePolicy }),
  // Written by lotqa (lot-result.json beside the reports); registered here for its schema file.
  documentKind({ kind: 'lot-result', schema: LotResult }),
] as const;

type Registered = (typeof SCHEMA_DOCUMENTS)[number];
export type DocumentKindName = Registered['kind'];
/** The TypeScript type of a document of kind K. */
export type DocumentOf<K extends DocumentKindName> = Static<Extract<Registered, { kind: K }>['schema']>;

function entryOf(kind: string): Registered {
  const entry = SCHEMA_DOCUMENTS.find((d) => d.kind === kind);
  if (entry === undefined) throw new Error(`unknown document kind '${kind}' (known: ${SCHEMA_DOCUMENTS.map((d) => d.kind).join(', ')})`);
  return entry;
}

/** File name of a kind's schema inside `schemas/`. */
export const schemaFileName = (kind: DocumentKindName): string => `${kind}.schema.json`;

/** Keys a reader looks for first; every other key follows alphabetically. */
const LEADING_KEYS = ['$schema', '$id', 'title', 'description', 'type'];
const keyOrder = (a: string, b: string): number => {
  const ra = LEADING_KEYS.indexOf(a);
  const rb = LEADING_KEYS.indexOf(b);
  if (ra !== rb) return (ra === -1 ? LEADING_KEYS.length : ra) - (rb === -1 ? LEADING_KEYS.length : rb);
  return a < b ? -1 : a > b ? 1 : 0;
};

/** Recursively orders object keys, so the written schema does not depend on TypeBox's internal key order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort(keyOrder)) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Drops from every `required` list the properties that have a default. */
function withDefaultsOptional(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withDefaultsOptional);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withDefaultsOptional(v);
  const props = out.properties as Record<string, { default?: unknown }> | undefined;
  if (Array.isArray(out.required) && props) {
    const required = (out.required as string[]).filter((name) => props[name]?.default === undefined);
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}

/** The plain JSON Schema of a kind (TypeBox's symbols dropped, `$schema` added, keys sorted). */
export function schemaJson(kind: DocumentKindName): Record<string, unknown> {
  const entry = entryOf(kind);
  const json = JSON.parse(JSON.stringify(entry.schema)) as Record<string, unknown>;
  const plain = (entry.defaultsOptional ? withDefaultsOptional(json) : json) as Record<string, unknown>;
  return sortKeys({ $schema: JSON_SCHEMA_DIALECT, ...plain }) as Record<string, unknown>;
}

/** The exact text `npm run schemas` writes for a kind (2-space JSON, trailing newline). */
export function renderSchemaFile(kind: DocumentKindName): string {
  return `${JSON.stringify(schemaJson(kind), null, 2)}\n`;
}

// ─── validation ───────────────────────────────────────────────────────────────────────────────────

let ajv: Ajv2020 | null = null;
const validators = new Map<string, ValidateFunction>();
const AJV_OPTIONS = { strict: true, allErrors: true, verbose: true } as const;

/**
 * The kind's validator: the one the build compiled ahead (scripts/build.mjs writes
 * `schema-validators/<kind>.cjs` beside the compiled module with `standaloneValidatorSource`), else
 * compiled the first time that kind is validated. Compiling the product-spec and station-profile schemas
 * costs ~0.5–1 s, which every `lotqa run` would otherwise pay before reading a file.
 */
function validatorOf(kind: DocumentKindName): ValidateFunction {
  let validate = validators.get(kind);
  if (validate === undefined) {
    validate = precompiledValidator(kind);
    if (validate === undefined) {
      if (ajv === null) {
        ajv = new (ajvLib().Ajv2020)(AJV_OPTIONS);
        formatsLib().default(ajv);
      }
      validate = ajv.compile(schemaJson(kind));
    }
    validators.set(kind, validate);
  }
  return validate;
}

const requireBeside = createRequire(import.meta.url);
/**
 * ajv and its formats, loaded only to compile a validator the build did not (the sources) or for the
 * build itself: loading them cost every command ~0.05–0.1 s of start-up.
 */
const ajvLib = (): typeof Ajv2020Module => requireBeside('ajv/dist/2020.js') as typeof Ajv2020Module;
const formatsLib = (): typeof addFormats => requireBeside('ajv-formats') as typeof addFormats;

function precompiledValidator(kind: DocumentKindName): ValidateFunction | undefined {
  try {
    return requireBeside(`./schema-validators/${kind}.cjs`) as ValidateFunction;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'MODULE_NOT_FOUND') return undefined; // the sources: no build
    throw err;
  }
}

/**
 * The source of a CommonJS module exporting the kind's validator, generated by ajv from the same schema
 * and options as the validator compiled at run time (same verdicts, same errors). Used by the build.
 */
export function standaloneValidatorSource(kind: DocumentKindName): string {
  const { _ } = requireBeside('ajv') as typeof AjvModule;
  const ahead = new (ajvLib().Ajv2020)({
    ...AJV_OPTIONS,
    code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  formatsLib().default(ahead);
  return (requireBeside('ajv/dist/standalone/index.js') as typeof standaloneCode).default(ahead, ahead.compile(schemaJson(kind)));
}

const quote = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/** One readable problem from one ajv error (the pointer names the field itself where ajv names its parent). */
function problemOf(e: ErrorObject): SpecProblem {
  const at = e.instancePath === '' ? '' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { pointer: `${at}/${pointerSegment(String(params.missingProperty))}`, message: 'is required but missing' };
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: `${at}/${pointerSegment(String(params.additionalProperty))}`,
        message: `is not a known field${known.length > 0 ? ` (known here: ${known.join(', ')})` : ''}`,
      };
    }
    case 'const':
      return { pointer: at || '/', message: `must be ${quote(params.allowedValue)}` };
    case 'enum':
      return { pointer: at || '/', message: `must be one of ${(params.allowedValues as unknown[]).map(quote).join(', ')}` };
    default:
      return { pointer: at || '/', message: e.message ?? 'is invalid' };
  }
}

/**
 * Turns ajv's raw errors into one problem per failing field. An `anyOf` failure produces an error per
 * branch; when exactly one branch fits the value's shape its specific errors are kept, otherwise the
 * union is described once ("must be number or {expr}", "must be one of 'dBm', 'dB', …").
 */
function condense(errors: readonly ErrorObject[]): SpecProblem[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const consumed = new Set<ErrorObject>();
  const out: SpecProblem[] = [];
  // Innermost unions first, so an outer union sees the inner one already condensed.
  const sorted = [...unions].sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  const replacement = new Map<ErrorObject, SpecProblem[]>();
  for (const u of sorted) {
    if (consumed.has(u)) continue;
    const prefix = `${u.schemaPath}/`;
    const inside = errors.filter((e) => e !== u && e.schemaPath.startsWith(prefix) && !consumed.has(e));
    for (const e of inside) consumed.add(e);
    const branches = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    // A branch "fits" when none of its errors is about the value itself (only about its fields).
    const fitting = [...branches.values()].filter((es) => es.every((e) => e.instancePath !== u.instancePath || replacement.has(e)));
    if (fitting.length === 1) {
      replacement.set(
        u,
        fitting[0]!.flatMap((e) => replacement.get(e) ?? [problemOf(e)]),
      );
      continue;
    }
    const title = (u.parentSchema as { title?: string } | undefined)?.title;
    let message: string;
    if (title !== undefined) message = `must be ${title}`;
    else {
      const consts = inside.filter((e) => e.keyword === 'const').map((e) => quote((e.params as { allowedValue: unknown }).allowedValue));
      const types = [...new Set(inside.filter((e) => e.keyword === 'type').map((e) => String((e.params as { type: unknown }).type)))];
      message =
        consts.length > 0 && types.length === 0
          ? `must be one of ${consts.join(', ')}`
          : `must be ${[...types, ...consts].join(' or ') || 'one of the allowed forms'}`;
    }
    replacement.set(u, [{ pointer: u.instancePath || '/', message }]);
  }
  for (const e of errors) {
    if (consumed.has(e)) continue;
    out.push(...(replacement.get(e) ?? [problemOf(e)]));
  }
  // ajv may report the same field twice (e.g. two branches); keep the first of each message.
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = `${p.pointer} ${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Schema problems of a document of `kind` (empty when it conforms). */
export function schemaProblems(kind: DocumentKindName, data: unknown): SpecProblem[] {
  const validate = validatorOf(kind);
  return validate(data) ? [] : condense(validate.errors ?? []);
}

/** Deep-freezes a loaded document: specs are shared by caches and must never change under them. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates a parsed document against its schema and its semantic checks, and returns it frozen.
 * @param sourceName file path or other name used in error messages.
 * @throws SpecFileError listing every problem with its JSON pointer.
 */
export function validateDocument<K extends DocumentKindName>(kind: K, data: unknown, sourceName: string): DocumentOf<K> {
  const problems = schemaProblems(kind, data);
  if (problems.length > 0) throw new SpecFileError(sourceName, problems);
  const check = entryOf(kind).check as ((doc: unknown) => SpecProblem[]) | undefined;
  const semantic = check?.(data) ?? [];
  if (semantic.length > 0) throw new SpecFileError(sourceName, semantic);
  return deepFreeze(data as DocumentOf<K>);
}

/**
 * A document of `kind` frozen as {@link validateDocument} returns it, without validating it: only for
 * bytes already validated (a shipped file the build validated, src/domain/catalog.ts).
 */
export function frozenDocument<K extends DocumentKindName>(_kind: K, data: unknown): DocumentOf<K> {
  return deepFreeze(data as DocumentOf<K>);
}

/** 1-based line and column of a 0-based character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Parses JSON text; a syntax error becomes a SpecFileError with line and column.
 * @throws SpecFileError e.g. `x.json: line 3 column 5: invalid JSON: Expected double-quoted property name`.
 */
export function parseJsonDocument(text: string, sourceName: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new SpecFileError(sourceName, [{ pointer: null, message: 'the file is empty; expected a JSON object' }]);
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(raw);
    const offset = pos !== null ? Number(pos[1]) : /end of JSON input/.test(raw) ? body.length : 0;
    const { line, column } = lineColumn(body, offset);
    const reason = raw.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new SpecFileError(sourceName, [{ pointer: null, line, column, message: `invalid JSON: ${reason}` }]);
  }
}

/** Reads, parses and validates a document file of `kind`. */
export function loadDocument<K extends DocumentKindName>(kind: K, path: string): DocumentOf<K> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(err)})`;
    throw new SpecFileError(path, [{ pointer: null, message: why }]);
  }
  return validateDocument(kind, parseJsonDocument(text, path), path);
}

/** Loads and checks a product spec file (schema + semantic checks). @throws SpecFileError */
export function loadProductSpec(path: string): ProductSpec {
  return loadDocument('product-spec', path);
}

/** Loads and checks a station profile file (schema + semantic checks). @throws SpecFileError */
export function loadStationProfile(path: string): StationProfile {
  return loadDocument('station-profile', path);
}

export { checkProfileAgainstProduct, assertProfileFitsProduct, type ProfileFit } from './station-profile-checks.js';
