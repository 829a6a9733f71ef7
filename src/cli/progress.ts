/**
 * @module Progress display: a bar on a terminal (cli-progress), plain periodic lines when not a
 * terminal (CI logs, pipes), nothing with --json so machine output stays clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(label: string, total: number): void;
  tick(done: number): void;
  stop(): void;
}

export function createProgress(options: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { start() {}, tick() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: '{label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (label, total) => bar.start(total, 0, { label }),
      tick: (done) => bar.update(done),
      stop: () => bar.stop(),
    };
  }
  let label = '';
  let total = 0;
  let lastPct = -1;
  return {
    start(l, t) {
      label = l;
      total = t;
      lastPct = -1;
      stream.write(`${label}: ${t} to do\n`);
    },
    tick(done) {
      const pct = total === 0 ? 100 : Math.floor((done / total) * 10) * 10;
      if (pct !== lastPct && pct > 0) {
        lastPct = pct;
        stream.write(`${label}: ${pct}% (${done}/${total})\n`);
      }
    },
    stop() {},
  };
}
