/**
 * @module The `lotqa` command tree. Each command lives in its own file under ./commands and is a thin
 * shell around src/pipeline: parse flags, call the stage, print.
 */
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { LOTQA_VERSION } from '../version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('lotqa')
    .description('Lot QA for optical transceiver factories: ingest ATE CSVs, SPC, lot decision, certificates')
    .version(LOTQA_VERSION)
    .option('--config <file>', 'configuration file (default ./lotqa.config.json, or LOTQA_CONFIG)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}
