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

/** @internal Message to a worker: parse these files, in this order, and answer them in one message. */
export interface ParseRequest {
  readonly id: number;
  readonly paths: readonly string[];
}

/** @internal One file's answer within a reply. */
export type ParseAnswer =
  | { readonly kind: 'outcome'; readonly outcome: PackedOutcome }
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack: string;
      readonly profile: { readonly profileId: string; readonly problem: string } | null;
    };

/**
 * @internal Message from a worker: the answers of a request's files, in its order, with every file's
 * column buffer transferred. One message per request, not per file: a message wakes the writer's event
 * loop, and at ~200 readings per file the hand-over per file cost as much as the parsing it saved.
 */
export interface ParseReply {
  readonly id: number;
  readonly answers: readonly ParseAnswer[];
}

/** A parse thread died (crash, out of memory): the files it held were not parsed. */
export class ParsePoolError extends LotqaError {
  override readonly name = 'ParsePoolError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { exitCode: ExitCode.configOrService, hint: 'LOTQA_DEBUG=1 shows where the parsing thread failed', ...options });
  }
}

interface Pending {
  readonly files: readonly { readonly resolve: (outcome: IngestOutcome) => void; readonly reject: (err: Error) => void }[];
  readonly thread: Thread;
}

interface Thread {
  readonly worker: Worker;
  /** Files sent to this thread and not answered yet. */
  inFlight: number;
}

const BOOTSTRAP = new URL('./parse-worker-bootstrap.mjs', import.meta.url);

/**
 * Parse threads worth starting for `files` files. Measured on the 2-core machine, shared, at a 1-minute
 * load of ~19–21 (`lotqa ingest` of the 10,000-unit lot, 3 interleaved pairs, README "Performance"):
 * with one thread (files sent 16 per message, the writer parsing too while it waits) the process used
 * 6.8–8.3 s of CPU against 5.3–6.5 s without, for no better wall time: a second heap, its GC and its
 * own compiled copy of the parser are paid for, and a saturated machine has no idle core to give back.
 * Threads are therefore used only with at least 4 cores of which 2 or more are idle (1-minute load
 * average), for lots of 500+ files; then one per idle core beyond the writer's, at most 4. The outcome
 * is identical either way. `LOTQA_PARSE_THREADS=<n>` overrides the choice (0 parses on the writer's
 * thread), e.g. to measure on a quiet 2-core machine.
 *
 * Re-measured on 2 cores with the deeper thread queue (ingest-files.ts THREAD_CHUNK_FILES), `lotqa run
 * --no-reports` of the 10,000-unit lot, interleaved pairs. Quiet (1-minute load 0.5–1.5, 7 pairs): ingest
 * median 1.91 s with a thread vs 1.92 s without, the whole run 4.19 s vs 4.01 s, ~1.2 s more CPU with it
 * (the thread's own heap and GC — V8's helper threads ~1.2 s against ~0.6 s — and JIT). Under load
 * (3.2–4.4) it lost 8 of 11 pairs. Still no gain to turn it on for 2 cores. Why the wall time does not
 * follow the CPU split (writer ~1.4 s and thread ~1.4 s of CPU against ~2.1 s for the writer alone) is not
 * established: two copies of a plain CPU-bound script ran 1.4–1.9× slower each than one alone, but with
 * another run on the machine, so contention between this VM's two vCPUs is suspected, not shown.
 *
 * Re-measured after the writer's cuts (ingest-pipeline, `lotqa run --no-reports`, 10,000 units, 3
 * interleaved rounds, 1-minute load 8.5–10.6: no quiet moment was available): ingest CPU median 2.64 s
 * without a thread vs 3.87 s with one, ingest wall 5.6 s vs 7.5 s. Having the thread also prepare and
 * pack the files for the store did not help (the writer then parses more itself; +0.3 s CPU in all):
 * still none on 2 cores. Quiet (load 1.2, 3 pairs, after the parser's and writer's cuts): ingest 1.81 /
 * 1.81 / 1.84 s with a thread vs 2.13 / 1.83 / 1.86 s without, +1.0 s CPU, peak RSS 401–412 MB vs
 * 334–358 MB. Why the second core gives so little: a pure-arithmetic Node loop runs as fast twice at once
 * as alone (3.9 s each), but an allocating one (strings and arrays, like parsing) already keeps the second
 * core busy with V8's garbage-collection helper threads when alone (5.0 s wall), and two at once run 1.25×
 * slower each — the parse thread competes with the writer's own GC helpers for that core.
 *
 * The other split was tried too (2026-12-05, `lotqa run --no-reports`, 10,000 units, 3 interleaved pairs at
 * load 3–4): this thread parsing and a store-writer thread with its own SQLite connection writing the
 * batches, each batch moved as one JSON text of the files' heads plus one transferred buffer of their
 * columns. Ingest 1.33 / 1.35 / 1.47 s with it vs 1.36 / 1.36 / 1.84 s without, +0.6–0.7 s CPU: packing the
 * batches cost this thread ~110 ms and unpacking the writer ~50 ms, this thread still waited ~150 ms for the
 * writer, and the writer's own GC and JIT ate the rest of the ~0.55 s of writes it took over. Nor did
 * `--single-threaded-gc` (no GC helper threads on the second core) make a parse thread pay (quiet, 2 pairs):
 * ingest 1.36 / 1.38 s with a thread vs 1.26 / 1.29 s without.
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
    return this.parseMany([path])[0]!;
  }

  /**
   * Parses the files on the least busy thread, one after another, answered in one message: one promise
   * per file, each settling as parseStationFile would for that file.
   */
  parseMany(paths: readonly string[]): Promise<IngestOutcome>[] {
    if (this.#broken !== null || this.#closed) {
      const err = this.#broken ?? new ParsePoolError('The parse pool is closed.');
      return paths.map(() => Promise.reject(err));
    }
    let thread = this.#threads[0] as Thread;
    for (const t of this.#threads) if (t.inFlight < thread.inFlight) thread = t;
    const id = this.#nextId++;
    thread.inFlight += paths.length;
    const files: Pending['files'][number][] = [];
    const promises = paths.map((): Promise<IngestOutcome> => new Promise((resolve, reject) => files.push({ resolve, reject })));
    this.#pending.set(id, { files, thread });
    thread.worker.postMessage({ id, paths: [...paths] } satisfies ParseRequest);
    return promises;
  }

  /** Files sent to the threads and not answered yet. */
  get inFlight(): number {
    let n = 0;
    for (const t of this.#threads) n += t.inFlight;
    return n;
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
    thread.inFlight -= pending.files.length;
    pending.files.forEach((file, k) => {
      const answer = reply.answers[k];
      if (answer === undefined) {
        file.reject(new ParsePoolError(`A parse thread answered ${reply.answers.length} of ${pending.files.length} files.`));
        return;
      }
      if (answer.kind === 'outcome') {
        file.resolve(unpackOutcome(answer.outcome));
        return;
      }
      const err =
        answer.profile !== null
          ? new StationProfileError(answer.profile.profileId, answer.profile.problem)
          : Object.assign(new Error(answer.message), { name: answer.name });
      err.stack = answer.stack;
      file.reject(err);
    });
  }

  #fail(err: Error): void {
    this.#broken ??= err;
    this.#rejectAll(err);
  }

  #rejectAll(err: Error): void {
    for (const p of this.#pending.values()) for (const f of p.files) f.reject(err);
    this.#pending.clear();
    for (const t of this.#threads) t.inFlight = 0;
  }
}
