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
import { parsedFileFromColumns } from '../domain/measurement-columns.js';
import { basename } from 'node:path';
import type { IngestOutcome, ParsedFile, RejectedFile } from '../domain/measurement.js';
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import { ambiguousColumns, fitProfile, headerMayFit, type PlanFit } from './column-plan.js';
import { findMissingMeasurements } from './completeness-check.js';
import { detectProfile, readProfileHeader, tableLocationOf, type ProfileHeader } from './detect-profile.js';
import { readFileHead, type FileHead, type HeadLine } from './file-head.js';
import { FileRejection, StationProfileError } from './ingest-errors.js';
import { parsePreambleLine, Preamble } from './preamble.js';
import { bestFit, checkProductFit, type ProductFit } from './product-fit.js';
import { RowMapper } from './row-mapper.js';
import { readTable } from './table-reader.js';
// A whole line is folded without remembering it (a line is mostly one file's own: remembering it would
// keep that file's text alive); header-names' foldName remembers names, which repeat.
import { foldName as foldLine } from '../domain/folded-name.js';
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
  /**
   * The products of the catalogs: when the file does not fit `product` (lanes, corners, tests), the
   * rejection names the one of these that fits it.
   */
  readonly products?: readonly ProductSpec[] | undefined;
  /**
   * @internal How the table's rows are split: 'lotqa' (the default) splits text without quote characters
   * itself, 'papaparse' leaves every file to papaparse (tests compare the two).
   */
  readonly splitter?: 'lotqa' | 'papaparse' | undefined;
}

/** Options of one internal read: `checkFit` false reads a file as a candidate product, to see how it fits. */
interface ReadOptions extends ParseStationFileOptions {
  readonly checkFit?: boolean;
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
    const { file } = await readStationFile(path, name, reader, options);
    return { kind: 'parsed', file };
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
  // Once per profile list (a lot's files share one), not per file.
  let chosen = encodingOfProfiles.get(options.profiles);
  if (chosen === undefined) {
    const declared = new Set(options.profiles.map((p) => p.encoding ?? 'utf-8'));
    const only = [...declared][0];
    chosen = declared.size === 1 && only !== undefined ? only : 'utf-8';
    encodingOfProfiles.set(options.profiles, chosen);
  }
  return chosen;
}

/** chooseEncoding's answer per profile list (the lists and their profiles are never mutated). */
const encodingOfProfiles = new WeakMap<readonly StationProfile[], TextEncoding>();

async function readStationFile(
  path: string,
  name: string,
  reader: StationFileReader,
  options: ReadOptions,
): Promise<{ readonly file: ParsedFile; readonly fit: ProductFit }> {
  const { product } = options;
  const text = reader.text();
  const head = await readFileHead(text, name, options.profile !== undefined ? [options.profile] : options.profiles);
  const nonBlank = head.lines.filter((l) => l.text.trim() !== '');
  if (nonBlank.length === 0)
    throw new FileRejection(
      'empty-file',
      `${name} contains only blank lines. Check that the station finished writing it, then submit it again.`,
    );

  const { profile, header, fit: fit0, choice: chosen } = chooseProfile(head, nonBlank, options, name);
  let choice = chosen;
  if (profile.timeZone !== undefined && !isKnownZone(profile.timeZone))
    throw new StationProfileError(profile.id, `timeZone '${profile.timeZone}' is not an IANA time zone`);
  const unread = fit0.plan.unusedColumns.map((i) => header.index.fields[i] ?? '');
  if (profile.format === 'long' && unread.length > 0) choice += `; columns not read: ${unread.join(', ')}`;

  const location = header.location;
  const preamble = new Preamble();
  for (const m of location.metadata) preamble.addEntry(m);
  const mapper = new RowMapper({
    fileLabel: name,
    product,
    profile,
    plan: fit0.plan,
    headerFields: header.index.fields,
    headerLine: header.line.number,
    preamble,
    fileNameGroups: matchFileName(profile, name),
  });
  mapper.blankLines += location.blankLines;

  const table = await readTable({
    head,
    headerOffset: header.line.offset,
    headerLine: header.line.number,
    headerFields: header.index.fields.length,
    rest: text,
    reader,
    profile,
    mapper,
    fileLabel: name,
    splitter: options.splitter,
  });
  mapper.finishModuleReadings();
  const footer = table.classifier?.metadata ?? [];
  for (const m of footer) preamble.addEntry(m);
  mapper.finishUnitVerdicts(preamble);
  if (mapper.dataRows === 0) {
    throw new FileRejection(
      'empty-file',
      `${name} has a header on line ${header.line.number} but no data rows. Check that the station finished writing it.`,
      header.line.number,
    );
  }
  const fit = checkProductFit(
    {
      dataRows: mapper.dataRows,
      maxLane: () => mapper.readings.maxLane(),
      quarantine: mapper.quarantine,
      wideColumns: fit0.plan.wide?.length ?? 0,
      wideUnknownParameters: mapper.wideUnknownParameters,
    },
    product,
    profile,
  );
  if (!fit.fits && options.checkFit !== false) {
    const best = await productThatFits(path, name, profile, fit, options);
    const others = (options.products ?? []).filter((p) => p.productId !== product.productId).map((p) => p.productId);
    throw new FileRejection(
      'wrong-product',
      `${name} does not fit product ${product.productId}: ${fit.findings.join('; ')}. ${
        best !== null
          ? `${best.productId} fits: ingest the file as product ${best.productId}.`
          : others.length > 0
            ? `No other product of the catalogs fits it either (${others.join(', ')}): check the product and the station profile.`
            : 'Check the product and the station profile.'
      } Nothing from this file is stored.`,
      fit.line,
    );
  }
  const missing = findMissingMeasurements({
    fileLabel: name,
    product,
    runs: mapper.runs,
    deliverable: mapper.deliverableParameters,
    has: (run, param, corner, lane) => mapper.hasMeasurement(run, param, corner, lane),
    complete: (run) => mapper.hasEveryExpected(run),
  });
  mapper.releaseReadings();
  const sha256 = await reader.finish();
  const otherLines = [...location.otherLines, ...(table.classifier?.otherLines ?? [])];
  const stationMetadata = [...location.metadata, ...footer];
  const file: ParsedFile = parsedFileFromColumns(
    {
      path,
      name,
      sha256,
      bytes: reader.bytes,
      profileId: profile.id,
      productId: product.productId,
      profileChoice: choice,
      dataRows: mapper.dataRows,
      blankLines: mapper.blankLines,
      headerLine: header.line.number,
      ...(stationMetadata.length > 0 ? { stationMetadata } : {}),
      ...(otherLines.length > 0 ? { otherLines } : {}),
      runs: mapper.runs,
      quarantine: [...mapper.quarantine, ...missing],
    },
    mapper.readings.finish(),
  );
  return { file, fit };
}

/**
 * Reads the file again as each other product of the catalogs (same station profile) and returns the
 * one that fits best, or null. Only a file that does not fit its product pays for this.
 */
async function productThatFits(
  path: string,
  name: string,
  profile: StationProfile,
  fit: ProductFit,
  options: ReadOptions,
): Promise<ProductSpec | null> {
  const tried: { product: ProductSpec; fit: ProductFit; measurements: ParsedFile['measurements'] }[] = [];
  for (const candidate of options.products ?? []) {
    if (candidate.productId === options.product.productId) continue;
    const reader = new StationFileReader(path, profile.encoding ?? 'utf-8', options.wholeFileBytes ?? WHOLE_FILE_BYTES);
    try {
      const read = await readStationFile(path, name, reader, {
        product: candidate,
        profile,
        profiles: [],
        checkFit: false,
        wholeFileBytes: options.wholeFileBytes,
      });
      tried.push({ product: candidate, fit: read.fit, measurements: read.file.measurements });
    } catch {
      // the file cannot be read as this product at all (e.g. its corners or identity): not a candidate
    } finally {
      reader.close();
    }
  }
  return bestFit(tried, fit.lanesFound);
}

interface ProfileChoice {
  readonly profile: StationProfile;
  readonly header: ProfileHeader;
  readonly fit: PlanFit;
  readonly choice: string;
}

/** What a choice depends on, kept across files: the profile, how its columns fit, the words of the choice. */
interface RememberedChoice {
  readonly profile: StationProfile;
  readonly index: ProfileHeader['index'];
  readonly fit: PlanFit;
  readonly choice: string;
}

/**
 * Recent successful profile choices, per profile list (auto-detection) or per named profile, keyed by
 * where each candidate profile finds its header row (line and text): a lot's files share one header,
 * so detection (splitting the header with every profile's delimiter, fitting every profile) runs once
 * instead of per file, even when their metadata values differ. Only successes are kept: failures name
 * the file in their message. The values are never mutated.
 */
const choiceMemo = new WeakMap<object, Map<string, RememberedChoice>>();
const CHOICE_MEMO_SIZE = 16;
/**
 * headerMayFit per profile and header line text (it depends on nothing else): a lot's files repeat one
 * header line, which is then neither folded nor searched again.
 */
const mayFitMemo = new WeakMap<StationProfile, Map<string, boolean>>();

function chooseProfile(head: FileHead, nonBlank: readonly HeadLine[], options: ParseStationFileOptions, name: string): ProfileChoice {
  const candidates = options.profile !== undefined ? [options.profile] : options.profiles;
  // The choice depends on the header lines of the profiles that may fit them, and nothing else.
  let key = '';
  // Most candidates look at the same line: it is folded once per line, not once per profile.
  let foldedIndex = -1;
  let folded = '';
  for (const p of candidates) {
    const loc = tableLocationOf(head, p);
    const text = loc === null ? undefined : head.lines[loc.headerIndex]?.text;
    if (text === undefined) {
      key += '-\u0000';
      continue;
    }
    let mayFit = mayFitMemo.get(p)?.get(text);
    if (mayFit === undefined) {
      if (foldedIndex !== loc!.headerIndex) {
        foldedIndex = loc!.headerIndex;
        folded = foldLine(text);
      }
      mayFit = headerMayFit(p, text, folded);
      let memo = mayFitMemo.get(p);
      if (memo === undefined) mayFitMemo.set(p, (memo = new Map<string, boolean>()));
      if (memo.size >= CHOICE_MEMO_SIZE) memo.clear();
      memo.set(text, mayFit);
    }
    key += mayFit ? `${loc!.headerIndex}\u0001${text}\u0000` : '-\u0000';
  }
  const owner: object = options.profile ?? options.profiles;
  let memo = choiceMemo.get(owner);
  const hit = memo?.get(key);
  if (hit !== undefined) {
    const location = tableLocationOf(head, hit.profile)!;
    const line = head.lines[location.headerIndex]!;
    return {
      profile: hit.profile,
      fit: hit.fit,
      choice: hit.choice,
      header: { line, lineIndex: location.headerIndex, index: hit.index, location },
    };
  }
  const found = chooseProfileUncached(head, nonBlank, options, name);
  if (memo === undefined) choiceMemo.set(owner, (memo = new Map<string, RememberedChoice>()));
  if (memo.size >= CHOICE_MEMO_SIZE) memo.clear();
  memo.set(key, { profile: found.profile, index: found.header.index, fit: found.fit, choice: found.choice });
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
        `${name} has no table header row for station profile '${profile.id}' (only metadata, comment or marker lines${profile.layout?.tableStart !== undefined ? ', and no table start marker' : ''}). Check that the station finished writing it.`,
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
  const ambiguous = ambiguousColumns(fit.plan, header.index);
  if (ambiguous.length > 0) {
    const list = ambiguous.map((a) => `'${a.name}' (columns ${a.columns.join(', ')})`).join(', ');
    throw new FileRejection(
      'no-matching-profile',
      `${name} line ${header.line.number}: the header names ${list} more than once, and station profile '${profile.id}' reads that column; lotqa cannot tell which one the station meant. Give each column its own name in the station's export, then submit the file again.`,
      header.line.number,
    );
  }
  return { profile, header, fit, choice };
}

/** Compiled fileNamePattern per profile (profiles are frozen, so compiling once per profile is safe). */
const fileNamePatterns = new WeakMap<StationProfile, RegExp>();

/** Named groups of the profile's fileNamePattern on the file's base name, or null. */
function matchFileName(profile: StationProfile, name: string): Record<string, string> | null {
  if (profile.fileNamePattern === undefined) return null;
  let re = fileNamePatterns.get(profile);
  if (re === undefined) {
    try {
      re = new RegExp(profile.fileNamePattern);
    } catch (e) {
      throw new StationProfileError(profile.id, `fileNamePattern is not a valid regular expression (${(e as Error).message})`);
    }
    fileNamePatterns.set(profile, re);
  }
  const m = re.exec(name);
  return m?.groups === undefined ? null : { ...m.groups };
}
