/**
 * @module Job ids and names. Custom BullMQ ids must not contain ':' (the key separator) and must not be
 * all digits, so lot ids — free text from the factory — are hashed into a short key.
 */
import { createHash } from 'node:crypto';

export const QUEUE_NAMES = ['ingest', 'evaluate', 'report', 'sign-off'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Id of the one scheduler that runs the sign-off (upserted, never duplicated). */
export const SIGN_OFF_SCHEDULER_ID = 'lotqa-sign-off';

/** A file's ingest job: the same content (SHA-256) is one job however often it is submitted. */
export function ingestJobId(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return `ingest-${sha256}`;
}

/**
 * A batch of file jobs (see IngestBatchJobData): its id is derived from its files' SHA-256s in order, so
 * submitting the same folder again makes the same batches, and BullMQ keeps one job per batch.
 */
export function ingestBatchJobId(sha256s: readonly string[]): string {
  for (const s of sha256s) ingestJobId(s); // the same check as a single file's
  return `ingest-batch-${createHash('sha256').update(sha256s.join(','), 'utf8').digest('hex')}`;
}

/** 24 hex characters of SHA-256 over the lot id: safe in job ids and Redis keys whatever the lot is called. */
export function lotKey(lot: string): string {
  return createHash('sha256').update(lot, 'utf8').digest('hex').slice(0, 24);
}

/** Deduplication id of a lot's pending evaluation (debounced while files keep arriving). */
export function evaluateDedupId(lot: string): string {
  return `evaluate-${lotKey(lot)}`;
}

/** A lot revision's report job: one per revision. */
export function reportJobId(lot: string, revision: number): string {
  return `report-${lotKey(lot)}-r${revision}`;
}

export interface IngestJobData {
  readonly kind: 'ingest';
  /** Absolute path as the workers see it (a shared drop folder or volume). */
  readonly path: string;
  readonly sha256: string;
  readonly productId: string;
  /** SHA-256 of the product spec the submitter resolved: the worker must find the same document under productId. */
  readonly productSha256?: string | undefined;
  readonly profileId?: string | undefined;
  readonly profileSha256?: string | undefined;
  /** From the lot's manifest.json: the lot and how many units it will have. */
  readonly manifest?: { readonly lot: string; readonly quantity: number } | undefined;
}

/**
 * Several files in one job: the per-job cost of the queue (a Redis script to take the job, one to finish
 * it, their events, lock renewal) is paid once for all of them. Each file is processed as its own file job
 * would be; a file that cannot be stored for what it says is handed to its own file job (which fails with
 * the reason, as a file submitted alone does), and any other failure retries the batch, whose stored files
 * are then duplicates (the store keeps a file once by its SHA-256).
 */
export interface IngestBatchJobData {
  readonly kind: 'ingest-batch';
  readonly files: readonly IngestJobData[];
}

/** What the ingest queue carries: one file, or a batch of them. */
export type IngestQueueJobData = IngestJobData | IngestBatchJobData;

export interface EvaluateJobData {
  readonly kind: 'evaluate';
  readonly lot: string;
  /** What asked for it: 'ingest', 'close-lot', … (for the logs and the dashboard). */
  readonly trigger: string;
}

export interface ReportJobData {
  readonly kind: 'report';
  readonly lot: string;
  readonly revision: number;
}

export interface SignOffJobData {
  readonly kind: 'sign-off';
}

export type LotqaJobData = IngestJobData | IngestBatchJobData | EvaluateJobData | ReportJobData | SignOffJobData;
