/**
 * @module `lotqa lot void <lot> --reason …` and `lotqa lot move <lot> --product … --reason …`: correct a
 * lot stored by mistake or under the wrong product, audited, without deleting any file or decision.
 */
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { configOf, out, withStore } from '../cli-context.js';

export function registerLotCorrectionCommands(program: Command): void {
  // `lot` also carries `set` (lot-set-command.ts): add to it rather than define it twice.
  const lot =
    program.commands.find((c) => c.name() === 'lot') ??
    program
      .command('lot')
      .description('Change what is kept with a lot: who it ships to, or correct it (void, move) without destroying evidence');

  lot
    .command('void')
    .description(
      'Void a lot stored by mistake: it stays with its files, evaluations and decisions, is shown as void and kept out of baselines',
    )
    .argument('<lot>', 'lot id')
    .requiredOption('--reason <text>', 'why (audit trail)')
    .option('--by <name>', 'who voids it (audit trail)', userInfo().username)
    .action(async (id: string, flags: { reason: string; by: string }, cmd: Command) => {
      const { voidLot } = await import('../../pipeline/lot-void-move.js');
      await withStore(configOf(cmd), (store) => voidLot(store, { lot: id, reason: flags.reason, by: flags.by }));
      out(`lot ${id} is void; nothing stored was deleted (lotqa audit ${id})`);
    });

  lot
    .command('move')
    .description('Put a lot stored under the wrong product under the right one; its next evaluation is a new revision under that product')
    .argument('<lot>', 'lot id')
    .requiredOption('--product <id|file>', 'the right product spec: catalog id or JSON file')
    .requiredOption('--reason <text>', 'why (audit trail)')
    .option('--by <name>', 'who moves it (audit trail)', userInfo().username)
    .action(async (id: string, flags: { product: string; reason: string; by: string }, cmd: Command) => {
      const config = configOf(cmd);
      const { catalogFor } = await import('../catalog-options.js');
      const { moveLot } = await import('../../pipeline/lot-void-move.js');
      const to = catalogFor(config).product(flags.product).document;
      const moved = await withStore(config, (store) => moveLot(store, { lot: id, to, reason: flags.reason, by: flags.by }));
      out(`lot ${id} moved from ${moved.from} to ${moved.to}; evaluate it again for a new revision (lotqa evaluate ${id})`);
    });
}
