/**
 * @module The table of a station file, row by row: papaparse splits the text from the header row on (in
 * chunk mode — from the one string of a file read whole, else streamed), every row gets its physical
 * line number, the profile's layout says what it is (a reading row, a comment, a marker, a summary row,
 * the end of the table and the footer after it), and reading rows go to the row mapper. The last row is
 * held back one step so a record cut off at the end of the file is recognised (truncation-check.ts).
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { StationProfile } from '../domain/station-profile.js';
import type { FileHead } from './file-head.js';
import { compileLayout, TableRowClassifier } from './file-layout.js';
import { FileRejection } from './ingest-errors.js';
import type { RowMapper } from './row-mapper.js';
import type { StationFileReader } from './station-file-reader.js';
import { LastFieldForm } from './truncation-check.js';

/** Longest start of a line carried from one piece of a streamed file to the next before papaparse takes over. */
const CARRY_LIMIT = 4 * 1024 * 1024;

const isBlankRow = (fields: readonly string[]): boolean => fields.every((f) => f.trim() === '');

/** True when a lone '\n' lies between `start` and `end` of `text` (a line break inside a field of a '\r\n' file). */
const lineBreakWithin = (text: string, start: number, end: number): boolean => {
  const at = text.indexOf('\n', start);
  return at !== -1 && at < end;
};

/** True when the line from `start` starts with a printable ASCII character other than the delimiter: its first field is not blank. */
const startsFilled = (text: string, start: number, end: number, delimiter: number): boolean => {
  if (start === end) return false;
  const c = text.charCodeAt(start);
  return c > 0x20 && c < 0x7f && c !== delimiter;
};

/**
 * Unquotes the cells `starts[k]`…`ends[k]` (k < n) of a line that holds a quote character, when every
 * cell is in the simple form — no quote at all, or wholly "…" with no quote inside — so each range then
 * holds what papaparse gives for that field. False (ranges unchanged or partly changed) for anything
 * else: a delimiter, line break or doubled quote inside quotes, a quote in the middle of a field.
 */
function unquoteSimple(text: string, starts: Int32Array, ends: Int32Array, n: number): boolean {
  for (let k = 0; k < n; k++) {
    const s = starts[k]!;
    const e = ends[k]!;
    const quote = text.indexOf('"', s);
    if (quote === -1 || quote >= e) continue;
    if (quote !== s || e - s < 2 || text.indexOf('"', s + 1) !== e - 1) return false;
    starts[k] = s + 1;
    ends[k] = e - 1;
  }
  return true;
}

/** Delimiters papaparse takes as given (it replaces line breaks, quotes and a BOM by ','). */
const isPlainDelimiter = (d: string): boolean => d === ',' || d === ';' || d === '\t' || d === '|';

/** A reading row of the fast path as ranges of the file's text (cells `starts[k]`…`ends[k]`, n of them, quotes taken off). */
interface RangeRow {
  readonly fields: null;
  readonly text: string;
  readonly pos: number;
  readonly end: number;
  readonly n: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly line: number;
}

export interface TableReadResult {
  /** Rows and lines after the header that the layout kept out of the readings (null without row rules). */
  readonly classifier: TableRowClassifier | null;
}

/**
 * Splits the rest of the file (from the header row on) and hands each reading row to the mapper.
 * @param headerOffset offset of the header row in `head.text`; `headerLine` its physical line number.
 */
export function readTable(args: {
  readonly head: FileHead;
  readonly headerOffset: number;
  readonly headerLine: number;
  readonly headerFields: number;
  readonly rest: AsyncGenerator<string, void, undefined>;
  readonly reader: StationFileReader;
  readonly profile: StationProfile;
  readonly mapper: RowMapper;
  readonly fileLabel: string;
  /** @internal 'papaparse' splits every file with papaparse (tests compare lotqa's own splitting with it). */
  readonly splitter?: 'lotqa' | 'papaparse' | undefined;
}): Promise<TableReadResult> {
  const { head, rest, reader, profile, mapper, fileLabel } = args;
  const layout = compileLayout(profile);
  const classifier = layout.rowRules ? new TableRowClassifier(layout, profile.delimiter) : null;
  const newlineChar = head.newline === '\r' ? '\r' : '\n';
  const countBreaks = (row: readonly string[]): number => {
    let n = 0;
    for (const f of row) {
      let i = f.indexOf(newlineChar);
      while (i !== -1) {
        n++;
        i = f.indexOf(newlineChar, i + 1);
      }
    }
    return n;
  };
  const first = head.text.slice(args.headerOffset);
  /** The file's text after the head, as the reader streams it (nothing when the head read it all). */
  async function* afterHead(): AsyncGenerator<string, void, undefined> {
    if (head.atEnd) return;
    for (;;) {
      const n = await rest.next();
      if (n.done === true) return;
      yield n.value;
    }
  }
  /**
   * True when the text is split as strings (lotqa's own splitting, or papaparse given one string): the
   * final line break then yields one empty row, which is not a blank line. Streamed, papaparse yields none.
   */
  let splitAsText = true;
  /** Where lotqa's own splitting stopped at quoting only papaparse reads (the start of that line), else null. */
  let takeoverAt: number | null = null;
  /** The strings of cells given as ranges of `text`. */
  const cells = (text: string, starts: Int32Array, ends: Int32Array, n: number): string[] => {
    const fields = new Array<string>(n);
    for (let k = 0; k < n; k++) fields[k] = text.slice(starts[k], ends[k]);
    return fields;
  };
  const map = profile.format === 'long' ? mapper.mapLong.bind(mapper) : mapper.mapWide.bind(mapper);
  // Only a file that may end without a line break needs the form of its last column (a file read whole
  // is known to end with one before its rows are split).
  const form = reader.readWhole && reader.endsWithNewline ? null : new LastFieldForm();
  let nextLine = args.headerLine;
  let sawHeader = false;
  let pending: { fields: string[]; line: number } | null = null;
  /** With a declared end marker, the latest reading row waits until the next row shows the table goes on. */
  let held: { fields: string[]; line: number } | RangeRow | null = null;
  let openQuoteLine: number | null = null;

  /** A reading row: mapped, unless it is the file's cut-off last record. */
  const data = (row: { fields: string[]; line: number } | RangeRow, isLast: boolean): void => {
    if (row.fields === null) return mapRangeRow(row);
    const fields = row.fields;
    if (isLast && !reader.endsWithNewline) {
      const lastField = fields[fields.length - 1] ?? '';
      const why =
        fields.length < args.headerFields
          ? `the file ends mid-row: ${fields.length} of ${args.headerFields} fields`
          : (form?.cutShort(lastField) ?? null);
      if (why !== null) {
        mapper.truncated(
          fields,
          row.line,
          fields.length < args.headerFields ? null : fields.length - 1,
          `${why}, and no line break ends the file`,
        );
        return;
      }
    }
    if (form !== null && fields.length >= args.headerFields) form.observe(fields[fields.length - 1] ?? '');
    map(fields, row.line);
  };

  /**
   * A reading row of the fast path (never the file's last line, never blank): mapped from its ranges, or
   * split and mapped from strings when the mapper declines it.
   */
  const mapRangeRow = (row: RangeRow): void => {
    if (mapper.mapRanges(row.text, row.starts, row.ends, row.n, row.line)) {
      // As data() does for a row it maps: the last column's form, to judge a cut-off last row by.
      if (form !== null && row.n >= args.headerFields) form.observe(row.text.slice(row.starts[row.n - 1], row.ends[row.n - 1]));
      return;
    }
    data({ fields: cells(row.text, row.starts, row.ends, row.n), line: row.line }, false);
  };

  const handle = (row: { fields: string[]; line: number }, isLast: boolean): void => {
    if (isBlankRow(row.fields)) {
      // Split as one string (ours or papaparse's), the final line break yields one empty row: not a blank
      // line. Streamed, papaparse yields no such row, so an empty last row there is a blank line of the file.
      if (isLast && splitAsText && reader.endsWithNewline && row.fields.length === 1) return;
      classifier?.blank();
      mapper.blankLines++;
      return;
    }
    if (classifier !== null && classifier.classify(row.fields, row.line) !== 'data') {
      if (held !== null && classifier.inFooter) {
        data(held, false);
        held = null;
      }
      return;
    }
    if (!layout.endMarkerExpected) return data(row, isLast);
    if (held !== null) data(held, false);
    held = row;
  };

  /** Rows as the CSV parser split them; `breaks` false when no field can hold a line break. */
  const rows = (data: readonly string[][], breaks: boolean): number[] => {
    const lines: number[] = [];
    for (const fields of data) {
      const line = nextLine;
      lines.push(line);
      nextLine += breaks ? 1 + countBreaks(fields) : 1;
      if (!sawHeader) {
        sawHeader = true;
        continue;
      }
      if (pending !== null) handle(pending, false);
      pending = { fields, line };
    }
    return lines;
  };

  /**
   * lotqa's own splitting of text without quote characters: the lines of `text` from `start`, split at the
   * newline, then at the delimiter, as `rows` takes them. A reading row that is not the last line of the
   * text goes to the mapper as ranges of `text` (RowMapper.mapRanges: mapWideRanges, mapLongRanges), after
   * the layout's rules have classified its line, so its cells need no strings; a row the mapper declines is
   * split. Unless `final`, the line the text ends in is left for the next piece of the file: the offset
   * where it starts is returned (with `final`, `text.length`).
   */
  const splitLines = (text: string, start: number, final: boolean): number => {
    const newline = head.newline;
    const delimiter = profile.delimiter;
    const delimiterCode = delimiter.charCodeAt(0);
    /** The first delimiter at or after the current line's start, or -1 when the rest of the text has none. */
    let nextDelimiter = -2;
    /** The same for the quote character. */
    let nextQuote = -2;
    // After a split at '\r\n' a field may still hold a lone '\n' (a physical line break): counted by rows.
    const crlf = newline === '\r\n';
    const ranges = mapper.readsRanges;
    const width = args.headerFields;
    // Two sets of ranges: a row held back (end marker expected) keeps its set while the next row is split.
    const rangeSets = [
      { starts: new Int32Array(width + 1), ends: new Int32Array(width + 1) },
      { starts: new Int32Array(width + 1), ends: new Int32Array(width + 1) },
    ] as const;
    let set: 0 | 1 = 0;
    let pos = start;
    for (;;) {
      const at = text.indexOf(newline, pos);
      if (at === -1 && !final) return pos; // the rest is the start of a line the next piece of text ends
      const end = at === -1 ? text.length : at;
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      const quoted = nextQuote !== -1 && nextQuote < end;
      // The fields' ranges (up to one more than the header: the mapper refuses a longer row). `nextDelimiter`
      // is kept across lines: a line without delimiters must not search on through the rest of the text.
      const { starts, ends } = rangeSets[set];
      let n = 0;
      starts[0] = pos;
      if (nextDelimiter !== -1 && nextDelimiter < pos) nextDelimiter = text.indexOf(delimiter, pos);
      while (nextDelimiter !== -1 && nextDelimiter < end && n < width) {
        ends[n++] = nextDelimiter;
        starts[n] = nextDelimiter + 1;
        nextDelimiter = text.indexOf(delimiter, nextDelimiter + 1);
      }
      const more = nextDelimiter !== -1 && nextDelimiter < end; // more fields than the header
      ends[n++] = more ? nextDelimiter : end;
      if (quoted && (more || !unquoteSimple(text, starts, ends, n))) {
        // Quoting papaparse must read (or a row too long to check here): it takes the text from this line on.
        takeoverAt = pos;
        return pos;
      }
      if (
        ranges &&
        sawHeader &&
        at !== -1 &&
        !more &&
        !(crlf && lineBreakWithin(text, pos, end)) &&
        startsFilled(text, starts[0], ends[0]!, delimiterCode) &&
        !(quoted && classifier !== null)
      ) {
        if (pending !== null) handle(pending, false);
        pending = null;
        const row: RangeRow = { fields: null, text, pos, end, n, starts, ends, line: nextLine++ };
        // Without quotes the line's text is the row's fields joined again: what the layout's rules
        // (comments, markers, summary rows, the table's end) look at.
        const kind = classifier === null ? 'data' : classifier.classifyText(text.slice(pos, end), row.line);
        if (kind !== 'data') {
          if (held !== null && classifier?.inFooter === true) {
            data(held, false);
            held = null;
          }
        } else if (!layout.endMarkerExpected) mapRangeRow(row);
        else {
          if (held !== null) data(held, false);
          held = row;
          set = set === 0 ? 1 : 0;
        }
      } else rows([quoted ? cells(text, starts, ends, n) : text.slice(pos, end).split(delimiter)], crlf);
      if (at === -1) return text.length;
      pos = at + newline.length;
    }
  };

  return new Promise<TableReadResult>((resolve, reject) => {
    const complete = (): void => {
      try {
        if (openQuoteLine !== null) {
          throw new FileRejection(
            'truncated-file',
            `${fileLabel} line ${openQuoteLine}: a quoted field opens here and is never closed before the end of the file (file truncated, or a stray quote). Copy the complete file from the station again, or fix the quote.`,
            openQuoteLine,
          );
        }
        if (pending !== null) handle(pending, true);
        pending = null;
        if (held !== null) {
          // The station always ends its table with a marker: without it the file was cut short, and its
          // last reading row may be cut too.
          const row: { fields: string[]; line: number } | RangeRow = held;
          const fields = row.fields ?? cells(row.text, row.starts, row.ends, row.n);
          mapper.truncated(fields, row.line, null, "the file ends before the table's end marker, so its last row may be cut off");
        }
        resolve({ classifier });
      } catch (e) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the row mapper threw, unchanged
        reject(e);
      }
    };
    const fail = (e: unknown): void => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the row mapper or the reader threw, unchanged
      reject(e);
    };
    /** papaparse from `text` (the start of a line, or the file's first text) on, then the rest of `chunks`. */
    const papaparse = (text: string, chunks: AsyncGenerator<string, void, undefined> | null): void => {
      splitAsText = chunks === null;
      // A file read whole is split synchronously from the string; only large files go through a stream.
      const input =
        chunks === null
          ? null
          : Readable.from(
              (async function* () {
                yield text;
                yield* chunks;
              })(),
            );
      Papa.parse<string[]>((input ?? text) as unknown as File, {
        header: false,
        dynamicTyping: false,
        skipEmptyLines: false,
        delimiter: profile.delimiter,
        newline: head.newline,
        chunk(results) {
          const lines = rows(results.data, true);
          for (const e of results.errors) {
            if (e.code === 'MissingQuotes' && openQuoteLine === null) openQuoteLine = lines[e.row ?? 0] ?? nextLine;
          }
        },
        complete,
        error(err: unknown) {
          input?.destroy();
          fail(err);
        },
      });
    };
    // What papaparse does itself for text without its quote character ("fast mode": split at the newline,
    // then at the delimiter, no errors possible), without its per-call set-up (for a file of a few kB it
    // cost more than the splitting) and with the reading rows handed over as ranges of the text.
    const ours = args.splitter !== 'papaparse' && first.length > 0 && isPlainDelimiter(profile.delimiter);
    // The file's own text from the header row on (not a slice of it: every cell is read from it, and a
    // sliced string costs an indirection per character); papaparse drops a BOM.
    const start = args.headerOffset + (first.charCodeAt(0) === 0xfeff ? 1 : 0);
    if (!ours) {
      papaparse(first, reader.readWhole ? null : afterHead());
      return;
    }
    if (reader.readWhole) {
      try {
        splitLines(head.text, start, true);
      } catch (e) {
        fail(e);
        return;
      }
      if (takeoverAt === null) complete();
      else papaparse(head.text.slice(takeoverAt), null);
      return;
    }
    // A large file, as the reader streams it: complete lines split here piece by piece, the start of a
    // line a piece ends in carried to the next. From a piece with a quote character on (quoted fields may
    // hold delimiters and line breaks), or a line longer than CARRY_LIMIT, papaparse takes over at the
    // start of a line.
    void (async () => {
      const chunks = afterHead();
      let text = head.text;
      let from = start;
      for (;;) {
        if (text.length - from > CARRY_LIMIT) return papaparse(text.slice(from), chunks);
        const tail = splitLines(text, from, false);
        if (takeoverAt !== null) return papaparse(text.slice(takeoverAt), chunks);
        const next = await chunks.next();
        if (next.done === true) {
          splitLines(text, tail, true);
          return complete();
        }
        text = text.slice(tail) + next.value;
        from = 0;
      }
    })().catch(fail);
  });
}
