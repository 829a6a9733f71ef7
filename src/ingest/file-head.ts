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

/** Reads lines from `chunks` until every profile has located its table's header row. */
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
  let undecided = locators.length;
  // Position of the next '\r' at or after `pos` (-1: none in `text`); most files have none, and
  // searching again for each line would make the head scan quadratic in the file's length.
  let nextCr = -2;
  const done = (): FileHead => {
    const locations = new Map<StationProfile, TableLocation | null>();
    profiles.forEach((p, i) => locations.set(p, locators[i]!.location));
    return { lines, text, newline: newline ?? '\n', atEnd, locations };
  };
  const feed = (line: HeadLine): void => {
    for (const l of locators) if (!l.decided && l.feed(line)) undecided--;
  };
  for (;;) {
    // Complete lines available in `text` from `pos`.
    for (;;) {
      const lf = text.indexOf('\n', pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
      const cr = nextCr;
      let end = -1;
      let brk = '';
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr + 1 === text.length && !atEnd) break; // might be half of \r\n
        end = cr;
        brk = text[cr + 1] === '\n' ? '\r\n' : '\r';
      } else if (lf !== -1) {
        end = lf;
        brk = '\n';
      }
      if (end === -1) {
        if (atEnd && pos < text.length) {
          const line: HeadLine = { number: lines.length + 1, text: text.slice(pos), offset: pos };
          lines.push(line);
          pos = text.length;
          feed(line);
        }
        break;
      }
      newline ??= brk as FileHead['newline'];
      const line: HeadLine = { number: lines.length + 1, text: text.slice(pos, end), offset: pos };
      lines.push(line);
      pos = end + brk.length;
      feed(line);
      if (undecided === 0) return done();
    }
    const last = lines[lines.length - 1];
    if (atEnd) return done();
    if (text.length > MAX_HEAD_CHARS) {
      if (undecided < locators.length) return done();
      throw new FileRejection(
        'no-matching-profile',
        `${fileLabel}: no header row in the first ${MAX_HEAD_CHARS} characters (only blank, metadata, comment or marker lines); this is not a station CSV file.`,
        last?.number ?? null,
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
