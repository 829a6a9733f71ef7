/**
 * @module `lotqa lot set <lot>` — who a lot ships to: customer, purchase order, ship-to address, kept
 * with the lot and printed on its certificate. A change is an audit event (who, why, what it was); when
 * the lot's current revision already has an issued certificate, it is re-issued at once as the next
 * revision (the one before stands superseded), unless `--no-reissue`.
 */
import { Command } from 'commander';
import { LotqaError } from '../../errors/lotqa-error.js';
import { certificateContext, configOf, out, shipmentFlags, whoRuns, withStore } from '../cli-context.js';

export function registerLotSetCommand(program: Command): void {
  // `lot` may carry other subcommands (void, move): add `set` to it rather than define it twice.
  const lot = program.commands.find((c) => c.name() === 'lot') ?? program.command('lot').description('Change what is kept with a lot');
  lot
    .command('set')
    .description("Set a lot's customer, purchase order and ship-to address (audited; re-issues its current certificate)")
    .argument('<lot>', 'lot id')
    .option('--customer <name>', 'customer (an empty string clears it)')
    .option('--po <number>', 'purchase order (an empty string clears it)')
    .option('--ship-to <address>', 'ship-to address (an empty string clears it)')
    .option('--reason <text>', 'why (recorded in the audit trail)', 'set by lotqa lot set')
    .option('--by <name>', 'who (default: LOTQA_USER or the login name)')
    .option('--out <dir>', 'report folder of the re-issued certificate')
    .option('--no-reissue', 'store the change only; the certificate is re-issued by the next `lotqa report`')
    .action(
      async (
        lotId: string,
        flags: { customer?: string; po?: string; shipTo?: string; reason: string; by?: string; out?: string; reissue: boolean },
        cmd: Command,
      ) => {
        const change = shipmentFlags(flags);
        if (Object.keys(change).length === 0)
          throw new LotqaError('nothing to set', { hint: `lotqa lot set ${lotId} --customer NAME --po NUMBER --ship-to ADDRESS` });
        const config = configOf(cmd);
        const by = flags.by ?? whoRuns();
        const { setLotShipment } = await import('../../pipeline/lot-shipment.js');
        const { issueReports } = await import('../../pipeline/report-stage.js');
        const { catalogFor, specFinder } = await import('../catalog-options.js');
        const { shipment, changed, reissued } = await withStore(config, async (store) => {
          // A typo must not create a shipment for a lot that does not exist (`submit` sets it before ingest).
          if (!(await store.lotSummary(lotId)))
            throw new LotqaError(`unknown lot '${lotId}': nothing is stored for it`, { hint: 'list the stored lots with `lotqa lots`' });
          const set = await setLotShipment(store, lotId, change, { by, reason: flags.reason });
          if (!set.changed || !flags.reissue) return { ...set, reissued: null };
          // Re-issue only what was issued: the current revision's certificate, when there is one.
          const latest = await store.latestEvaluationHead(lotId);
          const issued = latest ? (await store.listCertificates(lotId)).some((c) => c.revision === latest.revision) : false;
          if (!latest || !issued) return { ...set, reissued: null };
          const r = await issueReports(store, lotId, {
            outDir: flags.out ?? config.reportsDir,
            context: certificateContext(config, {}),
            revision: latest.revision,
            coc: true,
            engineering: false,
            issuedBy: by,
            reissueReason: flags.reason,
            findSpec: specFinder(catalogFor(config)),
          });
          return { ...set, reissued: r };
        });
        const show = (v: string | null | undefined): string => v ?? '—';
        out(
          `lot ${lotId}: customer ${show(shipment?.customer)}, PO ${show(shipment?.purchaseOrder)}, ship-to ${show(shipment?.shipTo)}${changed ? '' : ' (unchanged)'}`,
        );
        if (reissued?.certificate && reissued.certificateRecorded)
          out(
            `  certificate ${reissued.certificate.payload.certificateNumber} re-issued as revision ${reissued.certificate.certificateRevision}: ${reissued.coc}`,
          );
        for (const p of reissued?.superseded ?? []) out(`  superseded:  ${p}`);
      },
    );
}
