/**
 * @module A small pool of worker threads that parse station files while the calling thread writes to
 * the store (the store has a single writer: SQLite is one connection, and one file is one transaction).
 * On a 2-core machine this overlaps parsing with writing; outcomes come back packed in typed arrays
 * (see parsed-file-transfer.ts), so receiving a file costs the writer little.
 *
 * @example
 * const pool = new ParsePool({ product, profiles }, 1);
 * try {
 *   const outcome = await pool.parse('/drop/L2401_SN0001_1.csv');
 * } finally {
 *   await pool.close();
 * }
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IngestOutcome } from '../domain/measurement.js';
import type { ParseStationFileOptions } from '../ingest/parse-station-file.js';
import { StationProfileError } from '../ingest/ingest-errors.js';
import { unpackOutcome, type PackedOutcome } from './parsed-file-transfer.js';

/** @internal Message to a worker. */
export interface ParseRequest {
  readonly id: number;
  readonly path: string;
}

/** @internal Message from a worker. */
export type ParseReply =
  | { readonly id: number; readonly kind: 'outcome'; readonly outcome: PackedOutcome }
  | {
      readonly id: number;
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack: string;
      readonly profile: { readonly profileId: string; readonly problem: string } | null;
    };

/** A parse thread died (crash, out of memory): the files it held were not parsed. */
export class ParsePoolError extends LotqaError {
  override readonly name = 'ParsePoolError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { exitCode: ExitCode.configOrService, hint: 'LOTQA_DEBUG=1 shows where the parsing thread failed', ...options });
  }
}

interface Pending {
  readonly resolve: (outcome: IngestOutcome) => void;
  readonly reject: (err: Error) => void;
  readonly thread: Thread;
}

interface Thread {
  readonly worker: Worker;
  inFlight: number;
}

const BOOTSTRAP = new URL('./parse-worker-bootstrap.mjs', import.meta.url);

/**
 * Parse threads worth starting for `files` files. Measured on the 2-core machine (bench/ingest-bench.ts,
 * 10,000 per-unit files): the parsing itself costs ~1.8× the CPU on a pool thread (a second heap and
 * its GC, packing, messages, tsx loading the parser again), so with one spare core the overlap with
 * the writer gains nothing, and on a busy machine it loses. Threads are therefore used only with at
 * least 4 cores of which 2 or more are idle (1-minute load average), for lots of 500+ files; then one
 * per idle core beyond the writer's, at most 4. The outcome is identical either way.
 * `LOTQA_PARSE_THREADS=<n>` overrides the choice (0 parses on the writer's thread), e.g. to measure.
 */
export function defaultParseThreads(files: number): number {
  const forced = process.env.LOTQA_PARSE_THREADS;
  if (forced !== undefined && forced !== '') return Math.max(0, Math.min(8, Number.parseInt(forced, 10) || 0));
  const cores = availableParallelism();
  if (files < 500 || cores < 4) return 0;
  const idle = Math.floor(cores - (loadavg()[0] ?? 0));
  return idle < 2 ? 0 : Math.min(4, cores - 1, idle - 1);
}

export class ParsePool {
  readonly #threads: Thread[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #broken: Error | null = null;
  #closed = false;

  /** Starts `threads` (≥ 1) worker threads, each with its own copy of the product and profiles. */
  constructor(options: ParseStationFileOptions, threads: number) {
    const data: ParseStationFileOptions = {
      product: options.product,
      profile: options.profile,
      profiles: options.profiles,
      products: options.products,
      wholeFileBytes: options.wholeFileBytes,
    };
    for (let i = 0; i < Math.max(1, threads); i++) {
      const worker = new Worker(BOOTSTRAP, { workerData: data });
      const thread: Thread = { worker, inFlight: 0 };
      worker.on('message', (reply: ParseReply) => this.#settle(thread, reply));
      worker.on('error', (err) => this.#fail(new ParsePoolError(`A parse thread failed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => {
        if (!this.#closed) this.#fail(new ParsePoolError(`A parse thread stopped unexpectedly (exit code ${code}).`));
      });
      this.#threads.push(thread);
    }
  }

  /** Parses one file on the least busy thread; rejects as parseStationFile would (StationProfileError). */
  parse(path: string): Promise<IngestOutcome> {
    if (this.#broken !== null) return Promise.reject(this.#broken);
    if (this.#closed) return Promise.reject(new ParsePoolError('The parse pool is closed.'));
    let thread = this.#threads[0] as Thread;
    for (const t of this.#threads) if (t.inFlight < thread.inFlight) thread = t;
    const id = this.#nextId++;
    thread.inFlight++;
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, thread });
      thread.worker.postMessage({ id, path } satisfies ParseRequest);
    });
  }

  /** Stops the threads; parses still pending are rejected. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejectAll(new ParsePoolError('The parse pool was closed before the file was parsed.'));
    await Promise.all(this.#threads.map((t) => t.worker.terminate()));
  }

  #settle(thread: Thread, reply: ParseReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    thread.inFlight--;
    if (reply.kind === 'outcome') {
      pending.resolve(unpackOutcome(reply.outcome));
      return;
    }
    const err =
      reply.profile !== null
        ? new StationProfileError(reply.profile.profileId, reply.profile.problem)
        : Object.assign(new Error(reply.message), { name: reply.name });
    err.stack = reply.stack;
    pending.reject(err);
  }

  #fail(err: Error): void {
    this.#broken ??= err;
    this.#rejectAll(err);
  }

  #rejectAll(err: Error): void {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
    for (const t of this.#threads) t.inFlight = 0;
  }
}
