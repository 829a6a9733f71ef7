/**
 * @module LayoutLines — the lines a profile's `layout` puts around a generated table: a fixed block at the
 * top (values at a field position or inside a pattern), the marker line a table starts after and the one
 * it ends at. Without them a generated file of such a profile was refused by lotqa's own parser (no
 * serial found, no matching header): the synthetic factory must write what its profiles read.
 *
 * A fixed-block value read by a pattern is written by turning the pattern into text — its `value` group
 * replaced by the value, `\s*`/`\s+` by one space, escapes dropped — and the line is then read back with
 * the very pattern: a profile whose pattern this cannot invert is refused with a SimProfileError naming
 * it, never written wrongly.
 */
import type { FixedField, LineMatch, StationProfile } from '../domain/station-profile.js';
import { SimProfileError } from './sim-errors.js';

/** The text a line marker stands for, or null for a marker that names no literal text (a pattern). */
function markerText(match: LineMatch): string | null {
  if ('line' in match) return match.line;
  if ('startsWith' in match) return match.startsWith;
  return null;
}

/** The line a table starts after, or none. */
export function tableStartLines(profile: StationProfile): string[] {
  const start = profile.layout?.tableStart;
  if (start === undefined) return [];
  const text = markerText(start);
  if (text === null)
    throw new SimProfileError(`profile "${profile.id}": tableStart is a pattern; lotqa generate writes only a line or startsWith marker`);
  return [text];
}

/** The line a table ends at, or none (a blank line ends it when the profile says so). */
export function tableEndLines(profile: StationProfile): string[] {
  const end = profile.layout?.tableEnd;
  if (end === undefined) return [];
  if ('blankLine' in end) return [''];
  const text = markerText(end);
  if (text === null)
    throw new SimProfileError(`profile "${profile.id}": tableEnd is a pattern; lotqa generate writes only a line or startsWith marker`);
  return [text];
}

/** Keys the profile's fixed block holds (a preamble source naming one of them is written into the block). */
export function fixedBlockKeys(profile: StationProfile): ReadonlySet<string> {
  return new Set((profile.layout?.fixedBlock?.fields ?? []).map((f) => f.key));
}

const GROUP = /\(\?<value>(?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)/;

/** A pattern as text holding `value`, or null when it has regular-expression syntax left over. */
function patternText(pattern: string, value: string): string | null {
  if (!GROUP.test(pattern)) return null;
  const [before, after] = pattern.split(GROUP) as [string, string];
  const literal = (part: string): string | null => {
    const text = part
      .replace(/^\^/, '')
      .replace(/\$$/, '')
      .replace(/\\s[*+]/g, ' ')
      .replace(/\\([^a-zA-Z0-9])/g, '$1');
    return /[\\[\](){}*+?|^$]/.test(text) ? null : text;
  };
  const b = literal(before);
  const a = literal(after);
  return b === null || a === null ? null : `${b}${value}${a}`;
}

/** What a fixed-block field reads from `line` (as the parser does: group "value", else group 1, else the match). */
function readBack(field: FixedField, line: string, delimiter: string): string | null {
  const cell = field.field === undefined ? line : (line.split(delimiter)[field.field - 1] ?? '');
  if (field.pattern === undefined) return cell.trim();
  const m = new RegExp(field.pattern).exec(cell);
  if (m === null) return null;
  return (m.groups?.value ?? m[1] ?? m[0]).trim();
}

/**
 * The fixed block's lines with `values` (by field key) in place; lines without a field carry the profile's
 * id as a title. Every value is read back through its field before the lines are returned.
 */
export function fixedBlockLines(profile: StationProfile, values: ReadonlyMap<string, string>): string[] {
  const block = profile.layout?.fixedBlock;
  if (block === undefined) return [];
  const d = profile.delimiter;
  const lines: string[] = [];
  for (let n = 1; n <= block.lines; n++) {
    const fields = block.fields.filter((f) => f.line === n);
    if (fields.length === 0) {
      lines.push(n === 1 ? `${profile.id.toUpperCase()} TEST REPORT` : '');
      continue;
    }
    const positioned = fields.filter((f) => f.field !== undefined);
    let line: string;
    if (positioned.length > 0) {
      const cells: string[] = [];
      for (const f of positioned) {
        const value = values.get(f.key) ?? '';
        const text = f.pattern === undefined ? value : patternText(f.pattern, value);
        if (text === null) throw unwritable(profile, f);
        cells[f.field! - 1] = text;
      }
      line = Array.from(cells, (c) => c ?? '').join(d);
    } else {
      const parts = fields.map((f) => {
        const text = patternText(f.pattern!, values.get(f.key) ?? '');
        if (text === null) throw unwritable(profile, f);
        return text;
      });
      line = parts.join(' ');
    }
    for (const f of fields) {
      const wanted = values.get(f.key) ?? '';
      if (readBack(f, line, d) !== wanted) throw unwritable(profile, f);
    }
    lines.push(line);
  }
  return lines;
}

function unwritable(profile: StationProfile, f: FixedField): SimProfileError {
  return new SimProfileError(
    `profile "${profile.id}": lotqa generate cannot write the fixed-block value "${f.key}" on line ${f.line}${f.pattern === undefined ? '' : ` (pattern ${f.pattern})`} so that the profile reads it back; write such files with the station's own software`,
  );
}

/**
 * A comment line at the top of the file, as test executives write one, when the layout marks comments
 * by a literal start or line (and has no fixed block, whose lines are counted from the top).
 */
export function leadingCommentLines(profile: StationProfile): string[] {
  const layout = profile.layout;
  if (layout === undefined || layout.fixedBlock !== undefined) return [];
  for (const c of layout.comments ?? []) {
    if ('line' in c) return [c.line];
    if ('startsWith' in c) return [`${c.startsWith} synthetic station file written by lotqa generate`];
  }
  return [];
}

/** The summary row a station writes after its reading rows (its count), when the layout names one literally. */
export function summaryRowLines(profile: StationProfile, rows: number): string[] {
  for (const s of profile.layout?.summaryRows ?? []) {
    if ('line' in s) return [s.line];
    if ('startsWith' in s) return [`${s.startsWith}${profile.delimiter}${rows}`];
  }
  return [];
}

/** A metadata line after the table's end (the footer), when the layout reads metadata there. */
export function footerMetadataLines(profile: StationProfile): string[] {
  const layout = profile.layout;
  if (layout?.metadata === undefined || layout.tableEnd === undefined) return [];
  const separator = layout.metadata.separators?.[0] ?? '=';
  return [`Test program${separator === ':' ? ': ' : separator}lotqa generate`];
}
