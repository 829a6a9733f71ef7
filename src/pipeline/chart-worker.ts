/**
 * @module The body of one chart thread: for each lot the calling thread sends, it claims chart after
 * chart from the lot's shared counter, evaluates each exactly as the calling thread would (evaluateChart
 * on the same cube, read in place from shared memory) and answers them all in one message. The calling
 * thread places every answer by its chart's index, so which thread evaluated what never shows.
 */
import { parentPort } from 'node:worker_threads';
import { baselineCellsByKey, evaluateChart } from '../evaluate/evaluate-lot.js';
import { cellDefsOf } from '../evaluate/lot-view.js';
import { MeasurementCube } from '../evaluate/measurement-cube.js';
import { baselineCellKey } from '../domain/baseline.js';
import type { ChartAnswer, ChartReply, ChartRequest } from './chart-threads.js';

const port = parentPort;
if (port === null) throw new Error('chart-worker.ts runs only as a worker thread of ChartThreads.');

port.on('message', (request: ChartRequest) => {
  const { cube: c } = request;
  const cube = new MeasurementCube(c.parameters, c.corners, c.laneCount, c.runCount, {
    arrays: { values: c.values, censoring: c.censoring },
  });
  const source = { spec: request.spec, cube, units: request.units };
  const cells = cellDefsOf(request.spec, cube);
  const base = baselineCellsByKey(request.baselineCells);
  const next = new Int32Array(request.next);
  const answers: ChartAnswer[] = [];
  let failed: number | null = null;
  for (let i = Atomics.add(next, 0, 1); i < cells.length; i = Atomics.add(next, 0, 1)) {
    const def = cells[i]!;
    try {
      // Failures at the final attempt are counted by the calling thread, which writes them in.
      const { def: _, ...work } = evaluateChart(
        source,
        def,
        request.policy,
        base.get(baselineCellKey(def.parameter.id, def.corner, def.lane)),
        0,
      );
      answers.push({ index: i, work });
    } catch {
      // Unanswered: the calling thread evaluates this chart itself and fails there, as it would alone.
      failed = i;
      break;
    }
  }
  port.postMessage({ id: request.id, answers, failed } satisfies ChartReply);
});
