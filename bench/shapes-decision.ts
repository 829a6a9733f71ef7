/**
 * Healthy false-hold rate of the default policy on data shaped like a real factory's rather than like our
 * generator (issue 14): the independent source in bench/shapes-history.ts, the product's real stage
 * functions (buildBaseline, evaluateLot). Printed as Markdown for the README.
 *
 *   npx tsx bench/shapes-decision.ts [--histories 4] [--healthy 15] [--units 200] [--product qsfp112-400g-dr4]
 *                                    [--shapes a,b] [--workers 2] [--non-normal normal-theory|box-cox] [--baselines 5,10]
 *
 * Each history (its own seed) freezes a 5-lot or 10-lot baseline from its first lots, then evaluates `healthy`
 * further lots of the same healthy process. Every lot not ACCEPTed is a false hold; its HOLD/REJECT reasons are
 * counted by code (and parameter), so the table says what held it. Rates carry Wilson 95 % intervals.
 * `--non-normal` overrides the policy's capability route for clearly non-normal charts (to measure the default
 * policy against its earlier normal-theory judgement).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { findProduct } from '../src/domain/catalog.js';
import { rate } from './wilson-interval.js';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { buildBaseline } from '../src/evaluate/build-baseline.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { SHAPES, SHAPE_WORDS, shapedHistory, type Shape } from './shapes-history.js';

const BASELINES = [5, 10] as const;

interface Task {
  readonly shape: Shape;
  readonly baselineLots: number;
  readonly history: number;
  readonly healthy: number;
  readonly units: number;
  readonly product: string;
  readonly nonNormal: string | null;
}

interface Outcome {
  readonly task: Task;
  lots: number;
  held: number;
  /** Lots held with this reason (code: parameter), once per lot. */
  reasons: Record<string, number>;
  error?: string;
}

function runHistory(task: Task): Outcome {
  const spec = findProduct(task.product);
  const base = findPolicy('default');
  const policy =
    task.nonNormal === null
      ? base
      : { ...base, capability: { ...base.capability, default: { ...base.capability.default, nonNormal: task.nonNormal as 'box-cox' } } };
  const out: Outcome = { task, lots: 0, held: 0, reasons: {} };
  const data = shapedHistory({
    spec,
    shape: task.shape,
    seed: `shapes/${task.baselineLots}/${task.history}`,
    lots: task.baselineLots + task.healthy,
    units: task.units,
  });
  let payload;
  try {
    payload = buildBaseline({ spec, lots: data.slice(0, task.baselineLots), createdBy: 'shapes study' });
  } catch (err) {
    out.error = `baseline refused: ${(err as Error).message}`;
    return out;
  }
  const baseline = { version: 1, createdAt: '2026-01-01T00:00:00Z', payload };
  for (const lot of data.slice(task.baselineLots)) {
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    out.lots++;
    if (r.proposal.disposition !== 'ACCEPT') out.held++;
    const seen = new Set<string>();
    for (const x of r.proposal.reasons) if (x.severity !== 'INFO') seen.add(`${x.code}${x.parameter ? `: ${x.parameter}` : ''}`);
    for (const k of seen) out.reasons[k] = (out.reasons[k] ?? 0) + 1;
  }
  return out;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const histories = Number(flag('histories', '4'));
  const healthy = Number(flag('healthy', '15'));
  const units = Number(flag('units', '200'));
  const product = flag('product', 'qsfp112-400g-dr4');
  const workers = Number(flag('workers', '2'));
  const shapes = flag('shapes', SHAPES.join(',')).split(',') as Shape[];
  const nonNormal = process.argv.includes('--non-normal') ? flag('non-normal', 'box-cox') : null;
  const baselines = flag('baselines', BASELINES.join(','))
    .split(',')
    .map(Number)
    .filter((b) => Number.isInteger(b) && b > 0);
  const tasks: Task[] = [];
  for (let h = 0; h < histories; h++)
    for (const shape of shapes)
      for (const baselineLots of baselines) tasks.push({ shape, baselineLots, history: h, healthy, units, product, nonNormal });
  const started = performance.now();
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, tasks.length) }, async () => {
      const worker = new Worker(fileURLToPath(new URL('./shapes-decision-worker.mjs', import.meta.url)), { workerData: { worker: true } });
      try {
        while (next < tasks.length) {
          const task = tasks[next++]!;
          const outcome = await new Promise<Outcome>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.postMessage(task);
          });
          outcomes.push(outcome);
          process.stderr.write(
            `${outcomes.length}/${tasks.length} (${task.shape}, ${task.baselineLots}-lot baseline) ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
          );
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  const lines: string[] = [];
  lines.push(
    `Default policy, ${product}, ${units}-unit healthy lots from bench/shapes-history.ts; ${histories} histories per cell, ${healthy} lots after the baseline per history (\`npx tsx bench/shapes-decision.ts --histories ${histories} --healthy ${healthy} --units ${units} --product ${product}${nonNormal === null ? '' : ` --non-normal ${nonNormal}`}${shapes.length === SHAPES.length ? '' : ` --shapes ${shapes.join(',')}`}${baselines.join(',') === BASELINES.join(',') ? '' : ` --baselines ${baselines.join(',')}`}\`, ${((performance.now() - started) / 60000).toFixed(1)} min on ${workers} workers, load ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}). Held or rejected with Wilson 95 % intervals; reasons = lots held with that reason.`,
  );
  lines.push('');
  lines.push('| shape | baseline | healthy lots held or rejected | top reasons (lots) |');
  lines.push('|---|---|---|---|');
  for (const shape of shapes)
    for (const b of baselines) {
      const cell = outcomes.filter((o) => o.task.shape === shape && o.task.baselineLots === b);
      const n = cell.reduce((a, o) => a + o.lots, 0);
      const held = cell.reduce((a, o) => a + o.held, 0);
      const reasons: Record<string, number> = {};
      for (const o of cell) for (const [k, v] of Object.entries(o.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
      const top = Object.entries(reasons)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 3)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ');
      const refused = cell.filter((o) => o.error).length;
      lines.push(
        `| ${shape} (${SHAPE_WORDS[shape]}) | ${b} lots | ${rate(held, n)}${refused ? ` (${refused} baseline(s) refused: ${cell.find((o) => o.error)!.error})` : ''} | ${top || '—'} |`,
      );
    }
  console.log(lines.join('\n'));
}

if (isMainThread) {
  await main();
} else if ((workerData as { worker?: boolean } | null)?.worker) {
  parentPort!.on('message', (task: Task) => {
    try {
      parentPort!.postMessage(runHistory(task));
    } catch (err) {
      parentPort!.postMessage({ task, lots: 0, held: 0, reasons: {}, error: `crashed: ${(err as Error).stack ?? String(err)}` });
    }
  });
}
