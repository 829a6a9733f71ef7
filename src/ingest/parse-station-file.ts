/**
 * @module parseStationFile — one station CSV → a ParsedFile (runs, measurements in canonical units,
 * quarantine) or a RejectedFile. The file is streamed once: bytes are hashed and decoded as they are
 * read, the head (preamble + header) picks the profile, and papaparse splits the rest in chunks, so a
 * 50 MB file needs no more memory for its text than a 5 kB one. No database is touched: the pipeline
 * stores the outcome atomically.
 *
 * Decisions worth knowing:
 * - A file without data rows (0 bytes, blank lines only, preamble only, header only) is rejected as
 *   'empty-file': storing it would record a unit test that never happened.
 * - UTF-8 with or without BOM is read; UTF-16 LE/BE with a BOM (Windows "Unicode text") is decoded;
 *   other encodings need the profile's `encoding`. Invalid UTF-8 rejects the file ('bad-encoding')
 *   with the line of the first bad byte.
 * - A quoted field still open at the end of the file rejects it ('truncated-file'): the rows after the
 *   stray quote cannot be told apart.
 * - The last row cut off mid-record (no final line break, too few fields) is quarantined as a
 *   'ragged-row' ("file ends mid-row (truncated?)"); the rows before it are kept.
 */
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { IngestOutcome, ParsedFile, RejectedFile } from '../domain/measurement.js';
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import { fitProfile, type PlanFit } from './column-plan.js';
import { findMissingMeasurements } from './completeness-check.js';
import { detectProfile, readProfileHeader, type ProfileHeader } from './detect-profile.js';
import { readFileHead, type FileHead, type HeadLine } from './file-head.js';
import { FileRejection, StationProfileError } from './ingest-errors.js';
import { parsePreambleLine, Preamble } from './preamble.js';
import { RowMapper } from './row-mapper.js';
import { locateInvalidUtf8, StationFileReader, WHOLE_FILE_BYTES, type TextEncoding } from './station-file-reader.js';
import { isKnownZone } from './test-time.js';

export interface ParseStationFileOptions {
  /** The product the units in this file are (the spec decides lanes, corners, parameters, units). */
  readonly product: ProductSpec;
  /** The station profile, when the user names it; otherwise it is detected from the header among `profiles`. */
  readonly profile?: StationProfile | undefined;
  readonly profiles: readonly StationProfile[];
  /**
   * Files up to this many bytes are read and split as one string; larger ones are streamed.
   * @defaultValue WHOLE_FILE_BYTES (1 MiB). 0 streams every file (tests compare both paths).
   */
  readonly wholeFileBytes?: number | undefined;
}

/**
 * Reads one station file. Never throws for a bad file (that is a RejectedFile or quarantine entries);
 * throws StationProfileError when a profile itself is unusable (bad regex, unknown time zone).
 */
export async function parseStationFile(path: string, options: ParseStationFileOptions): Promise<IngestOutcome> {
  const name = basename(path);
  const reader = new StationFileReader(path, chooseEncoding(options), options.wholeFileBytes ?? WHOLE_FILE_BYTES);
  const reject = async (reason: RejectedFile['reason'], message: string, line: number | null): Promise<IngestOutcome> => {
    let sha256: string | null = null;
    try {
      sha256 = await reader.finish();
    } catch {
      reader.close();
    }
    return { kind: 'rejected', file: { path, name, sha256, bytes: reader.bytes, reason, message, line } };
  };
  try {
    const parsed = await readStationFile(path, name, reader, options);
    return { kind: 'parsed', file: parsed };
  } catch (err) {
    if (err instanceof FileRejection) {
      if (err.reason === 'bad-encoding' && chooseEncoding(options) === 'utf-8') {
        const at = await locateInvalidUtf8(path).catch(() => null);
        if (at !== null) {
          return reject(
            'bad-encoding',
            `${name} line ${at.line} (byte ${at.offset}) is not valid UTF-8. Re-export the file as UTF-8, or set "encoding" (e.g. "windows-1252") in the station profile.`,
            at.line,
          );
        }
      }
      return reject(err.reason, err.message, err.line);
    }
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      reader.close();
      return {
        kind: 'rejected',
        file: {
          path,
          name,
          sha256: null,
          bytes: reader.bytes,
          reason: 'unreadable',
          message: `${path} cannot be read (${code}: ${(err as Error).message}). Check the path and permissions.`,
          line: null,
        },
      };
    }
    reader.close();
    throw err;
  }
}

/** A named profile's encoding; for auto-detection, the encoding all candidates agree on (else UTF-8). */
function chooseEncoding(options: ParseStationFileOptions): TextEncoding {
  if (options.profile !== undefined) return options.profile.encoding ?? 'utf-8';
  const declared = new Set(options.profiles.map((p) => p.encoding ?? 'utf-8'));
  const only = [...declared][0];
  return declared.size === 1 && only !== undefined ? only : 'utf-8';
}

async function readStationFile(
  path: string,
  name: string,
  reader: StationFileReader,
  options: ParseStationFileOptions,
): Promise<ParsedFile> {
  const { product } = options;
  const text = reader.text();
  const head = await readFileHead(text, name);
  const nonBlank = head.lines.filter((l) => l.text.trim() !== '');
  if (nonBlank.length === 0)
    throw new FileRejection(
      'empty-file',
      `${name} contains only blank lines. Check that the station finished writing it, then submit it again.`,
    );

  const { profile, header, fit, choice: chosen } = chooseProfile(head, nonBlank, options, name);
  let choice = chosen;
  if (profile.timeZone !== undefined && !isKnownZone(profile.timeZone))
    throw new StationProfileError(profile.id, `timeZone '${profile.timeZone}' is not an IANA time zone`);
  const unread = fit.plan.unusedColumns.map((i) => header.index.fields[i] ?? '');
  if (profile.format === 'long' && unread.length > 0) choice += `; columns not read: ${unread.join(', ')}`;

  const preamble = new Preamble();
  if (profile.preamble) {
    for (const l of head.lines.slice(0, header.lineIndex)) {
      const kv = parsePreambleLine(l.text);
      if (kv !== null) preamble.add(kv.key, kv.value, l.number);
    }
  }
  const mapper = new RowMapper({
    fileLabel: name,
    product,
    profile,
    plan: fit.plan,
    headerFields: header.index.fields,
    headerLine: header.line.number,
    preamble,
    fileNameGroups: matchFileName(profile, name),
  });

  await splitRows(head, header, text, reader, profile, mapper, name);
  mapper.finishModuleReadings();
  if (mapper.dataRows === 0) {
    throw new FileRejection(
      'empty-file',
      `${name} has a header on line ${header.line.number} but no data rows. Check that the station finished writing it.`,
      header.line.number,
    );
  }
  const missing = findMissingMeasurements({
    fileLabel: name,
    product,
    runs: mapper.runs,
    deliverable: mapper.deliverableParameters,
    has: (run, param, corner, lane) => mapper.hasMeasurement(run, param, corner, lane),
  });
  const sha256 = await reader.finish();
  return {
    path,
    name,
    sha256,
    bytes: reader.bytes,
    profileId: profile.id,
    productId: product.productId,
    profileChoice: choice,
    dataRows: mapper.dataRows,
    blankLines: mapper.blankLines,
    runs: mapper.runs,
    measurements: mapper.measurements,
    quarantine: [...mapper.quarantine, ...missing],
  };
}

interface ProfileChoice {
  readonly profile: StationProfile;
  readonly header: ProfileHeader;
  readonly fit: PlanFit;
  readonly choice: string;
}

/**
 * Recent successful profile choices, per profile list (auto-detection) or per named profile, keyed
 * by the exact text of the head lines. A lot's files share one header, so detection (splitting the
 * header with every profile's delimiter, fitting every profile) runs once instead of per file. Only
 * successes are kept: failures name the file in their message. The values are never mutated.
 */
const choiceMemo = new WeakMap<object, Map<string, ProfileChoice>>();
const CHOICE_MEMO_SIZE = 16;

function chooseProfile(head: FileHead, nonBlank: readonly HeadLine[], options: ParseStationFileOptions, name: string): ProfileChoice {
  const last = head.lines[head.lines.length - 1];
  const key = last === undefined ? '' : head.text.slice(0, last.offset + last.text.length);
  const owner: object = options.profile ?? options.profiles;
  let memo = choiceMemo.get(owner);
  const hit = memo?.get(key);
  if (hit !== undefined) return hit;
  const found = chooseProfileUncached(head, nonBlank, options, name);
  if (memo === undefined) choiceMemo.set(owner, (memo = new Map()));
  if (memo.size >= CHOICE_MEMO_SIZE) memo.clear();
  memo.set(key, found);
  return found;
}

function chooseProfileUncached(
  head: FileHead,
  nonBlank: readonly HeadLine[],
  options: ParseStationFileOptions,
  name: string,
): ProfileChoice {
  let profile: StationProfile;
  let header: ProfileHeader;
  let choice: string;
  let fit: PlanFit;
  if (options.profile !== undefined) {
    profile = options.profile;
    const h = readProfileHeader(head, profile);
    if (h === null)
      throw new FileRejection(
        'empty-file',
        `${name} has only preamble lines and no header row. Check that the station finished writing it.`,
        nonBlank[nonBlank.length - 1]?.number ?? null,
      );
    header = h;
    fit = fitProfile(profile, header.index);
    if (fit.missingRequired.length > 0) {
      throw new FileRejection(
        'no-matching-profile',
        `${name} line ${header.line.number}: column${fit.missingRequired.length > 1 ? 's' : ''} ${fit.missingRequired.join(', ')} not found; station profile '${profile.id}' expects ${fit.missingRequired.length > 1 ? 'them' : 'it'} (header aliases are matched ignoring case and spaces). Use the right profile, or add the header name to the profile's aliases.`,
        header.line.number,
      );
    }
    choice = `profile '${profile.id}' named by the user`;
  } else {
    if (head.atEnd && nonBlank.every((l) => parsePreambleLine(l.text) !== null)) {
      throw new FileRejection(
        'empty-file',
        `${name} has only key=value lines and no header row. Check that the station finished writing it.`,
        null,
      );
    }
    const d = detectProfile(head, options.profiles);
    if (d.kind === 'none') throw new FileRejection('no-matching-profile', `${name}: ${d.message}`, d.line);
    ({ profile, header, fit, choice } = d);
  }
  return { profile, header, fit, choice };
}

/** Named groups of the profile's fileNamePattern on the file's base name, or null. */
function matchFileName(profile: StationProfile, name: string): Record<string, string> | null {
  if (profile.fileNamePattern === undefined) return null;
  let re: RegExp;
  try {
    re = new RegExp(profile.fileNamePattern);
  } catch (e) {
    throw new StationProfileError(profile.id, `fileNamePattern is not a valid regular expression (${(e as Error).message})`);
  }
  const m = re.exec(name);
  return m?.groups === undefined ? null : { ...m.groups };
}

const isBlankRow = (fields: readonly string[]): boolean => fields.every((f) => f.trim() === '');

/**
 * Splits the rest of the file (from the header row on) with papaparse in chunk mode — from the one
 * string of a file read whole, else streamed — and hands
 * each row to the mapper with its physical line number. The last row is held back one step so the
 * mapper knows which row ended the file (truncation check).
 */
function splitRows(
  head: FileHead,
  header: ProfileHeader,
  rest: AsyncGenerator<string, void, undefined>,
  reader: StationFileReader,
  profile: StationProfile,
  mapper: RowMapper,
  name: string,
): Promise<void> {
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
  const first = head.text.slice(header.line.offset);
  async function* source(): AsyncGenerator<string, void, undefined> {
    yield first;
    if (head.atEnd) return;
    for (;;) {
      const n = await rest.next();
      if (n.done === true) return;
      yield n.value;
    }
  }
  // A file read whole is split synchronously from the string; only large files go through a stream.
  const input = reader.readWhole ? null : Readable.from(source());
  const map = profile.format === 'long' ? mapper.mapLong.bind(mapper) : mapper.mapWide.bind(mapper);
  let nextLine = header.line.number;
  let sawHeader = false;
  let pending: { fields: string[]; line: number } | null = null;
  let openQuoteLine: number | null = null;

  const handle = (row: { fields: string[]; line: number }, isLast: boolean): void => {
    if (isBlankRow(row.fields)) {
      // papaparse yields one empty row for the final line break; that is not a blank line.
      if (!(isLast && reader.endsWithNewline && row.fields.length === 1)) mapper.blankLines++;
      return;
    }
    map(row.fields, row.line, isLast, reader.endsWithNewline);
  };

  return new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>((input ?? first) as unknown as File, {
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      delimiter: profile.delimiter,
      newline: head.newline,
      chunk(results) {
        const lines: number[] = [];
        for (const fields of results.data) {
          const line = nextLine;
          lines.push(line);
          nextLine += 1 + countBreaks(fields);
          if (!sawHeader) {
            sawHeader = true;
            continue;
          }
          if (pending !== null) handle(pending, false);
          pending = { fields, line };
        }
        for (const e of results.errors) {
          if (e.code === 'MissingQuotes' && openQuoteLine === null) openQuoteLine = lines[e.row ?? 0] ?? nextLine;
        }
      },
      complete() {
        try {
          if (openQuoteLine !== null) {
            throw new FileRejection(
              'truncated-file',
              `${name} line ${openQuoteLine}: a quoted field opens here and is never closed before the end of the file (file truncated, or a stray quote). Copy the complete file from the station again, or fix the quote.`,
              openQuoteLine,
            );
          }
          if (pending !== null) handle(pending, true);
          pending = null;
          resolve();
        } catch (e) {
          reject(e);
        }
      },
      error(err: unknown) {
        input?.destroy();
        reject(err);
      },
    });
  });
}
