/**
 * @module Every `lotqa` command, registered on the program in the order `--help` lists them.
 */
import type { Command } from 'commander';
import { registerBaselineCommand } from './baseline-command.js';
import { registerDemoCommand } from './demo-command.js';
import { registerGenerateCommand } from './generate-command.js';
import { registerIngestCommand } from './ingest-command.js';
import { registerLotCommands } from './lot-commands.js';
import { registerRunCommand } from './run-command.js';

export function registerCommands(program: Command): void {
  registerDemoCommand(program);
  registerRunCommand(program);
  registerGenerateCommand(program);
  registerIngestCommand(program);
  registerBaselineCommand(program);
  registerLotCommands(program);
}
