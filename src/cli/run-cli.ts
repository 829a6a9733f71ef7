/**
 * @module One `lotqa` invocation: builds the command tree for `argv`, runs it, and turns a failure into
 * the lines a person reads and the exit code (see `src/cli/failure.ts`). `main.ts` calls it for the
 * binary; tests call it in-process with their own argv.
 */
import { ExitCode } from '../errors/lotqa-error.js';
import { describeFailure } from './failure.js';
import { buildProgram } from './program.js';

/** Runs `lotqa` for `argv` (`[node, script, ...args]`) and resolves with its exit code. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    const { exitCode, lines } = describeFailure(err, Boolean(process.env.LOTQA_DEBUG));
    for (const line of lines) process.stderr.write(`${line}\n`);
    return exitCode;
  }
}
