/**
 * @module The processors: one function per queue, each a shell around a pipeline stage. They run in the
 * worker process, or (evaluate, report, sign-off) in BullMQ's sandbox child so a long evaluation never
 * blocks lock renewal. Idempotent by construction: the store refuses a second file with the same SHA-256,
 * a second decision per revision and a second certificate per revision, so a retried or doubled job
 * changes nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { UnknownCatalogEntryError, type CatalogEntry } from '../domain/catalog.js';
import { parseStationFile } from '../ingest/parse-station-file.js';
import { readLotManifestIn, type LotManifest } from '../ingest/lot-manifest.js';
import { recordLotManifest } from '../pipeline/lot-manifest.js';
import { voidedLots } from '../queries/lot-voids.js';
import { recordOutcome, type IngestFileResult } from '../pipeline/ingest-files.js';
import { evaluateRevision, signOffByPolicy } from '../pipeline/lot-stages.js';
import { issueReports } from '../pipeline/report-stage.js';
import { signOffLot } from '../pipeline/sign-off-lot.js';
import { LotProductConflictError, StoreInputError } from '../store/index.js';
import {
  ingestJobId,
  type EvaluateJobData,
  type IngestBatchJobData,
  type IngestJobData,
  type LotqaJobData,
  type ReportJobData,
  type SignOffJobData,
} from './job-ids.js';
import { counted } from '../domain/counted.js';
import { lotCompleteness, recordExpectedUnits } from './lot-completeness.js';
import { requestReports } from './lotqa-queues.js';
import type { LotqaRuntime } from './lotqa-runtime.js';

/** What a processor needs of a job: the same for an in-process Job and a sandboxed one. */
export interface LotqaJob<T> {
  readonly id?: string | undefined;
  readonly data: T;
  readonly attemptsMade: number;
  readonly opts: { readonly attempts?: number | undefined };
  updateProgress(value: number | object): Promise<void>;
}

/**
 * Test-only hook: `LOTQA_TEST_INGEST_DELAY_MS` holds each ingest job this long before it parses, so a test
 * can kill or stop a worker in the middle of a job. Never set in production.
 */
const testIngestDelayMs = (): number => Number(process.env.LOTQA_TEST_INGEST_DELAY_MS ?? 0) || 0;

/**
 * Test-only hook: `LOTQA_TEST_EVALUATE_BUSY_MS` keeps an evaluate job's thread busy this long, without
 * yielding, before it evaluates: a long evaluation as it blocks the event loop, for a test that kills a
 * worker in the middle of one. Never set in production.
 */
function testEvaluateBusy(): void {
  const busyMs = Number(process.env.LOTQA_TEST_EVALUATE_BUSY_MS ?? 0) || 0;
  for (const end = Date.now() + busyMs; Date.now() < end;) {
    // spin
  }
}

/**
 * The catalog entry a job names, when it is the very document the submitter resolved (same SHA-256);
 * otherwise the job fails at once: this worker's catalogs hold another version under that id.
 */
function sameDocument<T>(find: () => CatalogEntry<T>, sha256: string | undefined, path: string): CatalogEntry<T> {
  let entry: CatalogEntry<T>;
  try {
    entry = find();
  } catch (err) {
    if (!(err instanceof UnknownCatalogEntryError)) throw err;
    throw new UnrecoverableError(`${path}: ${err.message} (this worker's catalogs; give it the submitter's catalogDirs)`);
  }
  if (sha256 !== undefined && entry.sha256 !== sha256)
    throw new UnrecoverableError(
      `${path}: the job names '${entry.id}' with SHA-256 ${sha256.slice(0, 12)}…, but this worker's catalogs hold a different document under that id (${entry.path}, ${entry.sha256.slice(0, 12)}…). Give every worker and the submitter the same catalog folders (catalogDirs), then submit again.`,
    );
  return entry;
}

export type IngestJobResult = Pick<IngestFileResult, 'path' | 'status' | 'sha256' | 'lots' | 'runs' | 'measurements' | 'quarantined'>;

/**
 * Parses one file, stores it (or its rejection), and asks for the lots it touched to be evaluated. The
 * file is written with the other file jobs of this process that finish parsing meanwhile (group commit),
 * and the job completes only after its own file is committed and its lots' evaluation requested.
 * No progress updates: a file job takes milliseconds, and each update is a Redis script plus an event
 * (measured: four of them were an eighth of the worker's CPU per file).
 */
export async function processIngest(rt: LotqaRuntime, job: LotqaJob<IngestJobData>): Promise<IngestJobResult> {
  const { path, productId, profileId, manifest } = job.data;
  const delay = testIngestDelayMs();
  if (delay > 0) await sleep(delay);
  const product = sameDocument(() => rt.catalog.product(productId), job.data.productSha256, path).document;
  const profile = profileId ? sameDocument(() => rt.catalog.profile(profileId), job.data.profileSha256, path).document : undefined;
  const outcome = await parseStationFile(path, { product, profile, profiles: rt.profiles, products: rt.products });
  const attempts = job.opts.attempts ?? 1;
  if (outcome.kind === 'rejected' && outcome.file.reason === 'unreadable' && job.attemptsMade + 1 < attempts) {
    // The file may not have reached a shared volume yet: retry before recording it as rejected.
    throw new Error(outcome.file.message);
  }
  const result = await recordOutcome(rt.store, path, outcome, (file) => rt.fileWrites.submit(file)).catch((err: unknown) => {
    // Refused by the store for what the file says (its lot belongs to another product, a reading twice):
    // the same file will be refused again, so fail at once with the reason instead of retrying.
    if (err instanceof LotProductConflictError || err instanceof StoreInputError) {
      rt.log.warn({ path, err: err.message }, 'file refused by the store');
      throw new UnrecoverableError(`${path}: refused by the store: ${err.message}`);
    }
    throw err;
  });
  if (result.status === 'rejected') {
    const r = result.rejection!;
    rt.log.warn({ path, reason: r.reason, line: r.line }, 'file rejected');
    // Poison input: retrying cannot help. Recorded in the store; the job stays in the failed set with the reason.
    throw new UnrecoverableError(`${path}: rejected (${r.reason}${r.line !== null ? `, line ${r.line}` : ''}): ${r.message}`);
  }
  if (manifest) await expectedUnitsRecorded(rt, path, manifest);
  await Promise.all(result.lots.map((lot) => rt.evaluationRequests.submit(lot)));
  return {
    path,
    status: result.status,
    sha256: result.sha256,
    lots: result.lots,
    runs: result.runs,
    measurements: result.measurements,
    quarantined: result.quarantined,
  };
}

export interface IngestBatchJobResult {
  readonly files: number;
  readonly stored: number;
  readonly duplicate: number;
  /** Files refused for what they say, each handed to its own file job (which fails with the reason). */
  readonly handedOff: readonly string[];
}

/**
 * A batch of files (IngestBatchJobData), each processed as its own file job would be and all at once, so
 * they share the group commit. A file refused for what it says (UnrecoverableError) gets its own file job,
 * which meets the same refusal and keeps it in the failed set as a file submitted alone does; any other
 * failure (a service down, a file not yet readable) fails the batch after the rest are done, and the retry
 * finds the stored files duplicates. Nothing is stored twice and nothing is lost.
 */
export async function processIngestBatch(rt: LotqaRuntime, job: LotqaJob<IngestBatchJobData>): Promise<IngestBatchJobResult> {
  const files = job.data.files;
  const settled = await Promise.allSettled(
    files.map((data) =>
      processIngest(rt, { id: job.id, data, attemptsMade: job.attemptsMade, opts: job.opts, updateProgress: () => Promise.resolve() }),
    ),
  );
  const refused = files.filter((_, i) => {
    const s = settled[i]!;
    return s.status === 'rejected' && s.reason instanceof UnrecoverableError;
  });
  if (refused.length > 0)
    await rt.queues.ingest.addBulk(refused.map((data) => ({ name: 'ingest-file', data, opts: { jobId: ingestJobId(data.sha256) } })));
  const failed = settled.flatMap((s) => (s.status === 'rejected' && !(s.reason instanceof UnrecoverableError) ? [s.reason as Error] : []));
  if (failed.length > 0)
    throw new Error(
      `${counted(failed.length, 'file')} of a batch of ${files.length} not stored yet (first: ${failed[0]!.message}); retrying the batch`,
    );
  const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  return {
    files: files.length,
    stored: done.filter((r) => r.status === 'stored').length,
    duplicate: done.filter((r) => r.status === 'duplicate').length,
    handedOff: refused.map((f) => f.path),
  };
}

/**
 * Records the lot's manifest once per process: the file jobs that start together share one recording (a
 * manifest read with its serial list per job was 1 % of a worker's CPU on a 3,000-unit lot). A failed
 * recording is forgotten, so the job's retry (and the next job) records it again.
 */
function expectedUnitsRecorded(
  rt: LotqaRuntime,
  path: string,
  manifest: { readonly lot: string; readonly quantity: number },
): Promise<void> {
  const key = `${manifest.lot}\u0000${manifest.quantity}`;
  let recorded = rt.expectedRecorded.get(key);
  if (!recorded) {
    recorded = (async () => {
      // The whole manifest beside the file (its serial list too) when this worker can read it, else what the job carries.
      let beside: LotManifest | null = null;
      try {
        beside = readLotManifestIn(dirname(path));
      } catch {
        // submit read it whole; a manifest changed since falls back to the quantity the job carries
      }
      if (beside?.lot === manifest.lot && beside.quantity === manifest.quantity) await recordLotManifest(rt.store, beside);
      else await recordExpectedUnits(rt.store, manifest.lot, manifest.quantity, 'lotqa:manifest', 'manifest.json');
    })();
    rt.expectedRecorded.set(key, recorded);
    recorded.catch(() => rt.expectedRecorded.delete(key));
  }
  return recorded;
}

export type EvaluateJobResult =
  | { readonly status: 'waiting'; readonly lot: string; readonly why: string }
  | {
      readonly status: 'decided';
      readonly lot: string;
      readonly revision: number;
      readonly resultSha256: string;
      readonly disposition: string;
      readonly created: boolean;
    };

/** Evaluates a complete lot's current revision and records the policy's decision (once per revision). */
export async function processEvaluate(rt: LotqaRuntime, job: LotqaJob<EvaluateJobData>): Promise<EvaluateJobResult> {
  const { lot } = job.data;
  const completeness = await lotCompleteness(rt.store, lot);
  if (!completeness.complete) return { status: 'waiting', lot, why: completeness.why };
  await job.updateProgress(10);
  testEvaluateBusy();
  const evaluated = await evaluateRevision(rt.store, lot, { policy: rt.policy, findSpec: (id) => rt.catalog.product(id).document });
  await job.updateProgress(70);
  const signOff = await signOffByPolicy(rt.store, evaluated, { policy: rt.policy });
  await requestReports(rt.queues, lot, evaluated.revision);
  await job.updateProgress(100);
  rt.log.info({ lot, revision: evaluated.revision, disposition: signOff.decision.disposition, created: signOff.created }, 'lot decided');
  return {
    status: 'decided',
    lot,
    revision: evaluated.revision,
    resultSha256: evaluated.resultSha256,
    disposition: signOff.decision.disposition,
    created: signOff.created,
  };
}

export interface ReportJobResult {
  readonly lot: string;
  readonly revision: number;
  readonly coc: string | null;
  readonly certificateRecorded: boolean;
}

/** Writes a decided revision's reports and records its certificate (one per revision). */
export async function processReport(rt: LotqaRuntime, job: LotqaJob<ReportJobData>): Promise<ReportJobResult> {
  const { lot, revision } = job.data;
  await job.updateProgress(10);
  const issued = await issueReports(rt.store, lot, {
    outDir: rt.config.reportsDir,
    context: rt.context,
    revision,
    findSpec: (id) => rt.catalog.product(id).document,
  });
  await job.updateProgress(100);
  return { lot, revision, coc: issued.coc ?? null, certificateRecorded: issued.certificateRecorded };
}

export interface SignOffRunResult {
  readonly scanned: number;
  readonly signedOff: readonly { lot: string; revision: number; disposition: string; created: boolean }[];
  readonly waiting: readonly { lot: string; why: string }[];
  readonly upToDate: number;
}

/** Does the lot's current content still need a decision (or its certificate)? */
async function needsSignOff(rt: LotqaRuntime, lot: string): Promise<boolean> {
  if ((await voidedLots(rt.store, [lot])).has(lot)) return false; // void: never decided again
  const latest = await rt.store.latestEvaluationHead(lot);
  if (!latest) return true;
  // New files since the latest evaluation? (One definition of a lot's content: domain/lot-content.ts.)
  if (latest.contentHash !== (await rt.store.lotContentHash(lot))) return true;
  const decisions = (await rt.store.listDecisions(lot)).filter((d) => d.revision === latest.revision);
  if (decisions.length === 0) return true;
  // A decided ACCEPT whose certificate was never recorded (its report job lost or failed): catch up too.
  const accepted = decisions.some((d) => d.disposition === 'ACCEPT');
  return accepted && !(await rt.store.listCertificates(lot)).some((c) => c.revision === latest.revision);
}

async function signOffOne(
  rt: LotqaRuntime,
  lot: string,
): Promise<{ lot: string; revision: number; disposition: string; created: boolean }> {
  const done = await signOffLot(rt.store, lot, {
    policy: rt.policy,
    reports: { outDir: rt.config.reportsDir, context: rt.context },
    findSpec: (id) => rt.catalog.product(id).document,
  });
  const outcome = { lot, revision: done.evaluated.revision, disposition: done.signOff.decision.disposition, created: done.signOff.created };
  rt.log.info(outcome, 'scheduled sign-off');
  return outcome;
}

/**
 * The scheduled sign-off: scans the store (not events, so a run after downtime catches up on everything
 * missed) and signs off every complete lot whose current content has no decision yet.
 */
export async function processSignOff(rt: LotqaRuntime, job: LotqaJob<SignOffJobData>): Promise<SignOffRunResult> {
  const lots = await rt.store.listLotIds();
  const signedOff: { lot: string; revision: number; disposition: string; created: boolean }[] = [];
  const waiting: { lot: string; why: string }[] = [];
  let upToDate = 0;
  let reported = -1;
  for (const [i, lot] of lots.entries()) {
    // Decided lots are most of the store after a while: settle those first, with the cheapest checks.
    if (!(await needsSignOff(rt, lot))) upToDate++;
    else {
      const completeness = await lotCompleteness(rt.store, lot);
      if (!completeness.complete) waiting.push({ lot, why: completeness.why });
      else signedOff.push(await signOffOne(rt, lot));
    }
    const percent = Math.round(((i + 1) / lots.length) * 100);
    if (percent !== reported) await job.updateProgress((reported = percent)); // a Redis call each: once per percent
  }
  return { scanned: lots.length, signedOff, waiting, upToDate };
}

/** One entry for every queue (used by the sandbox child, which gets all lot jobs through one file). */
export async function processLotqaJob(rt: LotqaRuntime, job: LotqaJob<LotqaJobData>): Promise<unknown> {
  const data = job.data;
  switch (data.kind) {
    case 'ingest':
      return processIngest(rt, job as LotqaJob<IngestJobData>);
    case 'ingest-batch':
      return processIngestBatch(rt, job as LotqaJob<IngestBatchJobData>);
    case 'evaluate':
      return processEvaluate(rt, job as LotqaJob<EvaluateJobData>);
    case 'report':
      return processReport(rt, job as LotqaJob<ReportJobData>);
    case 'sign-off':
      return processSignOff(rt, job as LotqaJob<SignOffJobData>);
    default:
      throw new UnrecoverableError(
        `unknown lotqa job kind ${JSON.stringify((data as { kind?: unknown }).kind)}: was it added by a newer lotqa?`,
      );
  }
}
