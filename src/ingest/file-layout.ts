/**
 * @module What each line of a station file is, as its profile describes the whole file: blank, a
 * comment, a marker to skip or to start the table at, a metadata line (`key=value`, `key: value`,
 * `key,value`, INI-style `[Section]` groups, a fixed block of lines at the top), the table's header, a
 * table row, a summary row inside the table, the end of the table, or footer lines after it.
 *
 * This is the profile's interpretation of lines, decided once per line; the per-cell work on table rows
 * (row-mapper.ts) knows nothing of it. A profile without `layout` reads as before: optional preamble
 * lines (`key=value` / `key: value`), then the header, then rows to the end of the file.
 */
import type { OtherLine, StationMetadataEntry } from '../domain/measurement.js';
import type { FileLayout, LineMatch, StationProfile } from '../domain/station-profile.js';
import { StationProfileError } from './ingest-errors.js';

/** A metadata line read as key and value. */
export interface MetadataPair {
  readonly key: string;
  readonly value: string;
}

type LineTest = (text: string) => boolean;
const never: LineTest = () => false;

/** The profile's line rules, compiled once per profile. */
export interface CompiledLayout {
  readonly profileId: string;
  /** `key=value` lines before the table are metadata (the profile's `preamble`). */
  readonly preamble: boolean;
  readonly isComment: LineTest;
  readonly isSkip: LineTest;
  /** Null: the header is the first line that is not blank, a comment, a marker or metadata. */
  readonly isTableStart: LineTest | null;
  /**
   * A search over whole text that finds every line `isTableStart` accepts (and maybe more): where it
   * finds nothing, the file has no table start yet, so its lines need not be read one by one. Null when
   * the marker is a pattern (then lines are read one by one).
   */
  readonly tableStartSearch: RegExp | null;
  /** What ends the table: a marker line, the first blank line, or nothing (the table runs to the end). */
  readonly tableEnd: LineTest | 'blank-line' | null;
  /** True when the table end is a marker the station always writes: a file without it was cut short. */
  readonly endMarkerExpected: boolean;
  readonly isSummary: LineTest;
  /** True when rows inside the table must be classified (comments, markers, summary rows, an end). */
  readonly rowRules: boolean;
  readonly fixedBlock: { readonly lines: number; readonly fields: readonly CompiledFixedField[] } | null;
  /** A metadata line as key and value, or null. */
  metadata(text: string): MetadataPair | null;
  /** The name of an INI-style section line (`[Header]` → "Header") when the layout has sections, else null. */
  section(text: string): string | null;
}

interface CompiledFixedField {
  readonly key: string;
  readonly line: number;
  readonly field: number | null;
  readonly pattern: RegExp | null;
}

const compiled = new WeakMap<StationProfile, CompiledLayout>();

/**
 * The layout rules of a profile, compiled once (profiles are frozen when loaded, so the cache is safe).
 * @throws StationProfileError when a pattern is not a valid regular expression.
 */
export function compileLayout(profile: StationProfile): CompiledLayout {
  let c = compiled.get(profile);
  if (c === undefined) {
    c = compileUncached(profile);
    compiled.set(profile, c);
  }
  return c;
}

function regex(profileId: string, where: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new StationProfileError(profileId, `${where} /${source}/ is not a valid regular expression (${(e as Error).message})`);
  }
}

function lineTest(profileId: string, where: string, m: LineMatch): LineTest {
  if ('line' in m) {
    const want = m.line.trim().toLowerCase();
    return (text) => {
      const t = text.trim();
      // Every row of a table is asked whether it is the end marker: a row of another length is not, without
      // lower-casing it — unless it holds U+0130 (İ), the one character whose lower case is longer.
      if (t.length !== want.length && !t.includes('\u0130')) return false;
      return t.toLowerCase() === want;
    };
  }
  if ('startsWith' in m) {
    const want = m.startsWith.trim().toLowerCase();
    const first = want.charCodeAt(0);
    return (text) => {
      // A row starting with a printable ASCII character that is not the rule's first (in lower case) is
      // answered without slicing and lower-casing it: every reading row of a table is asked.
      const c = text.charCodeAt(0);
      if (want.length > 0 && c > 0x20 && c < 0x7f && (c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== first) return false;
      return text.trimStart().slice(0, want.length).toLowerCase() === want;
    };
  }
  const re = regex(profileId, where, m.pattern);
  return (text) => re.test(text.trim());
}

function anyOf(profileId: string, where: string, list: readonly LineMatch[] | undefined): LineTest {
  if (list === undefined || list.length === 0) return never;
  const tests = list.map((m, i) => lineTest(profileId, `${where}/${i}`, m));
  return tests.length === 1 ? tests[0]! : (text) => tests.some((t) => t(text));
}

/** Keys hold no separator, delimiter or quote, so a header row such as `serial,lot` is never a key. */
const KEY_VALUE = /^\s*([^=:,;\t"]+?)\s*([=:])\s*(.*?)\s*$/;
const SECTION = /^\s*\[([^\][]+)\]\s*$/;

function metadataReader(layout: FileLayout | undefined): (text: string) => MetadataPair | null {
  const separators = layout?.metadata?.separators ?? ['=', ':'];
  const inline = separators.filter((s) => s === '=' || s === ':');
  const fieldSeparators = separators.filter((s) => s === ',' || s === ';' || s === '\t');
  return (text) => {
    if (inline.length > 0) {
      const m = KEY_VALUE.exec(text);
      if (m !== null && inline.includes(m[2] as '=' | ':')) {
        const key = m[1] ?? '';
        if (key.trim() !== '') return { key, value: m[3] ?? '' };
      }
    }
    for (const sep of fieldSeparators) {
      const parts = text.split(sep);
      if (parts.length !== 2) continue;
      const key = (parts[0] ?? '').trim();
      if (key === '' || key.includes('"') || /[=:]/.test(key)) continue;
      return { key, value: (parts[1] ?? '').trim() };
    }
    return null;
  };
}

function compileUncached(profile: StationProfile): CompiledLayout {
  const layout = profile.layout;
  const id = profile.id;
  const isComment = anyOf(id, '/layout/comments', layout?.comments);
  const isSkip = anyOf(id, '/layout/skip', layout?.skip);
  const isSummary = anyOf(id, '/layout/summaryRows', layout?.summaryRows);
  const isTableStart = layout?.tableStart === undefined ? null : lineTest(id, '/layout/tableStart', layout.tableStart);
  const start = layout?.tableStart;
  const escape = (text: string): string => text.trim().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const tableStartSearch =
    start === undefined || 'pattern' in start
      ? null
      : 'line' in start
        ? new RegExp(`^\\s*${escape(start.line)}\\s*$`, 'imu')
        : new RegExp(`^\\s*${escape(start.startsWith)}`, 'imu');
  const end = layout?.tableEnd;
  const tableEnd = end === undefined ? null : 'blankLine' in end ? ('blank-line' as const) : lineTest(id, '/layout/tableEnd', end);
  const sections = layout?.metadata?.sections === true;
  const block = layout?.fixedBlock;
  const fixedBlock =
    block === undefined
      ? null
      : {
          lines: block.lines,
          fields: block.fields.map((f, i) => ({
            key: f.key,
            line: f.line,
            field: f.field ?? null,
            pattern: f.pattern === undefined ? null : regex(id, `/layout/fixedBlock/fields/${i}/pattern`, f.pattern),
          })),
        };
  return {
    profileId: id,
    preamble: profile.preamble,
    isComment,
    isSkip,
    isTableStart,
    tableStartSearch,
    tableEnd,
    endMarkerExpected: typeof tableEnd === 'function',
    isSummary,
    rowRules: layout?.comments !== undefined || layout?.skip !== undefined || layout?.summaryRows !== undefined || tableEnd !== null,
    fixedBlock,
    metadata: metadataReader(layout),
    section: sections ? (text) => SECTION.exec(text)?.[1]?.trim() ?? null : () => null,
  };
}

/** Splits a line at a delimiter, honouring double quotes (enough for one line of a fixed block). */
function splitLine(text: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The values a fixed-block line holds, by the profile's field rules for that line. */
function fixedValues(layout: CompiledLayout, delimiter: string, lineNumber: number, text: string): MetadataPair[] {
  const out: MetadataPair[] = [];
  for (const f of layout.fixedBlock?.fields ?? []) {
    if (f.line !== lineNumber) continue;
    let source = text;
    if (f.field !== null) {
      const fields = splitLine(text, delimiter);
      if (f.field > fields.length) continue;
      source = fields[f.field - 1] ?? '';
    }
    if (f.pattern !== null) {
      const m = f.pattern.exec(source);
      if (m === null) continue;
      source = m.groups?.value ?? m[1] ?? m[0];
    }
    out.push({ key: f.key, value: source.trim() });
  }
  return out;
}

/** One line of the head of a file, as file-head.ts hands it over. */
export interface LayoutLine {
  /** 1-based physical line number. */
  readonly number: number;
  readonly text: string;
}

/** Where one profile finds the table in a file's head, and what the lines before it were. */
export interface TableLocation {
  /** Index of the header row in the head's lines. */
  readonly headerIndex: number;
  readonly metadata: readonly StationMetadataEntry[];
  readonly otherLines: readonly OtherLine[];
  /** Blank lines before the header. */
  readonly blankLines: number;
}

/** The shared empty list of a locator that kept nothing (never pushed to: see #meta, #keep). */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * Reads the lines before the table for one profile, one line at a time, until the header row.
 * `feed` returns true when the line just fed is the header.
 */
export class TableLocator {
  readonly #layout: CompiledLayout;
  readonly #delimiter: string;
  #metadata: StationMetadataEntry[] = NONE;
  #other: OtherLine[] = NONE;
  #blank = 0;
  #section: string | null = null;
  #startSeen = false;
  #header = -1;
  #fed = 0;

  constructor(layout: CompiledLayout, delimiter: string) {
    this.#layout = layout;
    this.#delimiter = delimiter;
  }

  /** The location once the header was found, else null. */
  get location(): TableLocation | null {
    if (this.#header < 0) return null;
    return { headerIndex: this.#header, metadata: this.#metadata, otherLines: this.#other, blankLines: this.#blank };
  }

  get decided(): boolean {
    return this.#header >= 0;
  }

  /** The search that tells whether text holds the table start at all (null: feed every line). */
  get tableStartSearch(): RegExp | null {
    return this.#layout.tableStartSearch;
  }

  /** Lines fed so far (the next line to feed is this index of the head's lines). */
  get fed(): number {
    return this.#fed;
  }

  feed(line: LayoutLine): boolean {
    if (this.#header >= 0) return false;
    const index = this.#fed++;
    const layout = this.#layout;
    const text = line.text;
    const block = layout.fixedBlock;
    if (block !== null && line.number <= block.lines) {
      const values = fixedValues(layout, this.#delimiter, line.number, text);
      for (const v of values) this.#meta({ ...v, line: line.number, section: null, place: 'before-table' });
      if (values.length === 0) {
        if (text.trim() === '') this.#blank++;
        else this.#keep({ line: line.number, kind: 'text', text });
      }
      return false;
    }
    if (text.trim() === '') {
      this.#blank++;
      return false;
    }
    if (layout.isComment(text)) {
      this.#keep({ line: line.number, kind: 'comment', text });
      return false;
    }
    if (layout.isSkip(text)) {
      this.#keep({ line: line.number, kind: 'marker', text });
      return false;
    }
    if (layout.isTableStart !== null && !this.#startSeen) {
      if (layout.isTableStart(text)) {
        this.#startSeen = true;
        this.#keep({ line: line.number, kind: 'marker', text });
      } else if (!this.#readMetadata(line)) this.#keep({ line: line.number, kind: 'text', text });
      return false;
    }
    if (layout.isTableStart === null && this.#readMetadata(line)) return false;
    this.#header = index;
    return true;
  }

  /** Records a metadata or section line (when the profile reads them before the table); false otherwise. */
  #readMetadata(line: LayoutLine): boolean {
    if (!this.#layout.preamble) return false;
    const section = this.#layout.section(line.text);
    if (section !== null) {
      this.#section = section;
      this.#keep({ line: line.number, kind: 'marker', text: line.text });
      return true;
    }
    const kv = this.#layout.metadata(line.text);
    if (kv === null) return false;
    this.#meta({ key: kv.key, value: kv.value, line: line.number, section: this.#section, place: 'before-table' });
    return true;
  }

  // Most files have no lines before the header: the lists are made only when a line needs one.
  #meta(entry: StationMetadataEntry): void {
    if (this.#metadata === NONE) this.#metadata = [];
    this.#metadata.push(entry);
  }

  #keep(line: OtherLine): void {
    if (this.#other === NONE) this.#other = [];
    this.#other.push(line);
  }
}

/** Locates the table of a file's head lines for one profile (null: no header among them). */
export function locateTable(lines: readonly LayoutLine[], profile: StationProfile): TableLocation | null {
  const locator = new TableLocator(compileLayout(profile), profile.delimiter);
  for (const line of lines) if (locator.feed(line)) return locator.location;
  return null;
}

/** What a row of the table section is. */
export type RowKind = 'data' | 'comment' | 'marker' | 'summary' | 'end';

/**
 * Classifies the rows after the header for one file: comments, markers and summary rows are kept out
 * of the readings, the end of the table switches to the footer, after which every line is footer
 * (metadata, or text). Only used when the profile has rules for rows (`CompiledLayout.rowRules`).
 */
export class TableRowClassifier {
  readonly #layout: CompiledLayout;
  readonly #delimiter: string;
  readonly metadata: StationMetadataEntry[] = [];
  readonly otherLines: OtherLine[] = [];
  #inFooter = false;
  #section: string | null = null;
  #dataSeen = false;

  constructor(layout: CompiledLayout, delimiter: string) {
    this.#layout = layout;
    this.#delimiter = delimiter;
  }

  /** True once the table has ended: every later row is footer. */
  get inFooter(): boolean {
    return this.#inFooter;
  }

  /** The text of a row as the station wrote it (the fields joined again; exact unless a field was quoted). */
  #text(fields: readonly string[]): string {
    return fields.length === 1 ? (fields[0] ?? '') : fields.join(this.#delimiter);
  }

  /**
   * A blank row: true when it ends the table (`tableEnd: {blankLine: true}` after the first data row),
   * false when it is just a blank line.
   */
  blank(): boolean {
    if (!this.#inFooter && this.#layout.tableEnd === 'blank-line' && this.#dataSeen) {
      this.#inFooter = true;
      return true;
    }
    return false;
  }

  /** What a non-blank row is; rows that are not data are recorded here. */
  classify(fields: readonly string[], line: number): RowKind {
    return this.classifyText(this.#text(fields), line);
  }

  /** classify of a row given as its line's text (a line without quotes: its fields joined again are the line). */
  classifyText(text: string, line: number): RowKind {
    if (this.#inFooter) {
      this.#footer(text, line);
      return 'end';
    }
    const layout = this.#layout;
    if (layout.isComment(text)) {
      this.otherLines.push({ line, kind: 'comment', text });
      return 'comment';
    }
    if (typeof layout.tableEnd === 'function' && layout.tableEnd(text)) {
      this.#inFooter = true;
      this.otherLines.push({ line, kind: 'marker', text });
      return 'end';
    }
    if (layout.isSkip(text)) {
      this.otherLines.push({ line, kind: 'marker', text });
      return 'marker';
    }
    if (layout.isSummary(text)) {
      this.otherLines.push({ line, kind: 'summary', text });
      return 'summary';
    }
    this.#dataSeen = true;
    return 'data';
  }

  /** A footer line: comment, marker, section, metadata, or text. */
  #footer(text: string, line: number): void {
    const layout = this.#layout;
    if (layout.isComment(text)) this.otherLines.push({ line, kind: 'comment', text });
    else if (layout.isSkip(text)) this.otherLines.push({ line, kind: 'marker', text });
    else {
      const section = layout.section(text);
      if (section !== null) {
        this.#section = section;
        this.otherLines.push({ line, kind: 'marker', text });
        return;
      }
      const kv = layout.metadata(text);
      if (kv !== null) this.metadata.push({ key: kv.key, value: kv.value, line, section: this.#section, place: 'after-table' });
      else this.otherLines.push({ line, kind: 'footer', text });
    }
  }
}
