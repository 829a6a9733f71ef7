/**
 * @module Opt-in phase timings: with `LOTQA_TIMINGS=1` each timed phase of a run prints one line to
 * stderr — `lotqa timing <phase>: <wall> ms wall, <cpu> ms CPU (this process, all threads)` — so a
 * profile of `lotqa run` can say where the time goes (ingest vs evaluation) without a profiler.
 * Off (the default) it costs one environment lookup per phase and prints nothing.
 *
 * @example
 * const lot = await timedPhase('load lot', () => store.loadLot(lot));
 */

function enabled(): boolean {
  const v = process.env.LOTQA_TIMINGS;
  return v !== undefined && v !== '' && v !== '0';
}

/** Runs `work` and, when timings are on, prints its wall and CPU time under `phase`. */
export async function timedPhase<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
  if (!enabled()) return work();
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    return await work();
  } finally {
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    process.stderr.write(`lotqa timing ${phase}: ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU\n`);
  }
}

/**
 * Prints the time from the process's start to now under `phase` (when timings are on): what start-up
 * (loading modules, reading the configuration) cost before the first timed phase.
 */
export function sinceProcessStart(phase: string): void {
  if (!enabled()) return;
  const cpu = process.cpuUsage();
  process.stderr.write(
    `lotqa timing ${phase}: ${performance.now().toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (since the process started)\n`,
  );
}

/**
 * Starts timing `phase`; the returned function ends it and prints the line (when timings are on).
 * For code that cannot be wrapped in a callback without moving it.
 */
export function startPhase(phase: string): () => void {
  if (!enabled()) return () => undefined;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    process.stderr.write(`lotqa timing ${phase}: ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU\n`);
  };
}
