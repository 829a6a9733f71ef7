/**
 * @module `lotqa sampling show|resume` — a product's ANSI/ASQ Z1.4 inspection severity (normal, tightened,
 * reduced, or acceptance discontinued) and the signed resumption after the supplier's corrective action.
 */
import type { Command } from 'commander';
import { configOf, out, printJson, withStore } from '../cli-context.js';
import { counted } from '../../counted.js';

export function registerSamplingCommand(program: Command): void {
  const sampling = program
    .command('sampling')
    .description('Z1.4 switching of a product: show its inspection severity, resume acceptance after corrective action');
  sampling
    .command('show')
    .description('Show the product’s inspection severity and the lots that count towards the next switch')
    .requiredOption('--product <id|file>', 'product spec: catalog id or JSON file')
    .option('--json', 'print the stored state as JSON')
    .action(async (flags: { product: string; json?: boolean }, cmd: Command) => {
      const config = configOf(cmd);
      const { catalogFor } = await import('../catalog-options.js');
      const productId = catalogFor(config).product(flags.product).document.productId;
      const rec = await withStore(config, (store) => store.samplingState(productId));
      if (flags.json)
        return printJson(rec === null ? { productId, state: null } : { productId, updatedAt: rec.updatedAt, state: rec.payload });
      if (rec === null) return out(`${productId}: no lot inspected on a sample yet (the first lot is inspected on normal inspection)`);
      const s = rec.payload;
      out(
        `${productId}: ${s.severity === 'discontinued' ? 'acceptance DISCONTINUED' : `${s.severity} inspection`} (since ${rec.updatedAt})`,
      );
      if (s.severity === 'normal') {
        const notAccepted = s.recentNormal.filter((a) => !a).length;
        out(
          `  last ${counted(s.recentNormal.length, 'lot')} on normal inspection: ${notAccepted} not accepted (2 within 5 switch to tightened)`,
        );
        out(`  accepted in a row on normal inspection: ${s.acceptedInARowOnNormal}`);
      } else if (s.severity === 'tightened') {
        out(`  accepted in a row on tightened inspection: ${s.acceptedInARowOnTightened} (5 return to normal)`);
        out(`  not accepted since tightened inspection began: ${s.notAcceptedOnTightened} (5 discontinue acceptance)`);
      } else if (s.severity === 'discontinued') {
        out('  every lot is held until the supplier’s corrective action is accepted; then resume on tightened inspection:');
        out(`  lotqa sampling resume --product ${productId} --reason "<corrective action>" --sign-as ACCOUNT`);
      }
    });
  sampling
    .command('resume')
    .description('Resume acceptance of a discontinued product on tightened inspection, signed by an approver')
    .requiredOption('--product <id|file>', 'product spec: catalog id or JSON file')
    .requiredOption('--reason <text>', 'the corrective action accepted (recorded with the signature)')
    .requiredOption('--sign-as <account>', 'the approver signing (password from LOTQA_SIGN_PASSWORD, else asked)')
    .action(async (flags: { product: string; reason: string; signAs: string }, cmd: Command) => {
      const config = configOf(cmd);
      const { catalogFor } = await import('../catalog-options.js');
      const { resumeSampling } = await import('../../pipeline/sampling-resumption.js');
      const { signatureLine } = await import('../../domain/e-signature.js');
      const productId = catalogFor(config).product(flags.product).document.productId;
      const { readSecret } = await import('../read-secret.js');
      const password = await readSecret('LOTQA_SIGN_PASSWORD', `password of ${flags.signAs} (signing): `);
      const r = await withStore(config, (store) =>
        resumeSampling(store, { productId, reason: flags.reason, signer: flags.signAs, password, method: 'password-cli' }),
      );
      out(`${productId}: acceptance resumed on ${r.state.severity} inspection (5 lots accepted in a row return it to normal)`);
      out(`signed: ${signatureLine(r.signature)}`);
    });
}
