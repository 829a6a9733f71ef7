/**
 * @module The top-level `lotqa --help` without loading the commands. Registering every command imports
 * the whole pipeline (store, queue client, PDF renderer): about a second before a line is printed. The
 * build (scripts/build.mjs) writes each visible command's help line from the real commands into
 * help-index.json beside this file; `lotqa`, `lotqa --help` then list the commands from that index. With
 * no index (running the sources through tsx) every command is registered as before.
 * tests/cli/help-index.test.ts checks that both give the same help text.
 */
import { readFileSync } from 'node:fs';
import { Help, type Command } from 'commander';

export const HELP_INDEX_FILE = 'help-index.json';

/** One line of the command list: the term (`run [options] <dir>`) and its description. */
export interface CommandHelpLine {
  readonly name: string;
  readonly term: string;
  readonly description: string;
  readonly group?: string;
}

/** The command list of a program whose commands are all registered. */
export function commandHelpIndex(program: Command): CommandHelpLine[] {
  const help = program.createHelp();
  return program.commands
    .filter((cmd) => !(cmd as unknown as { _hidden: boolean })._hidden)
    .map((cmd) => ({
      name: cmd.name(),
      term: help.subcommandTerm(cmd),
      description: help.subcommandDescription(cmd),
      ...(cmd.helpGroup() ? { group: cmd.helpGroup() } : {}),
    }));
}

/** The index the build wrote, or null (sources, or no build). */
export function readHelpIndex(url: URL = new URL(`./${HELP_INDEX_FILE}`, import.meta.url)): CommandHelpLine[] | null {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as CommandHelpLine[];
  } catch {
    return null;
  }
}

/** Adds a placeholder command per index line, shown in help as the real command would be. */
export function registerHelpPlaceholders(program: Command, index: readonly CommandHelpLine[]): void {
  const terms = new Map(index.map((line) => [line.name, line.term]));
  for (const line of index) {
    const cmd = program.command(line.name).description(line.description);
    if (line.group) cmd.helpGroup(line.group);
  }
  program.configureHelp({
    subcommandTerm: (cmd) => terms.get(cmd.name()) ?? new Help().subcommandTerm(cmd),
  });
}
