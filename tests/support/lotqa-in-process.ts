/**
 * `lotqa args…` in the test's own process: the entry the binary runs (src/cli/run-cli.ts, which
 * src/cli/main.ts calls with process.argv), with the working folder and environment a spawned process
 * would get, standard output and error captured, nothing on standard input and no terminal — as
 * `spawnSync(node, ['bin/lotqa.mjs', …], { cwd, env: { ...process.env, ...env } })` runs it, without the
 * ~0.3–1 s of a process start per call. A command that calls process.exit ends with that code here.
 * Each call starts with the catalogs forgotten (src/domain/catalog.ts `forgetCatalogs`), as a new
 * process does: a spec named by path in one command is not known by its id in the next.
 *
 * What only a real process shows (the compiled build, exit on a closed pipe, signals, the top-level
 * `--help` index of the build) stays with the tests that spawn bin/lotqa.mjs: tests/cli/exit-codes,
 * tests/cli/help-index, tests/cli/demo and the pipe test of tests/cli/cli.
 */
import { runCli } from '../../src/cli/run-cli.js';
import { forgetCatalogs } from '../../src/domain/catalog.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InProcessOptions {
  /** The working folder of the command (a spawned process's `cwd`). */
  readonly cwd: string;
  /** Added to (or overriding) the environment, as `{ ...process.env, ...env }` of a spawned process. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Thrown in place of process.exit while a command runs in-process. */
class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

/** Puts back an own property as it was (or removes it when it was inherited). */
function restore(target: object, key: string, saved: PropertyDescriptor | undefined): void {
  if (saved) Object.defineProperty(target, key, saved);
  else Reflect.deleteProperty(target, key);
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `lotqa args…`; calls are run one at a time (they share the process's cwd, env and streams). */
export function lotqaInProcess(args: readonly string[], options: InProcessOptions): Promise<CliRun> {
  const run = queue.then(() => runOnce(args, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(args: readonly string[], { cwd, env = {} }: InProcessOptions): Promise<CliRun> {
  const savedEnv = new Map(Object.keys(env).map((k) => [k, process.env[k]] as const));
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  const savedExit = Object.getOwnPropertyDescriptor(process, 'exit');
  const streams = [process.stdout, process.stderr] as const;
  const savedWrites = streams.map((s) => Object.getOwnPropertyDescriptor(s, 'write'));
  const savedTty = [...streams, process.stdin].map((s) => Object.getOwnPropertyDescriptor(s, 'isTTY'));
  const captured = ['', ''];
  let exited: { code: number; stderrLength: number } | null = null;
  try {
    for (const [k, v] of Object.entries(env)) process.env[k] = v;
    process.chdir(cwd);
    process.exitCode = undefined;
    // What a process keeps of the files named to it by path dies with it: a new command starts without.
    forgetCatalogs();
    process.exit = (code?: number | string | null) => {
      // A process would stop here: the code is this one, and nothing written after it counts.
      exited ??= { code: Number(code ?? process.exitCode ?? 0), stderrLength: captured[1]!.length };
      throw new ExitCalled(exited.code);
    };
    // Piped, as for a spawned process: no progress bars, no password prompt.
    for (const s of [...streams, process.stdin]) Object.defineProperty(s, 'isTTY', { value: false, configurable: true, writable: true });
    streams.forEach((s, i) => {
      s.write = (
        chunk: string | Uint8Array,
        encoding?: BufferEncoding | ((err?: Error | null) => void),
        cb?: (err?: Error | null) => void,
      ) => {
        captured[i] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
        const done = typeof encoding === 'function' ? encoding : cb;
        if (done) queueMicrotask(() => done(null));
        return true;
      };
    });
    let code: number;
    try {
      code = await runCli(['node', 'lotqa', ...args]);
    } catch (err) {
      if (!(err instanceof ExitCalled)) throw err;
      code = err.code;
    }
    const exit = exited as { code: number; stderrLength: number } | null;
    if (exit) return { code: exit.code, stdout: captured[0]!, stderr: captured[1]!.slice(0, exit.stderrLength) };
    return { code, stdout: captured[0]!, stderr: captured[1]! };
  } finally {
    // Nor does the next test file of this worker (isolate: false) find what this command named.
    forgetCatalogs();
    streams.forEach((s, i) => restore(s, 'write', savedWrites[i]));
    [...streams, process.stdin].forEach((s, i) => {
      restore(s, 'isTTY', savedTty[i]);
    });
    restore(process, 'exit', savedExit);
    process.exitCode = savedExitCode;
    process.chdir(savedCwd);
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
