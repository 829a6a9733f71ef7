/**
 * @module The head of a station file: optional preamble lines, then the header row. It is read before
 * any CSV parsing because the profile — and so the delimiter — may only be known once the header is
 * seen (auto-detection). Reading stops at the first line that is neither blank nor `key=value`.
 */
import { FileRejection } from './ingest-errors.js';
import { parsePreambleLine } from './preamble.js';

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
}

const MAX_HEAD_CHARS = 1024 * 1024;

const isBlank = (s: string): boolean => s.trim() === '';

/** Reads lines from `chunks` until the first line that is not blank and not a preamble line. */
export async function readFileHead(chunks: AsyncIterator<string>, fileLabel: string): Promise<FileHead> {
  let text = '';
  let pos = 0;
  let newline: FileHead['newline'] | null = null;
  const lines: HeadLine[] = [];
  let atEnd = false;
  for (;;) {
    // Complete lines available in `text` from `pos`.
    for (;;) {
      const lf = text.indexOf('\n', pos);
      const cr = text.indexOf('\r', pos);
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
          lines.push({ number: lines.length + 1, text: text.slice(pos), offset: pos });
          pos = text.length;
        }
        break;
      }
      newline ??= brk as FileHead['newline'];
      const line: HeadLine = { number: lines.length + 1, text: text.slice(pos, end), offset: pos };
      lines.push(line);
      pos = end + brk.length;
      if (!isBlank(line.text) && parsePreambleLine(line.text) === null) return { lines, text, newline, atEnd };
    }
    const last = lines[lines.length - 1];
    if (atEnd) return { lines, text, newline: newline ?? '\n', atEnd };
    if (text.length > MAX_HEAD_CHARS) {
      throw new FileRejection(
        'no-matching-profile',
        `${fileLabel}: no header row in the first ${MAX_HEAD_CHARS} characters (only blank or key=value lines); this is not a station CSV file.`,
        last?.number ?? null,
      );
    }
    const next = await chunks.next();
    if (next.done === true) atEnd = true;
    else text += next.value;
  }
}

/** Index (into `head.lines`) of the header row for a profile with or without a preamble, or -1. */
export function headerLineIndex(head: FileHead, preamble: boolean): number {
  return head.lines.findIndex((l) => !isBlank(l.text) && (!preamble || parsePreambleLine(l.text) === null));
}
