/**
 * @module The head of a station file: the lines up to the table's header row, for every candidate
 * station profile. It is read before any CSV parsing because the profile — and so the delimiter — may
 * only be known once the header is seen (auto-detection). Each profile locates its header its own way
 * (file-layout.ts: metadata lines, sections, a fixed block, a start marker); reading stops once every
 * profile has found its header, at the end of the file, or after MAX_HEAD_CHARS.
 */
import type { StationProfile } from '../domain/station-profile.js';
import { compileLayout, TableLocator, type TableLocation } from './file-layout.js';
import { FileRejection } from './ingest-errors.js';

export interface HeadLine {
  /** 1-based physical line number. */
  readonly number: number;
  readonly text: string;
  /** Offset of the line's first character in `FileHead.text`. */
  readonly offset: number;
}

/** What the head scan saw; `text` is everything read so far, `lines` its complete lines. */
export interface FileHead {
  readonly lines: readonly HeadLine[];
  readonly text: string;
  readonly newline: '\r\n' | '\n' | '\r';
  /** True when the whole file was read during the head scan. */
  readonly atEnd: boolean;
  /** Where each candidate profile finds the table (null: no header for that profile in the head). */
  readonly locations: ReadonlyMap<StationProfile, TableLocation | null>;
}

const MAX_HEAD_CHARS = 1024 * 1024;

/**
 * Reads lines from `chunks` until every profile has located its table's header row. A profile whose
 * table starts at a marker line reads no line until its marker is found in the text: most files are
 * another station's, and for them the search (one pass of the regular-expression engine) answers at
 * once instead of a look at every line.
 */
export async function readFileHead(
  chunks: AsyncIterator<string>,
  fileLabel: string,
  profiles: readonly StationProfile[],
): Promise<FileHead> {
  let text = '';
  let pos = 0;
  let newline: FileHead['newline'] | null = null;
  const lines: HeadLine[] = [];
  let atEnd = false;
  const locators = profiles.map((p) => new TableLocator(compileLayout(p), p.delimiter));
  /** Per locator: false while its table-start marker was not found in the text read so far. */
  const markerFound = locators.map((l) => l.tableStartSearch === null);
  /** Per locator: true once it gave up (its marker is not in the whole file, or the head limit was reached). */
  const gaveUp = locators.map(() => false);
  // Position of the next '\r' at or after `pos` (-1: none in `text`); most files have none, and
  // searching again for each line would make the head scan quadratic in the file's length.
  let nextCr = -2;

  /** Splits the next complete line off `text`; false when none is complete yet. */
  const splitLine = (): boolean => {
    const lf = text.indexOf('\n', pos);
    if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
    const cr = nextCr;
    let end = -1;
    let brk = '';
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      if (cr + 1 === text.length && !atEnd) return false; // might be half of \r\n
      end = cr;
      brk = text[cr + 1] === '\n' ? '\r\n' : '\r';
    } else if (lf !== -1) {
      end = lf;
      brk = '\n';
    }
    if (end === -1) {
      if (!atEnd || pos >= text.length) return false;
      lines.push({ number: lines.length + 1, text: text.slice(pos), offset: pos });
      pos = text.length;
      return true;
    }
    newline ??= brk as FileHead['newline'];
    lines.push({ number: lines.length + 1, text: text.slice(pos, end), offset: pos });
    pos = end + brk.length;
    return true;
  };

  /** Feeds each locator the lines it has not seen, splitting more as needed; true when all are done. */
  const advance = (): boolean => {
    let done = true;
    for (let i = 0; i < locators.length; i++) {
      const l = locators[i]!;
      if (l.decided || gaveUp[i]) continue;
      if (!markerFound[i]) {
        if (l.tableStartSearch!.test(text)) markerFound[i] = true;
        else {
          if (atEnd) gaveUp[i] = true;
          else done = false;
          continue;
        }
      }
      while (!l.decided) {
        if (l.fed >= lines.length && !splitLine()) break;
        l.feed(lines[l.fed]!);
      }
      if (!l.decided) {
        if (atEnd) gaveUp[i] = true;
        else done = false;
      }
    }
    return done;
  };

  const finish = (): FileHead => {
    const locations = new Map<StationProfile, TableLocation | null>();
    profiles.forEach((p, i) => locations.set(p, locators[i]!.location));
    // No profile found a table: keep every line read, for the message that says what the file holds.
    if (!locators.some((l) => l.decided)) while (splitLine());
    return { lines, text, newline: newline ?? '\n', atEnd, locations };
  };

  for (;;) {
    if (advance() || atEnd) return finish();
    if (text.length > MAX_HEAD_CHARS) {
      if (locators.some((l) => l.decided)) return finish();
      if (text.length - pos > MAX_HEAD_CHARS / 2) {
        // One line holds most of what was read: a header of a million columns, or a file whose line
        // breaks were lost. Say so, rather than that the file holds only metadata lines.
        const fields = Math.max(...[',', ';', '\t'].map((d) => text.slice(pos).split(d).length));
        throw new FileRejection(
          'no-matching-profile',
          `${fileLabel}: line ${lines.length + 1} runs past ${MAX_HEAD_CHARS} characters without a line break (${fields} fields so far); no station header is that long. Export the station data with one row per line and at most a few thousand columns.`,
          lines.length + 1,
        );
      }
      throw new FileRejection(
        'no-matching-profile',
        `${fileLabel}: no header row in the first ${MAX_HEAD_CHARS} characters (only blank, metadata, comment or marker lines); this is not a station CSV file.`,
        lines[lines.length - 1]?.number ?? null,
      );
    }
    const next = await chunks.next();
    if (next.done === true) atEnd = true;
    else {
      text += next.value;
      if (nextCr === -1) nextCr = -2; // new text may hold a '\r'
    }
  }
}
