/**
 * @module `lotqa conflicts <lot>` lists the files that report the same unit's test with different
 * readings; `lotqa conflicts resolve <lot> <serial> --keep <sha256> --reason …` keeps one (audited).
 */
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { configOf, out, printJson, table, withStore } from '../cli-context.js';
import { lotConflicts, resolveConflict } from '../../pipeline/lot-conflicts.js';

export function registerConflictsCommand(program: Command): void {
  const conflicts = program
    .command('conflicts')
    .description('List the files that report the same unit, attempt and test time with different readings (they hold the lot)')
    .argument('<lot>', 'lot id')
    .option('--json', 'print as JSON')
    .action(async (lot: string, flags: { json?: boolean }, cmd: Command) => {
      const list = await withStore(configOf(cmd), (store) => lotConflicts(store, lot));
      if (flags.json) return printJson(list);
      if (list.length === 0) return out(`lot ${lot}: no conflicts`);
      out(
        table([
          ['serial', 'test time', 'files (sha256 from station)', 'state'],
          ...list.map((c) => [
            c.serial,
            c.testTime,
            c.files.map((f, i) => `${f} from ${c.stations[i] ?? '?'}`).join(' '),
            c.resolution === null
              ? 'OPEN (holds the lot)'
              : `kept ${c.resolution.kept.slice(0, 12)} by ${c.resolution.by}: ${c.resolution.reason}`,
          ]),
        ]),
      );
      const open = list.filter((c) => c.resolution === null).length;
      if (open > 0) out(`\n${open} open: lotqa conflicts resolve ${lot} <serial> --keep <sha256> --reason "…"`);
    });

  conflicts
    .command('resolve')
    .description('Settle a conflict: keep one file for the unit at that test time (the others stay stored, out of the lot)')
    .argument('<lot>', 'lot id')
    .argument('<serial>', 'unit serial')
    .requiredOption('--keep <sha256>', 'SHA-256 (or its first 8+ hex digits) of the file to keep')
    .requiredOption('--reason <text>', 'why this file is the right one (audit trail)')
    .option('--by <name>', 'who resolves it (audit trail)', userInfo().username)
    .action(async (lot: string, serial: string, flags: { keep: string; reason: string; by: string }, cmd: Command) => {
      const c = await withStore(configOf(cmd), (store) =>
        resolveConflict(store, { lot, serial, keep: flags.keep, reason: flags.reason, by: flags.by }),
      );
      out(
        `lot ${lot}: unit ${c.serial} at ${c.testTime} — kept ${c.resolution?.kept ?? flags.keep}; the next evaluation is a new revision (lotqa evaluate ${lot})`,
      );
    });
}
