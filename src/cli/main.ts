/**
 * @module Entry point of the `lotqa` CLI. Exit codes: 0 ok, 1 failure or something rejected, 2 usage error.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const e = err as Error;
    process.stderr.write(`lotqa: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}\n`);
    if (process.env.LOTQA_DEBUG) process.stderr.write(`${e.stack ?? ''}\n`);
    return 1;
  }
}

// `lotqa status | head`: the reader went away. Stop quietly, as Unix tools do, instead of an unhandled EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv);
