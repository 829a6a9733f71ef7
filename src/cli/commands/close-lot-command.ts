/**
 * @module `lotqa close-lot` — declares a lot complete (now, or once N units are stored) and queues its
 * evaluation.
 */
import type { Command } from 'commander';
import { commandConfig, printLine, wholeNumber, withConfiguredStore, withProducerQueues } from '../../queue/cli-support.js';
import { closeLot } from '../../queue/lot-completeness.js';
import { requestEvaluation } from '../../queue/lotqa-queues.js';
import { userInfo } from 'node:os';

export function registerCloseLotCommand(program: Command): void {
  program
    .command('close-lot')
    .description('Close a lot: no more units are coming (or: complete once N units are stored); the workers then evaluate and sign it off')
    .argument('<lot>', 'lot id')
    .option('--expected <n>', 'the lot is complete once this many units are stored', wholeNumber('--expected', 1))
    .option('--by <name>', 'who closes it (audit trail)', userInfo().username)
    .action(async (lot: string, opts: { expected?: number; by: string }, cmd: Command) => {
      const config = commandConfig(cmd);
      // Check Redis first: fail before writing anything when the evaluation could not be queued.
      await withProducerQueues(config, async (queues) => {
        const c = await withConfiguredStore(config, (store) => closeLot(store, lot, { expectedUnits: opts.expected, actor: opts.by }));
        printLine(`lot ${lot}: ${c.why}`);
        if (c.complete) {
          const id = await requestEvaluation(queues, lot, 'close-lot', 0);
          printLine(`evaluation queued (job ${id})`);
        } else {
          printLine('it will be evaluated when the last unit is stored');
        }
      });
    });
}
