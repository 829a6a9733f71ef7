/**
 * @module Ingest stage — station files in, every row stored or quarantined, every unreadable file
 * rejected with its reason. The same function serves `lotqa ingest`, `lotqa run` and the queue worker.
 *
 * With parse threads (ParsePool), files go to the threads in requests of THREAD_CHUNK_FILES, each
 * answered in one message, THREAD_REQUESTS_IN_FLIGHT requests deep, and while the file to be written next
 * is still on a thread this thread parses the next unsent files itself instead of waiting, so the writer's
 * core does its share of the parsing.
 * Files are recorded strictly in path order, so the ids the store hands out do not depend on thread
 * timing. Parsed files are written in batches (Store.recordParsedFiles: one transaction, one savepoint
 * per file), so each file still lands whole or not at all and a file seen before (same SHA-256) is
 * recognised and not counted twice, but 10,000 per-unit files cost ~160 commits instead of 10,000.
 * Without threads files are parsed on the calling thread, two ahead of the writer.
 */

/** A write batch closes at this many files or measurements, whichever comes first. */
const BATCH_FILES = 64;
const BATCH_MEASUREMENTS = 100_000;
/**
 * Files per request to a parse thread (answered in one message: see ParseReply), and requests queued on
 * each thread. Profiled on 2 cores with 16 × 2: a thread held ~32 files (~6 ms of parsing) but a write
 * batch of 64 files commits for longer, so the thread ran dry at every commit (idle ~1 s of a 4.5 s
 * profiled ingest) while this thread parsed ~2,700 of the 10,040 files itself; each message to the
 * thread also cost the writer ~0.3 ms (a wake-up), ~300 ms in all. 64 × 3 keeps ~190 files queued, a
 * third of the messages, and leaves the writer ~8 % of the parsing. Per-thread CPU (/proc task
 * counters, 3 interleaved runs, 1-minute load 3.5–4.4): writer 1.42–1.50 s / thread 1.35–1.40 s, against
 * 1.55–1.91 / 1.19–1.42 s with 16 × 2; ingest wall 1.53–1.75 s against 1.73–1.93 s (3 interleaved
 * rounds, load 1.6–2.7). Whether a thread pays at all on 2 cores: see defaultParseThreads.
 */
const THREAD_CHUNK_FILES = 64;
const THREAD_REQUESTS_IN_FLIGHT = 3;
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import type { QuarantineReason, FileRejectionReason, IngestOutcome, ParsedFile } from '../domain/measurement.js';
import { measurementCount } from '../domain/measurement-columns.js';
import { parseStationFile } from '../ingest/parse-station-file.js';
import type { RecordFileResult, Store } from '../store/store.js';
import { defaultParseThreads, ParsePool } from './parse-pool.js';
import { recordManifestsBeside } from './lot-manifest.js';
import { timedPhase } from './phase-timings.js';

export interface IngestFileResult {
  readonly path: string;
  readonly status: 'stored' | 'duplicate' | 'rejected';
  readonly sha256: string | null;
  readonly lots: readonly string[];
  /** Serials with a run in this file (empty for duplicates and rejected files). */
  readonly serials: readonly string[];
  readonly runs: number;
  readonly measurements: number;
  readonly quarantined: number;
  readonly quarantineByReason: Partial<Record<QuarantineReason, number>>;
  readonly profileChoice: string | null;
  readonly rejection: { readonly reason: FileRejectionReason; readonly message: string; readonly line: number | null } | null;
}

export interface IngestSummary {
  readonly files: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly units: number;
  readonly runs: number;
  readonly measurements: number;
  readonly quarantinedRows: number;
  readonly quarantineByReason: Partial<Record<QuarantineReason, number>>;
  readonly rejections: readonly { path: string; reason: FileRejectionReason; message: string; line: number | null }[];
  readonly lots: readonly string[];
  readonly profilesUsed: Readonly<Record<string, number>>;
}

export interface IngestOptions {
  readonly product: ProductSpec;
  readonly profile?: StationProfile | undefined;
  readonly profiles: readonly StationProfile[];
  /** The catalogs' products: a file that does not fit `product` is rejected naming the one that fits. */
  readonly products?: readonly ProductSpec[] | undefined;
  /**
   * Files parsed ahead of the one being written; with threads it must cover a write batch and the
   * threads' queues, or the threads idle while the batch commits. @defaultValue 64 + 256 per parse
   * thread (2 without threads)
   */
  readonly parallel?: number;
  /**
   * Worker threads that parse while this thread writes; 0 parses here.
   * @defaultValue {@link defaultParseThreads}: none on 2 cores (measured: no gain), else one per idle core beyond the writer's (0–4)
   */
  readonly threads?: number;
  readonly onFile?: (done: number, total: number, result: IngestFileResult) => void;
}

/** Parses one file and records the outcome in the store: the unit of work of an ingest job. */
export async function ingestOneFile(
  store: Store,
  path: string,
  options: Omit<IngestOptions, 'onFile' | 'parallel'>,
): Promise<IngestFileResult> {
  const outcome = await parseStationFile(path, {
    product: options.product,
    profile: options.profile,
    profiles: options.profiles,
    products: options.products,
  });
  return recordOutcome(store, path, outcome);
}

/**
 * Records a parse outcome: a rejection in the store, a parsed file through `record` (the store itself, or
 * a queue worker's group commit).
 */
export async function recordOutcome(
  store: Store,
  path: string,
  outcome: IngestOutcome,
  record: (file: ParsedFile) => Promise<RecordFileResult> = (file) => store.recordParsedFile(file),
): Promise<IngestFileResult> {
  if (outcome.kind === 'rejected') {
    await store.recordRejectedFile(outcome.file);
    const f = outcome.file;
    return {
      path,
      status: 'rejected',
      sha256: f.sha256,
      lots: [],
      serials: [],
      runs: 0,
      measurements: 0,
      quarantined: 0,
      quarantineByReason: {},
      profileChoice: null,
      rejection: { reason: f.reason, message: f.message, line: f.line },
    };
  }
  return parsedFileResult(path, outcome.file, await record(outcome.file));
}

/** What one stored (or duplicate) parsed file adds to the ingest summary. */
function parsedFileResult(path: string, f: ParsedFile, res: RecordFileResult): IngestFileResult {
  const byReason: Partial<Record<QuarantineReason, number>> = {};
  for (const q of f.quarantine) byReason[q.reason] = (byReason[q.reason] ?? 0) + 1;
  const dup = res.status === 'duplicate';
  return {
    path,
    status: res.status,
    sha256: f.sha256,
    lots: res.lots.length > 0 ? res.lots : [...new Set(f.runs.map((r) => r.lot))],
    serials: dup ? [] : [...new Set(f.runs.map((r) => `${r.lot}\u0000${r.serial}`))],
    runs: dup ? 0 : f.runs.length,
    measurements: dup ? 0 : measurementCount(f),
    quarantined: dup ? 0 : f.quarantine.length,
    quarantineByReason: dup ? {} : byReason,
    profileChoice: f.profileChoice,
    rejection: null,
  };
}

export async function ingestFiles(store: Store, paths: readonly string[], options: IngestOptions): Promise<IngestSummary> {
  return timedPhase(`ingest (${paths.length} files)`, () => ingestAll(store, paths, options));
}

async function ingestAll(store: Store, paths: readonly string[], options: IngestOptions): Promise<IngestSummary> {
  const parseOptions = { product: options.product, profile: options.profile, profiles: options.profiles, products: options.products };
  const threads = Math.max(0, options.threads ?? defaultParseThreads(paths.length));
  const pool = threads > 0 ? new ParsePool(parseOptions, threads) : null;
  // Room for a write batch, the threads' queues and one more request each (sent as a request is answered).
  const ahead = Math.max(
    1,
    options.parallel ?? (pool === null ? 2 : BATCH_FILES + (THREAD_REQUESTS_IN_FLIGHT + 1) * THREAD_CHUNK_FILES * threads),
  );
  const results: IngestFileResult[] = new Array<IngestFileResult>(paths.length);
  const outcomes: (Promise<IngestOutcome> | undefined)[] = new Array<Promise<IngestOutcome> | undefined>(paths.length);
  /** 1 once outcomes[i] has settled (read without awaiting, to decide whether to parse here meanwhile). */
  const settled = new Uint8Array(paths.length);
  let launched = 0;
  const track = (index: number, p: Promise<IngestOutcome>): void => {
    // Awaited below in order; never an unhandled rejection.
    void p.then(
      () => (settled[index] = 1),
      () => (settled[index] = 1),
    );
    outcomes[index] = p;
  };
  const parseHere = (): Promise<IngestOutcome> => {
    const index = launched++;
    const p = parseStationFile(paths[index]!, parseOptions);
    track(index, p);
    return p;
  };
  /** Keeps each parse thread THREAD_REQUESTS_IN_FLIGHT requests ahead, within `ahead` of file i. */
  const feedThreads = (i: number): void => {
    if (pool === null) return;
    while (pool.inFlight < THREAD_REQUESTS_IN_FLIGHT * THREAD_CHUNK_FILES * threads && launched < paths.length && launched - i < ahead) {
      const start = launched;
      const n = Math.min(THREAD_CHUNK_FILES, paths.length - start, ahead - (start - i));
      pool.parseMany(paths.slice(start, start + n)).forEach((p, k) => track(start + k, p));
      launched += n;
    }
  };
  let batch: { readonly index: number; readonly file: ParsedFile }[] = [];
  let batchMeasurements = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const written = batch;
    batch = [];
    batchMeasurements = 0;
    const stored = await store.recordParsedFiles(written.map((b) => b.file));
    written.forEach(({ index, file }, k) => {
      results[index] = parsedFileResult(paths[index]!, file, stored[k]!);
      options.onFile?.(index + 1, paths.length, results[index]);
    });
  };
  try {
    for (let i = 0; i < paths.length; i++) {
      if (pool === null) {
        // Keep `ahead` files parsing while file i is written.
        while (launched < paths.length && launched - i < ahead) void parseHere();
      } else {
        feedThreads(i);
        // File i is still on a thread: parse the next files here meanwhile instead of waiting (the writer's
        // thread is the other core's share of the parsing), looking at the threads' answers between files.
        while (settled[i] === 0 && launched < paths.length && launched - i < ahead) {
          await parseHere().catch(() => undefined);
          await new Promise<void>((resolve) => setImmediate(resolve));
          feedThreads(i);
        }
      }
      const outcome = await outcomes[i]!;
      outcomes[i] = undefined;
      if (outcome.kind === 'parsed') {
        batch.push({ index: i, file: outcome.file });
        batchMeasurements += measurementCount(outcome.file);
        if (batch.length >= BATCH_FILES || batchMeasurements >= BATCH_MEASUREMENTS) await flush();
        continue;
      }
      await flush(); // strictly in path order
      results[i] = await recordOutcome(store, paths[i]!, outcome);
      options.onFile?.(i + 1, paths.length, results[i]!);
    }
    await flush();
  } finally {
    await pool?.close();
  }
  const summary = summarize(results);
  // The lot's manifest beside its files is a contract the evaluation holds the lot to.
  await timedPhase('manifests', () => recordManifestsBeside(store, paths, summary.lots));
  return summary;
}

export function summarize(results: readonly IngestFileResult[]): IngestSummary {
  const quarantineByReason: Partial<Record<QuarantineReason, number>> = {};
  const profilesUsed: Record<string, number> = {};
  const lots = new Set<string>();
  const units = new Set<string>();
  let runs = 0;
  let measurements = 0;
  let quarantinedRows = 0;
  for (const r of results) {
    runs += r.runs;
    measurements += r.measurements;
    quarantinedRows += r.quarantined;
    for (const [k, v] of Object.entries(r.quarantineByReason))
      quarantineByReason[k as QuarantineReason] = (quarantineByReason[k as QuarantineReason] ?? 0) + v;
    for (const l of r.lots) lots.add(l);
    for (const u of r.serials) units.add(u);
    if (r.profileChoice) {
      const id = /'([^']+)'/.exec(r.profileChoice)?.[1] ?? r.profileChoice;
      profilesUsed[id] = (profilesUsed[id] ?? 0) + 1;
    }
  }
  return {
    files: results.length,
    stored: results.filter((r) => r.status === 'stored').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    rejected: results.filter((r) => r.status === 'rejected').length,
    units: units.size,
    runs,
    measurements,
    quarantinedRows,
    quarantineByReason,
    rejections: results.filter((r) => r.rejection).map((r) => ({ path: r.path, ...r.rejection! })),
    lots: [...lots].sort(),
    profilesUsed,
  };
}
