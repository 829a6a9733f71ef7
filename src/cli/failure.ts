/**
 * @module How the CLI reports the error that ended a command: `lotqa: <message>`, then `hint: <what to
 * do>`, and the exit code the error carries (see `src/errors/lotqa-error.ts`). No class names; the stack
 * only when asked for (LOTQA_DEBUG).
 */
import { CommanderError } from 'commander';
import { ExitCode, LotqaError } from '../errors/lotqa-error.js';

/** The exit code and the lines to print for an error that ended the command. */
export function describeFailure(err: unknown, debug: boolean): { exitCode: number; lines: string[] } {
  if (err instanceof CommanderError) {
    // Commander already printed the usage problem (or the help / version asked for).
    return { exitCode: err.exitCode === 0 ? ExitCode.ok : ExitCode.rejectedOrUsage, lines: [] };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const lines = [`lotqa: ${e.message}`];
  if (e instanceof LotqaError && e.hint) lines.push(`hint: ${e.hint}`);
  else if (!(e instanceof LotqaError) && !debug) lines.push('hint: LOTQA_DEBUG=1 shows where it happened');
  if (debug) lines.push(e.stack ?? '');
  return { exitCode: e instanceof LotqaError ? e.exitCode : ExitCode.rejectedOrUsage, lines };
}
