/**
 * @module Putting station files on the ingest queue: hash each file, find its lot manifest, add one job
 * per file whose id is derived from the file's SHA-256 (so the same content is processed once however
 * often it is submitted). Producers only need Redis; the workers read the files at the same path.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { collectStationFiles } from '../pipeline/collect-files.js';
import { Catalog, type CatalogEntry, type CatalogKind } from '../domain/catalog.js';
import { ingestBatchJobId, ingestJobId, type IngestJobData, type IngestQueueJobData } from './job-ids.js';
import type { LotqaQueues } from './lotqa-queues.js';
import { RedisUnavailableError } from './redis-connection.js';
import { isRedisLoginRefused, RedisLoginError } from './service-faults.js';
import { agreeing, counted } from '../domain/counted.js';

export class SubmitError extends LotqaError {
  override name = 'SubmitError';
}

/** What `submit` learns from a lot's `manifest.json` (written by the ATE cell or `lotqa generate`). */
export interface LotManifestInfo {
  readonly lot: string | null;
  readonly product: string | null;
  readonly profile: string | null;
  readonly quantity: number | null;
}

/** Reads `manifest.json` in `dir`, or null when there is none. */
export function readLotManifest(dir: string): LotManifestInfo | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new SubmitError(`${path} is not valid JSON (${(err as Error).message}): fix it or remove it and pass --product`);
  }
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
  const q = m.quantity;
  if (q !== undefined && (typeof q !== 'number' || !Number.isInteger(q) || q < 1)) {
    throw new SubmitError(`${path}: "quantity" must be a whole number ≥ 1, got ${JSON.stringify(q)}`);
  }
  return { lot: str(m.lot), product: str(m.product), profile: str(m.profile), quantity: typeof q === 'number' ? q : null };
}

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export interface SubmitOptions {
  /** Product id or spec path; else each folder's manifest.json names it. */
  readonly product?: string | undefined;
  /** Station profile id or path; else detected per file by the worker. */
  readonly profile?: string | undefined;
  /** The configured catalogs (shipped + catalogDirs); the workers must find the same documents in theirs. */
  readonly catalog?: Catalog | undefined;
  /**
   * Files per ingest job. 1: a job per file (its id is the file's SHA-256; a failed file is a failed job).
   * More: consecutive files share a job and the queue's per-job cost (see IngestBatchJobData); a file that
   * fails for what it says still ends as its own failed file job. @defaultValue 1
   */
  readonly filesPerJob?: number | undefined;
}

/**
 * Files per ingest job of `lotqa submit` unless told otherwise. Measured on a 10,000-unit lot (bench/queue-bench.ts,
 * quiet 2-core machine): one job per file 1,412 files/s with one worker process and 1,762 with two; 16 per job 2,060
 * and 2,584 — the queue's per-job cost (Redis scripts, job locks) paid once per 16 files. A file refused for what
 * it says still fails as its own job either way.
 */
export const SUBMIT_FILES_PER_JOB = 16;

/**
 * A document a job names: workers find it by id in their catalogs (never by a path of this machine,
 * never by its content in the job), and check its SHA-256 so both sides use the very same document.
 */
function sharedDocument<T>(catalog: Catalog, kind: CatalogKind, entry: CatalogEntry<T>, ref: string): CatalogEntry<T> {
  const shared = catalog.shared(kind, entry.id);
  if (shared === null)
    throw new SubmitError(
      `${kind} '${ref}' (id '${entry.id}') is not in a catalog folder: queue workers find ${kind}s by id in their catalogs. Put ${entry.path} in a folder named in "catalogDirs" (or LOTQA_CATALOG_DIRS) of the workers and of this command, then submit again.`,
    );
  return entry;
}

export interface SubmittedFile {
  readonly path: string;
  readonly sha256: string;
  readonly jobId: string;
  readonly productId: string;
  readonly lot: string | null;
}

/** The ingest job for one file (hashing it), without adding it. */
export async function ingestJobFor(
  path: string,
  options: SubmitOptions,
  manifest: LotManifestInfo | null,
): Promise<{ id: string; data: IngestJobData }> {
  const productRef = options.product ?? manifest?.product ?? null;
  if (!productRef) {
    throw new SubmitError(`${path}: which product is it? Pass --product <id> or put a manifest.json with "product" beside the files`);
  }
  const catalog = options.catalog ?? new Catalog();
  const product = sharedDocument(catalog, 'product', catalog.product(productRef), productRef);
  const profile =
    options.profile !== undefined
      ? sharedDocument(catalog, 'station profile', catalog.profile(options.profile), options.profile)
      : undefined;
  const sha256 = await sha256OfFile(path);
  const data: IngestJobData = {
    kind: 'ingest',
    path,
    sha256,
    productId: product.id,
    productSha256: product.sha256,
    ...(profile ? { profileId: profile.id, profileSha256: profile.sha256 } : {}),
    ...(manifest?.lot && manifest.quantity ? { manifest: { lot: manifest.lot, quantity: manifest.quantity } } : {}),
  };
  return { id: ingestJobId(sha256), data };
}

/** Hashes and enqueues the station files under `paths` (files or folders). */
export async function submitFiles(queues: LotqaQueues, paths: readonly string[], options: SubmitOptions = {}): Promise<SubmittedFile[]> {
  const files = await collectStationFiles(paths);
  if (files.length === 0) throw new SubmitError(`no station files (.csv, .txt, .tsv, .dat) under ${paths.join(', ')}`);
  const manifests = new Map<string, LotManifestInfo | null>();
  const out: SubmittedFile[] = [];
  const filesPerJob = Math.max(1, Math.floor(options.filesPerJob ?? 1));
  const batch: { name: string; data: IngestQueueJobData; opts: { jobId: string } }[] = [];
  const pending: { path: string; data: IngestJobData; lot: string | null }[] = []; // files of the next job
  let queued = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const part = batch.splice(0);
    try {
      await queues.ingest.addBulk(part);
    } catch (err) {
      throw interrupted(err, queued, files.length);
    }
    queued += part.reduce((n, j) => n + (j.data.kind === 'ingest-batch' ? j.data.files.length : 1), 0);
  };
  const closeJob = (): void => {
    if (pending.length === 0) return;
    const group = pending.splice(0);
    const only = group.length === 1 ? group[0]! : null;
    const jobId = only ? ingestJobId(only.data.sha256) : ingestBatchJobId(group.map((f) => f.data.sha256));
    batch.push(
      only
        ? { name: 'ingest-file', data: only.data, opts: { jobId } }
        : { name: 'ingest-files', data: { kind: 'ingest-batch', files: group.map((f) => f.data) }, opts: { jobId } },
    );
    for (const f of group) out.push({ path: f.path, sha256: f.data.sha256, jobId, productId: f.data.productId, lot: f.lot });
  };
  for (const path of files) {
    const dir = dirname(path);
    if (!manifests.has(dir)) manifests.set(dir, readLotManifest(dir));
    const manifest = manifests.get(dir) ?? null;
    const job = await ingestJobFor(path, options, manifest);
    pending.push({ path, data: job.data, lot: manifest?.lot ?? null });
    if (pending.length >= filesPerJob) closeJob();
    if (batch.length * filesPerJob >= 500) await flush();
  }
  closeJob();
  await flush();
  return out;
}

/**
 * Redis failed while the jobs were being added: say how far it got and that submitting again is safe
 * (a file's job id is its SHA-256, so files already queued are not queued twice).
 */
function interrupted(err: unknown, queued: number, total: number): LotqaError {
  const what = err instanceof Error ? err.message : String(err);
  if (isRedisLoginRefused(err)) return new RedisLoginError(`Redis refused the login while files were being queued (${what})`);
  return new RedisUnavailableError(
    `the connection to Redis was lost while files were being queued (${what}): ${queued} of ${counted(total, 'file')} ${agreeing(queued, 'was', 'were')} queued before it`,
    {
      hint: 'when Redis is back, run the same `lotqa submit` again: files already queued are recognised by their SHA-256 and not queued twice',
      cause: err,
    },
  );
}
