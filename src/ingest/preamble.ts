/**
 * @module Metadata lines some stations write above the header (`Serial=SN0001`, `Operator: jdoe`).
 * A preamble line is `key=value` or `key: value` where the key holds no delimiter or quote, so a
 * header row such as `serial,lot,station` is never mistaken for one.
 */
import type { StationMetadataEntry } from '../domain/measurement.js';
import { foldName } from './header-names.js';

const PREAMBLE_LINE = /^\s*([^=:,;\t"]+?)\s*[=:]\s*(.*?)\s*$/;

/** `{key, value}` when the line is a preamble line, else null. Keys are returned as written. */
export function parsePreambleLine(line: string): { readonly key: string; readonly value: string } | null {
  const m = PREAMBLE_LINE.exec(line);
  if (m === null) return null;
  const key = m[1] ?? '';
  if (key.trim() === '') return null;
  return { key, value: m[2] ?? '' };
}

/**
 * Metadata values by folded key, with the line each came from: the preamble, a fixed block, INI-style
 * sections (a key under `[Header]` is found as "Key" and as "Header.Key") and, once the table was
 * read, the footer. The first value of a key wins.
 */
export class Preamble {
  readonly #values = new Map<string, { value: string; line: number }>();

  add(key: string, value: string, line: number): void {
    const k = foldName(key);
    if (!this.#values.has(k)) this.#values.set(k, { value, line });
  }

  /** Adds a metadata entry under its key, and under "Section.Key" when it is in a section. */
  addEntry(entry: StationMetadataEntry): void {
    this.add(entry.key, entry.value, entry.line);
    if (entry.section !== null) this.add(`${entry.section}.${entry.key}`, entry.value, entry.line);
  }

  /** First value found under any of the aliases. */
  find(aliases: readonly string[]): { readonly value: string; readonly line: number } | undefined {
    for (const alias of aliases) {
      const v = this.#values.get(foldName(alias));
      if (v !== undefined) return v;
    }
    return undefined;
  }

  get size(): number {
    return this.#values.size;
  }
}
