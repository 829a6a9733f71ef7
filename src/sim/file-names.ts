/**
 * @module FileNames — names of synthetic station files. With a profile `fileNamePattern` (a regex
 * with named groups) the name is built by substituting each group with its value and checked by
 * matching the pattern again; without one it is `<lot>_<serial>_<attempt>.csv`.
 */
import { SimProfileError } from './sim-errors.js';

/** Values a file name can carry, by group name; `testTime` is an epoch-ms instant formatted to fit the group. */
export interface FileNameFields {
  readonly serial: string;
  readonly lot: string;
  readonly station: string;
  readonly testTimeMs: number;
  readonly attempt: number;
  readonly corner: string | null;
  readonly operator: string;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Ways a station might print a test time in a file name, most common first. */
function timeCandidates(ms: number): string[] {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
  const time = `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
  const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [`${date}T${time}Z`, `${date}T${time}`, `${date}_${time}`, `${date}-${time}`, `${date}${time}`, iso, iso.replace(/:/g, '-')];
}

/** Index of the parenthesis closing the group that opens at `open`. */
function closingParen(pattern: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new SimProfileError(`fileNamePattern ${pattern}: unbalanced parenthesis at ${open}`);
}

/** Builds a file name from a pattern; throws SimProfileError when the pattern cannot be synthesised. */
export function fileNameFromPattern(pattern: string, fields: FileNameFields): string {
  const anchored = pattern.endsWith('$') && !pattern.endsWith('\\$');
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  let name = '';
  const expected = new Map<string, string>();
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (body.startsWith('(?<', i)) {
      const end = closingParen(body, i);
      const header = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(body.slice(i));
      const group = header?.[1] ?? '';
      const inner = new RegExp(`^(?:${body.slice(i + (header?.[0].length ?? 0), end)})$`);
      const candidates = valueCandidates(group, fields, pattern);
      const value = candidates.find((v) => inner.test(v));
      if (value === undefined)
        throw new SimProfileError(
          `fileNamePattern ${pattern}: no value for group "${group}" matches its sub-pattern (tried ${candidates.join(', ')})`,
        );
      expected.set(group, value);
      name += value;
      i = end;
    } else if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (/[A-Za-z0-9]/.test(next))
        throw new SimProfileError(`fileNamePattern ${pattern}: cannot synthesise the class \\${next} outside a named group`);
      name += next;
      i++;
    } else if ('[](){}*+?|.'.includes(c)) {
      throw new SimProfileError(
        `fileNamePattern ${pattern}: cannot synthesise "${c}" outside a named group; escape literal characters (e.g. \\.csv)`,
      );
    } else {
      name += c;
    }
  }
  // An open-ended pattern ("<lot>_<serial>_…") gets the attempt (and corner) as the rest of the name.
  if (!anchored) name += `${fields.attempt}${fields.corner === null ? '' : `_${fields.corner}`}.csv`;
  const match = new RegExp(pattern).exec(name);
  for (const [group, value] of expected) {
    if (match?.groups?.[group] !== value)
      throw new SimProfileError(`fileNamePattern ${pattern}: the synthesised name "${name}" does not give back ${group}="${value}"`);
  }
  return name;
}

function valueCandidates(group: string, f: FileNameFields, pattern: string): string[] {
  switch (group) {
    case 'serial':
      return [f.serial];
    case 'lot':
      return [f.lot];
    case 'station':
      return [f.station];
    case 'attempt':
      return [String(f.attempt)];
    case 'operator':
      return [f.operator];
    case 'testTime':
      return timeCandidates(f.testTimeMs);
    case 'corner':
      if (f.corner !== null) return [f.corner];
      break;
  }
  throw new SimProfileError(`fileNamePattern ${pattern}: unknown or unavailable group "${group}"`);
}

/** The default name: `<lot>_<serial>_<attempt>[_<corner>].csv`. */
export function defaultFileName(fields: FileNameFields): string {
  return `${fields.lot}_${fields.serial}_${fields.attempt}${fields.corner === null ? '' : `_${fields.corner}`}.csv`;
}
