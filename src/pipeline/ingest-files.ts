/**
 * @module Ingest stage — station files in, every row stored or quarantined, every unreadable file
 * rejected with its reason. The same function serves `lotqa ingest`, `lotqa run` and the queue worker.
 *
 * Parsing streams each file (bounded memory) and runs a few files at a time; writes go to the store one
 * file per transaction, so each file lands whole or not at all, and a file seen before (same SHA-256) is
 * recognised and not counted twice.
 */
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import type { QuarantineReason, FileRejectionReason, IngestOutcome } from '../domain/measurement.js';
import { parseStationFile } from '../ingest/parse-station-file.js';
import type { Store } from '../store/store.js';

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
  readonly parallel?: number;
  readonly onFile?: (done: number, total: number, result: IngestFileResult) => void;
}

/** Parses one file and records the outcome in the store: the unit of work of an ingest job. */
export async function ingestOneFile(
  store: Store,
  path: string,
  options: Omit<IngestOptions, 'onFile' | 'parallel'>,
): Promise<IngestFileResult> {
  const outcome = await parseStationFile(path, { product: options.product, profile: options.profile, profiles: options.profiles });
  return recordOutcome(store, path, outcome);
}

export async function recordOutcome(store: Store, path: string, outcome: IngestOutcome): Promise<IngestFileResult> {
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
  const f = outcome.file;
  const res = await store.recordParsedFile(f);
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
    measurements: dup ? 0 : f.measurements.length,
    quarantined: dup ? 0 : f.quarantine.length,
    quarantineByReason: dup ? {} : byReason,
    profileChoice: f.profileChoice,
    rejection: null,
  };
}

export async function ingestFiles(store: Store, paths: readonly string[], options: IngestOptions): Promise<IngestSummary> {
  const parallel = Math.max(1, options.parallel ?? 4);
  const results: IngestFileResult[] = new Array(paths.length);
  let next = 0;
  let done = 0;
  // Parse ahead in parallel, record strictly one file at a time (one transaction each).
  let writeChain: Promise<void> = Promise.resolve();
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      const outcome = await parseStationFile(path, { product: options.product, profile: options.profile, profiles: options.profiles });
      const write = writeChain.then(async () => {
        results[i] = await recordOutcome(store, path, outcome);
        done++;
        options.onFile?.(done, paths.length, results[i]!);
      });
      writeChain = write.catch(() => undefined);
      await write;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, paths.length) }, worker));
  return summarize(results);
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
