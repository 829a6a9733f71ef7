/**
 * Spawns a real worker process with plain `node` (no npx in between, so a signal reaches the worker
 * itself): the compiled worker (dist/workers/<entry>.js) as a deployment runs it, when the build is
 * fresh (the vitest global setup builds it; scripts/build.mjs `buildIsFresh`, as bin/lotqa.mjs decides),
 * else — or with `{ from: 'sources' }` — the TypeScript sources through the tsx loader.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from '../../../scripts/build.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SpawnedWorker {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
}

export interface SpawnWorkerOptions {
  /**
   * 'build' (default): dist/ when it is fresh, else the sources; 'sources': always the sources through tsx.
   * @defaultValue 'build'
   */
  readonly from?: 'build' | 'sources';
}

export function spawnWorker(entry: string, env: NodeJS.ProcessEnv, options: SpawnWorkerOptions = {}): SpawnedWorker {
  const args = options.from !== 'sources' && buildIsFresh() ? [`dist/workers/${entry}.js`] : ['--import', 'tsx', `workers/${entry}.ts`];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return { child, output: () => out, exited };
}

/** Kills the worker if it is still running (test cleanup). */
export async function stopWorker(w: SpawnedWorker): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) {
    w.child.kill('SIGKILL');
    await w.exited;
  }
}
