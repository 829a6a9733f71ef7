/**
 * @module Chart threads — a lot's charts evaluated on more than one core. The 228 charts of a DR8 lot
 * are independent given the measurement cube, so the cube is built once in shared memory and the calling
 * thread and the chart threads claim charts from one shared counter until none is left (whoever is free
 * takes the next). Every chart is the same pure function of the same inputs wherever it runs
 * (evaluateChart), and the answers are placed by chart index before the lot-level steps run on the
 * calling thread, so the LotResult and its hash do not depend on the thread count or on timing.
 *
 * @example
 * const threads = new ChartThreads(1); // started early: its modules load while the lot is read
 * try {
 *   const result = await threads.evaluate(input);
 * } finally {
 *   await threads.close();
 * }
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { baselineCellKey, type BaselineCell } from '../domain/baseline.js';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { LotResult } from '../domain/lot-result.js';
import type { ProductSpec } from '../domain/product-spec.js';
import {
  baselineCellsByKey,
  evaluateChart,
  evaluateLot,
  finishEvaluation,
  judgeUnits,
  openEvaluation,
  type CellWork,
  type EvaluateLotInput,
} from '../evaluate/evaluate-lot.js';
import type { MeasurementCube } from '../evaluate/measurement-cube.js';

/** @internal Message to a chart thread: one lot's charts to claim from `next`. */
export interface ChartRequest {
  readonly id: number;
  readonly spec: ProductSpec;
  readonly policy: AcceptancePolicy;
  readonly baselineCells: readonly BaselineCell[];
  /** The cube's data without its lookup maps (they do not cross to a thread; the thread rebuilds them). */
  readonly cube: Pick<MeasurementCube, 'parameters' | 'corners' | 'laneCount' | 'runCount' | 'values' | 'censoring'>;
  readonly units: readonly { readonly serial: string; readonly finalRun: number }[];
  /** One Int32 on a SharedArrayBuffer: the next chart index to claim (Atomics.add). */
  readonly next: SharedArrayBuffer;
}

/** @internal One chart a thread evaluated: its work without the cell definition (the caller has it). */
export interface ChartAnswer {
  readonly index: number;
  readonly work: Omit<CellWork, 'def'>;
}

/** @internal A thread's answer: the charts it evaluated; `failed`, a chart it claimed and could not. */
export interface ChartReply {
  readonly id: number;
  readonly answers: readonly ChartAnswer[];
  readonly failed: number | null;
}

const BOOTSTRAP = new URL('./chart-worker-bootstrap.mjs', import.meta.url);

/**
 * Chart threads worth starting. Measured on the 2-core machine, shared, at a 1-minute load of 21–28 (one
 * cold evaluation of the 10,000-unit lot per process, 3 interleaved pairs, README "Performance"): with one
 * thread it took 123–128 of the 228 charts and the calling thread's own CPU fell from 1.21–1.44 s to
 * 0.95–1.16 s, but the process used 2.60–3.08 s of CPU against 2.02–2.33 s, for no better wall time: the
 * thread's own heap, module loading and compiled copy of the statistics are paid for, and even alone the
 * evaluation keeps the second core ~40 % busy with V8's garbage-collection and compiler threads (0.8–0.9 s
 * of the 2.0–2.3 s is off the calling thread); at load 14–15 the wall was worse with the thread (4.8–6.1 s
 * against 2.8–3.7 s), the calling thread waiting for it. So, as for parse threads (parse-pool.ts), threads are used
 * only with at least 4 cores of which 2 or more are idle (1-minute load average): then one per idle core
 * beyond the calling thread's, at most 3. The result is identical either way. `LOTQA_EVALUATE_THREADS=<n>`
 * overrides the choice (0: every chart on the calling thread), e.g. to measure on a quiet 2-core machine.
 */
export function defaultEvaluateThreads(): number {
  const forced = process.env.LOTQA_EVALUATE_THREADS;
  if (forced !== undefined && forced !== '') return Math.max(0, Math.min(8, Number.parseInt(forced, 10) || 0));
  const cores = availableParallelism();
  if (cores < 4) return 0;
  const idle = Math.floor(cores - (loadavg()[0] ?? 0));
  return idle < 2 ? 0 : Math.min(3, cores - 1, idle - 1);
}

interface Thread {
  readonly worker: Worker;
  /** The request waiting for this thread's answer, if any. */
  pending: { readonly id: number; readonly settle: (reply: ChartReply | null) => void } | null;
  dead: boolean;
}

export class ChartThreads {
  readonly #threads: Thread[] = [];
  #nextId = 0;
  #closed = false;
  /** Charts of the last lot evaluated here and answered by the threads (what a test or a bench reads). */
  #lastSplit = { here: 0, threads: 0 };

  /** Starts `threads` chart threads (0: none — evaluate then runs every chart on the calling thread). */
  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(BOOTSTRAP);
      // Idle threads never keep the process alive (one left open by an error path costs nothing); a
      // thread holds it only while a lot's charts wait for its answer.
      worker.unref();
      const thread: Thread = { worker, pending: null, dead: false };
      worker.on('message', (reply: ChartReply) => {
        if (thread.pending?.id !== reply.id) return;
        const { settle } = thread.pending;
        thread.pending = null;
        worker.unref();
        settle(reply);
      });
      // A thread that fails answers nothing: the calling thread evaluates the charts it did not answer.
      const lost = (): void => {
        thread.dead = true;
        const p = thread.pending;
        thread.pending = null;
        p?.settle(null);
      };
      worker.on('error', lost);
      worker.on('exit', lost);
      this.#threads.push(thread);
    }
  }

  /** How the last lot's charts were shared: evaluated on the calling thread, answered by the threads. */
  get lastSplit(): { readonly here: number; readonly threads: number } {
    return this.#lastSplit;
  }

  /** Chart threads started (0 when the calling thread works alone). */
  get size(): number {
    return this.#threads.length;
  }

  /** evaluateLot, with the charts shared among the calling thread and the chart threads: the same LotResult. */
  async evaluate(input: EvaluateLotInput): Promise<LotResult> {
    const live = this.#threads.filter((t) => !t.dead && t.pending === null);
    if (live.length === 0 || this.#closed) return evaluateLot(input);
    const opened = openEvaluation(input, { sharedCube: true });
    if (opened.kind === 'held') return opened.result;
    const { view } = opened;
    const { cube, cells } = view;
    const next = new SharedArrayBuffer(4);
    const baselineCells = input.baseline?.payload.cells ?? [];
    const request: Omit<ChartRequest, 'id'> = {
      spec: input.spec,
      policy: input.policy,
      baselineCells,
      cube: {
        parameters: cube.parameters,
        corners: cube.corners,
        laneCount: cube.laneCount,
        runCount: cube.runCount,
        values: cube.values,
        censoring: cube.censoring,
      },
      units: view.units.map((u) => ({ serial: u.serial, finalRun: u.finalRun })),
      next,
    };
    const replies = live.map(
      (thread) =>
        new Promise<ChartReply | null>((settle) => {
          const id = this.#nextId++;
          thread.pending = { id, settle };
          thread.worker.ref();
          thread.worker.postMessage({ ...request, id } satisfies ChartRequest);
        }),
    );
    // The units are judged here while the threads start on the charts.
    const judged = judgeUnits(view);
    const base = baselineCellsByKey(baselineCells);
    const failuresOf = (i: number): number => {
      const def = cells[i]!;
      return judged.finalFailureCount.get(baselineCellKey(def.parameter.id, def.corner, def.lane)) ?? 0;
    };
    const chartHere = (i: number): CellWork => {
      const def = cells[i]!;
      return evaluateChart(view, def, input.policy, base.get(baselineCellKey(def.parameter.id, def.corner, def.lane)), failuresOf(i));
    };
    const work: (CellWork | undefined)[] = new Array<CellWork | undefined>(cells.length);
    const claim = new Int32Array(next);
    for (let i = Atomics.add(claim, 0, 1); i < cells.length; i = Atomics.add(claim, 0, 1)) work[i] = chartHere(i);
    let answered = 0;
    for (const reply of await Promise.all(replies))
      for (const a of reply?.answers ?? []) {
        answered++;
        const failures = failuresOf(a.index);
        // Spread keeps the keys' order: the same record as the calling thread writes, with its count.
        work[a.index] = { ...a.work, def: cells[a.index]!, result: { ...a.work.result, failures } };
      }
    // Charts a thread claimed and did not answer (it failed, or stopped): evaluated here, failing as alone.
    for (let i = 0; i < cells.length; i++) work[i] ??= chartHere(i);
    this.#lastSplit = { here: cells.length - answered, threads: answered };
    return finishEvaluation(input, view, judged, work as CellWork[]);
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#threads) {
      const p = t.pending;
      t.pending = null;
      p?.settle(null);
    }
    await Promise.all(this.#threads.map((t) => t.worker.terminate()));
  }
}
