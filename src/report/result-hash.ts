/**
 * @module The one hash of a LotResult. Decisions, certificates and `lotqa verify` all name a result by
 * the SHA-256 of its canonical JSON, so the evaluation, the decision store and the reports must agree on
 * exactly one serialisation: the JSON Canonicalization Scheme (RFC 8785): object keys sorted by UTF-16
 * code units, no whitespace, numbers and strings as ECMAScript `JSON.stringify` writes them.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import { createHash } from 'node:crypto';
import type { LotResult } from '../domain/lot-result.js';

/** A value that cannot be hashed faithfully (NaN, Infinity, a function…): the result must be fixed first. */
export class CanonicalJsonError extends LotqaError {
  override readonly name = 'CanonicalJsonError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`Cannot canonicalise the value at ${path}: ${detail}. Store non-finite statistics as null.`);
  }
}

/**
 * Canonical JSON (RFC 8785 / JCS) of a plain JSON value. Keys sorted, no whitespace. Properties whose
 * value is `undefined` are left out (as `JSON.stringify` does); non-finite numbers are refused rather than
 * silently turned into `null`, so two different results can never share a hash by accident.
 */
export function canonicalJson(value: unknown): string {
  // A tree already in canonical key order (e.g. parsed back from a stored canonical JSON) is written by
  // the native serialiser in one pass: measured ~2-3× faster than the general writer on a 25 MB result.
  if (isCanonicalTree(value)) return JSON.stringify(value);
  const chunks: string[] = [];
  writeCanonical(value, (chunk) => chunks.push(chunk));
  return chunks.length === 1 ? chunks[0]! : chunks.join('');
}

/** The canonical JSON of a value as UTF-8 bytes, with their SHA-256 (lower-case hex). */
export interface CanonicalDigest {
  readonly bytes: Buffer;
  readonly sha256: string;
}

/**
 * The canonical JSON of `value` as UTF-8 bytes and its SHA-256, in one pass: the writer hands the text
 * over in pieces of ~64 k characters, each encoded once into one growing byte buffer and hashed from there. The
 * same bytes and hash as `canonicalJson` + `sha256Hex`, without a 25 MB (10,000 units) or 244 MB
 * (100,000 units) string on the heap that hashing flattens and encodes again and the store encodes
 * once more; the bytes are what the store keeps.
 */
export function canonicalJsonDigest(value: unknown): CanonicalDigest {
  const hash = createHash('sha256');
  const bytes = new GrowingBytes();
  const take = (chunk: string): void => {
    const piece = bytes.append(chunk);
    hash.update(piece);
  };
  // Pieces end only between complete JSON tokens, so a surrogate pair is never split across two encodings.
  if (isCanonicalTree(value)) take(JSON.stringify(value));
  else writeCanonical(value, take);
  return { bytes: bytes.bytes(), sha256: hash.digest('hex') };
}

/** ES2024's resizable ArrayBuffer (V8 ≥ 11.1, every supported Node), which the ES2023 lib does not declare. */
interface ResizableArrayBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

/**
 * UTF-8 bytes appended to one resizable buffer that grows in place (address space reserved up front,
 * pages committed as written): no doubling copies and no blocks to join, so the 25 MB (10,000 units) of
 * bytes are held once, not two or three times while growing.
 */
class GrowingBytes {
  static readonly MAX = 2 ** 32;
  readonly #buffer = new ResizableArrayBuffer(1 << 20, { maxByteLength: GrowingBytes.MAX });
  #used = 0;

  /** Encodes `text` after the bytes so far and returns the bytes it became (a view, valid until `bytes`). */
  append(text: string): Buffer {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: with that much room the text is encoded in one pass,
    // without measuring its UTF-8 length first (a second scan of the 25 MB). Only short of that room is
    // it measured, to grow the buffer to what it really needs.
    if (this.#buffer.byteLength - this.#used < 3 * text.length) {
      const need = this.#used + Buffer.byteLength(text, 'utf8');
      if (need > GrowingBytes.MAX)
        throw new CanonicalJsonError('$', `the canonical JSON is larger than ${GrowingBytes.MAX} bytes, more than one buffer holds`);
      if (need > this.#buffer.byteLength) this.#buffer.resize(Math.min(GrowingBytes.MAX, Math.max(need, this.#buffer.byteLength * 2)));
    }
    const start = this.#used;
    // The room left holds all of the text (checked above), so every character is written.
    this.#used += Buffer.from(this.#buffer, start, this.#buffer.byteLength - start).write(text, 0, 'utf8');
    return Buffer.from(this.#buffer, start, this.#used - start);
  }

  /** The bytes written, the buffer shrunk to them. */
  bytes(): Buffer {
    this.#buffer.resize(this.#used);
    return Buffer.from(this.#buffer, 0, this.#used);
  }
}

/** Characters the writer collects before it hands a piece over. */
const PIECE = 1 << 16;

/** Writes the canonical JSON of `value` in pieces (each ending between tokens) to `take`. */
function writeCanonical(value: unknown, take: (chunk: string) => void): void {
  const out = new Output(take);
  try {
    write(value, out);
  } catch (err) {
    // The writer keeps no path (a 10,000-unit result has millions of array items); find it now.
    if (err instanceof UnhashableValue) throw new CanonicalJsonError(pathOf(value) ?? '$', err.detail);
    throw err;
  }
  out.flush();
}

/** Thrown by the writer without a path; canonicalJson turns it into a CanonicalJsonError with one. */
class UnhashableValue extends LotqaError {
  constructor(readonly detail: string) {
    super(detail);
  }
}

function unhashable(value: unknown): string | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
    case 'object':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${String(value)} is not a JSON number`;
    default:
      return `a ${typeof value} is not JSON`;
  }
}

/**
 * The canonical text not yet handed over: one small growing string (V8 concatenates by reference and
 * flattens once per piece), passed on whenever it reaches PIECE characters.
 */
class Output {
  text = '';
  readonly #take: (chunk: string) => void;

  constructor(take: (chunk: string) => void) {
    this.#take = take;
  }

  /** Hands the text so far over if it is long enough; called only between complete tokens. */
  spill(): void {
    if (this.text.length >= PIECE) this.flush();
  }

  flush(): void {
    if (this.text.length === 0) return;
    this.#take(this.text);
    this.text = '';
  }

  /**
   * Appends one complete token's text. A long one (a chart's points: ~70 k characters each, 18 MB of a
   * 10,000-unit result) is handed over as it is, after the text before it: appended, it made the piece a
   * concatenation that encoding had to copy into one flat string first (~30 ms of the result hash).
   */
  write(token: string): void {
    if (token.length < LONG_TOKEN) {
      this.text += token;
      this.spill();
      return;
    }
    this.flush();
    this.#take(token);
  }
}

/** Tokens at least this long are handed over on their own (Output.write). */
const LONG_TOKEN = PIECE >> 2;

function write(value: unknown, out: Output): void {
  if (value === null) {
    out.text += 'null';
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.text += value ? 'true' : 'false';
      return;
    case 'string':
      out.text += JSON.stringify(value);
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new UnhashableValue(`${String(value)} is not a JSON number`);
      // ECMAScript Number serialisation is exactly what RFC 8785 §3.2.2.3 prescribes; -0 becomes 0.
      out.text += JSON.stringify(value);
      return;
    case 'object': {
      if (Array.isArray(value)) {
        const numbers = value.length >= NUMBERS_AS_TEXT ? finiteNumbersText(value) : null;
        if (numbers !== null) {
          out.write(numbers);
          return;
        }
        if (isFlat(value)) {
          // Arrays of finite numbers or strings (chart points, serials) serialise identically via JSON.stringify.
          out.write(JSON.stringify(value));
          return;
        }
        out.text += '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.text += ',';
          const item: unknown = value[i];
          if (item === undefined) out.text += 'null';
          else write(item, out);
        }
        out.text += ']';
        out.spill();
        return;
      }
      const record = value as Record<string, unknown>;
      const own = Object.keys(record);
      if (isCanonicalLeaf(record, own)) {
        // Keys already in canonical order and only JSON-safe scalars or flat arrays below: the native
        // serialiser writes exactly the canonical bytes (a 10,000-unit result has ~10^5 such records).
        out.write(JSON.stringify(record));
        return;
      }
      // Default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 requires.
      const keys = own.sort();
      out.text += '{';
      let first = true;
      for (const key of keys) {
        const v = record[key];
        if (v === undefined) continue;
        if (!first) out.text += ',';
        first = false;
        out.text += JSON.stringify(key) + ':';
        write(v, out);
      }
      out.text += '}';
      out.spill();
      return;
    }
    default:
      throw new UnhashableValue(`a ${typeof value} is not JSON`);
  }
}

/** Arrays at least this long are first tried as finite numbers (finiteNumbersText). */
const NUMBERS_AS_TEXT = 256;

/**
 * `JSON.stringify(values)` when the array holds only finite numbers — checked on the text, not item by
 * item: JSON.stringify writes null for NaN, ±Infinity, holes and undefined, quotes strings, and writes
 * true/false, objects and arrays, so text without n, ", t, f, { and a second [ came from numbers alone
 * (a number's text is digits, '-', '.', 'e' and '+'). Null otherwise, or when the array cannot be
 * stringified (a BigInt): the item-by-item path then decides. Item by item over a 10,000-unit result's
 * 2.8 M chart numbers, the check (isFlat's for-of) allocated ~175 MB on the heap (an iterator result per
 * item) for the collector; a few single-character scans of the text allocate nothing. A LotResult holds
 * plain numbers: a Number object (whose text looks the same) is not a JSON value and never in one.
 */
function finiteNumbersText(values: readonly unknown[]): string | null {
  if (typeof values[0] !== 'number') return null;
  let text: string;
  try {
    text = JSON.stringify(values);
  } catch {
    return null;
  }
  const onlyNumbers =
    text.indexOf('n') < 0 &&
    text.indexOf('"') < 0 &&
    text.indexOf('t') < 0 &&
    text.indexOf('f') < 0 &&
    text.indexOf('{') < 0 &&
    text.indexOf('[', 1) < 0;
  return onlyNumbers ? text : null;
}

/**
 * The JSONPath-like location (`$.a[1].b`) of the first unhashable value in writing order — only computed
 * when canonicalJson has failed, so the writer need not carry a path for every item.
 */
function pathOf(root: unknown): string | null {
  const visit = (value: unknown, path: string): string | null => {
    // The same traversal order as write(), so the first unhashable value found is the one it stopped at.
    if (unhashable(value) !== null) return path;
    if (value === null || typeof value !== 'object') return null;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === undefined) continue;
        const p = visit(item, `${path}[${i}]`);
        if (p !== null) return p;
      }
      return null;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined) continue;
      const p = visit(v, `${path}.${key}`);
      if (p !== null) return p;
    }
    return null;
  };
  return visit(root, '$');
}

/**
 * True when `JSON.stringify(record)` is already its canonical form: a plain object whose own keys are in
 * UTF-16 code-unit order and whose values are null, booleans, strings, finite numbers, undefined (left
 * out by both) or flat arrays. Anything else (nested objects, NaN, functions) takes the general path.
 */
function isCanonicalLeaf(record: Record<string, unknown>, keys: readonly string[]): boolean {
  const proto: unknown = Object.getPrototypeOf(record);
  if (proto !== Object.prototype && proto !== null) return false;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    const v = record[keys[i]!];
    if (v === null || v === undefined) continue;
    switch (typeof v) {
      case 'boolean':
      case 'string':
        continue;
      case 'number':
        if (Number.isFinite(v)) continue;
        return false;
      case 'object':
        if (Array.isArray(v) && isFlat(v)) continue;
        return false;
      default:
        return false;
    }
  }
  return true;
}

/**
 * True when `JSON.stringify(value)` is already the canonical form of the whole tree: every object plain,
 * with own keys in UTF-16 code-unit order, every number finite, nothing but JSON values (undefined only
 * where both serialisers leave it out or write null). Stops at the first object out of order, so a tree
 * that needs sorting costs little more than the general writer alone.
 */
function isCanonicalTree(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item !== undefined && !isCanonicalTree(item)) return false;
        }
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
      for (let i = 0; i < keys.length; i++) {
        const v = record[keys[i]!];
        if (v !== undefined && !isCanonicalTree(v)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function isFlat(values: readonly unknown[]): boolean {
  for (const v of values) {
    if (typeof v === 'string') continue;
    if (typeof v === 'number' && Number.isFinite(v)) continue;
    return false;
  }
  return true;
}

/** Lower-case hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** THE hash of a LotResult: SHA-256 of its canonical JSON. Stored with every decision, printed on the CoC. */
export function resultSha256(result: LotResult): string {
  return sha256Hex(canonicalJson(result));
}
