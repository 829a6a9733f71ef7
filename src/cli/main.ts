/**
 * @module Entry point of the `lotqa` CLI. What a failure looks like to the person at the terminal:
 *
 *     lotqa: lot "L9999" has no stored test runs
 *     hint: ingest its station files first, or list the known lots with `lotqa lots`
 *
 * never an internal class name, the stack only with `LOTQA_DEBUG=1`. Exit codes follow the convention
 * of `src/errors/lotqa-error.ts`: 0 done (and every lot decided accepted), 1 a file rejected or a usage
 * error, 2 a configuration or service problem, 3 a lot on HOLD or REJECTED (set by the commands that
 * decide), 4 verify found a mismatch.
 */
import { runCli } from './run-cli.js';

// `lotqa status | head`: the reader went away. Stop quietly, as Unix tools do, instead of an unhandled EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Not a top-level await: the build also bundles this entry as a CommonJS script (scripts/build.mjs).
void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
