/**
 * @module The `lotqa` command tree. Each command lives in its own file under ./commands and is a thin
 * shell around src/pipeline: parse flags, call the stage, print.
 */
import { Command } from 'commander';
import { readHelpIndex, registerHelpPlaceholders } from './commands/help-index.js';
import { registerCommands } from './commands/index.js';
import { LOTQA_VERSION } from '../version.js';

/**
 * @param argv when given, only the module of the command named in it is loaded (faster start-up);
 *   without it (or for `--help`) every command is registered.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name('lotqa')
    .description('Lot QA for optical transceiver factories: ingest ATE CSVs, SPC, lot decision, certificates')
    .version(LOTQA_VERSION)
    .option('--config <file>', 'configuration file (default ./lotqa.config.json, or LOTQA_CONFIG)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const first = argv?.slice(2).find((a) => !a.startsWith('-'));
  const configIndex = argv ? argv.indexOf('--config') : -1;
  const name = configIndex >= 0 && argv?.[configIndex + 1] === first ? argv?.slice(configIndex + 2).find((a) => !a.startsWith('-')) : first;
  // `lotqa --version` needs no command at all.
  if (name === undefined && argv && (argv.includes('--version') || argv.includes('-V'))) return program;
  // `lotqa` / `lotqa --help` on the compiled build: list the commands from the build's index.
  const index = name === undefined && argv ? readHelpIndex() : null;
  if (index) registerHelpPlaceholders(program, index);
  else await registerCommands(program, name === 'help' ? undefined : name);
  return program;
}
