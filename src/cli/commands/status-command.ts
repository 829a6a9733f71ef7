/**
 * @module `lotqa status` — lots in the store (units, files, completeness, revision, decision) and the
 * queues' job counts.
 */
import { LotqaError } from '../../errors/lotqa-error.js';
import type { Command } from 'commander';
import { columns, commandConfig, printJsonValue, printLine, withConfiguredStore, withProducerQueues } from '../../queue/cli-support.js';
import { allLotStatus, lotStatus, type LotStatus } from '../../queue/lot-status.js';
import { queueCounts } from '../../queue/lotqa-queues.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('Show lots (units, files, completeness, latest revision and decision) and queue counts')
    .argument('[lot]', 'one lot only')
    .option('--json', 'print as JSON')
    .action(async (lot: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      const stored = await withConfiguredStore(config, async (store) => {
        if (lot === undefined) return allLotStatus(store);
        const one = await lotStatus(store, lot);
        if (!one) throw new LotqaError(`lot ${lot} has nothing stored`, { hint: 'check the id with `lotqa status`, or submit its files' });
        return { lots: [one], rejectedFiles: (await store.listRejectedFiles()).length };
      });
      let queues: Awaited<ReturnType<typeof queueCounts>> | { error: string };
      try {
        queues = await withProducerQueues(config, queueCounts);
      } catch (err) {
        queues = { error: (err as Error).message };
      }
      if (opts.json) {
        printJsonValue({ ...stored, queues });
        return;
      }
      const row = (s: LotStatus): string[] => [
        s.lot,
        s.productId,
        String(s.units) + (s.expectedUnits !== null ? `/${s.expectedUnits}` : ''),
        String(s.files),
        s.state,
        s.latestRevision === null ? '-' : `r${s.latestRevision}`,
        s.decision ?? '-',
        String(s.certificates),
      ];
      printLine(
        columns([['LOT', 'PRODUCT', 'UNITS', 'FILES', 'STATE', 'REV', 'DECISION', 'CERTS'], ...stored.lots.map(row)]) ||
          'no lots stored yet',
      );
      printLine(`rejected files: ${stored.rejectedFiles}`);
      printLine();
      if ('error' in queues) printLine(`queues: ${queues.error}`);
      else {
        printLine(
          columns([
            ['QUEUE', 'WAITING', 'DELAYED', 'ACTIVE', 'FAILED', 'COMPLETED'],
            ...Object.entries(queues).map(([name, c]) => [
              name,
              String(c.waiting ?? 0),
              String(c.delayed ?? 0),
              String(c.active ?? 0),
              String(c.failed ?? 0),
              String(c.completed ?? 0),
            ]),
          ]),
        );
      }
    });
}
