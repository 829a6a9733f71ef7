/**
 * @module Commands about stored lots: evaluate, decide, audit, report, verify, lots, quarantine.
 */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  certificateContext,
  certificateOptions,
  configOf,
  out,
  pct,
  printJson,
  shipmentFlags,
  signOffOptions,
  table,
  whoRuns,
  withStore,
  type CertificateFlags,
  type SignOffFlags,
} from '../cli-context.js';
import { printSignOff } from './lot-output.js';
import { ExitCode, LotqaError } from '../../errors/lotqa-error.js';
import type { Store } from '../../store/store.js';
import { counted } from '../../domain/counted.js';
import { lotqaBuildWords, type LotqaBuild } from '../../pipeline/lotqa-build.js';
import { verifyOutcomeLines } from './verify-output.js';

export function registerLotCommands(program: Command): void {
  signOffOptions(
    program
      .command('evaluate')
      .description("Evaluate a stored lot's current data (a new revision when files were added), decide it by policy, write its reports")
      .argument('<lot>', 'lot id')
      .option('--product <id|file>', "the lot's product spec: catalog id or JSON file (default: the lot's product id in the catalogs)"),
    { reports: 'decide only', customer: 'customer on the certificate (stored with the lot)', json: 'print the LotResult' },
  ).action(async (lot: string, flags: SignOffFlags, cmd: Command) => {
    const config = configOf(cmd);
    const { catalogFor, resolvePolicy, specFinder } = await import('../catalog-options.js');
    const { signOffLot } = await import('../../pipeline/sign-off-lot.js');
    const catalog = catalogFor(config);
    const spec = flags.product ? catalog.product(flags.product).document : undefined;
    const policy = resolvePolicy(catalog, config, flags.policy);
    const { pendingBaselineNote } = await import('../../pipeline/baseline-approval.js');
    const { s, note } = await withStore(config, async (store) => {
      const s = await signOffLot(store, lot, {
        policy,
        ...(spec ? { spec } : {}),
        findSpec: specFinder(catalog, spec),
        shipment: { change: shipmentFlags(flags), by: whoRuns() },
        reports: flags.reports
          ? { outDir: flags.out ?? config.reportsDir, context: certificateContext(config, flags), draft: flags.draft === true }
          : null,
      });
      const r = s.evaluated.result;
      return { s, note: await pendingBaselineNote(store, r.product.productId, r.baseline?.version ?? null) };
    });
    // On standard error: `--json` keeps standard output the LotResult alone.
    if (note) process.stderr.write(`note: ${note}\n`);
    if (flags.json) printJson(s.evaluated.result);
    else printSignOff(s);
    if (s.signOff.decision.disposition !== 'ACCEPT') process.exitCode = ExitCode.lotNotAccepted;
  });

  certificateOptions(
    program
      .command('decide')
      .description(
        'Record an engineer’s decision on a held lot and issue its reports (decisions are permanent; new data makes a new revision)',
      )
      .argument('<lot>', 'lot id')
      .addOption(new Option('--accept', 'accept the lot').conflicts('reject'))
      .addOption(new Option('--reject', 'reject the lot').conflicts('accept'))
      .requiredOption('--reason <text>', 'why (recorded with the decision)')
      .requiredOption('--sign-as <account>', 'the approver signing the decision (password from LOTQA_SIGN_PASSWORD, else asked)')
      .option('--deviation <text>', 'deviation number and justification: required to accept a lot with failing units'),
    { reports: 'record the decision only', customer: 'customer on the certificate (stored with the lot; default: what the lot holds)' },
  ).action(
    async (
      lot: string,
      flags: CertificateFlags & { accept?: boolean; reject?: boolean; reason: string; signAs: string; deviation?: string },
      cmd: Command,
    ) => {
      if (!flags.accept && !flags.reject)
        throw new LotqaError('a decision needs --accept or --reject', {
          hint: `lotqa decide ${lot} --accept|--reject --reason TEXT --sign-as ACCOUNT`,
        });
      const { readSecret } = await import('../read-secret.js');
      const password = await readSecret('LOTQA_SIGN_PASSWORD', `password of ${flags.signAs} (signing): `);
      const { decideWithSignature } = await import('../../pipeline/signed-decision.js');
      const { issueReports } = await import('../../pipeline/report-stage.js');
      const { catalogFor, specFinder } = await import('../catalog-options.js');
      const { signatureLine } = await import('../../domain/e-signature.js');
      const config = configOf(cmd);
      const catalog = catalogFor(config);
      const { outcome, r } = await withStore(config, async (store) => {
        const outcome = await decideWithSignature(store, {
          lot,
          disposition: flags.accept ? 'ACCEPT' : 'REJECT',
          reason: flags.reason,
          deviation: flags.deviation,
          signer: flags.signAs,
          password,
          method: 'password-cli',
          policyFor: (id) => catalog.policy(id).document,
        });
        if (outcome.status === 'awaiting-second-signature' || !flags.reports) return { outcome, r: null };
        // The decision's reports are issued now, with the customer and PO the lot holds.
        const r = await issueReports(store, lot, {
          outDir: flags.out ?? config.reportsDir,
          context: certificateContext(config, flags),
          revision: outcome.decision.revision,
          draft: flags.draft === true,
          issuedBy: outcome.decision.decidedBy,
          findSpec: specFinder(catalog),
        });
        return { outcome, r };
      });
      if (outcome.status === 'awaiting-second-signature') {
        const p = outcome.proposal;
        out(`lot ${p.lot} r${p.revision}: ${p.disposition} proposed and signed by ${signatureLine(p.signature)}`);
        out(
          "the policy's two-person rule needs a second approver: `lotqa decide " +
            lot +
            ' --' +
            p.disposition.toLowerCase() +
            ' --reason … --sign-as <another approver>`',
        );
        return;
      }
      const d = outcome.decision;
      out(`lot ${d.lot} r${d.revision}: ${d.disposition} by ${d.decidedBy} at ${d.decidedAt} (result ${d.resultSha256.slice(0, 16)}…)`);
      for (const sig of d.signatures ?? []) out(`signed: ${signatureLine(sig)}`);
      if (!r) out('run `lotqa report ' + lot + '` to issue its reports');
      else {
        if (r.coc)
          out(
            `  certificate: ${r.coc} (${r.cocStatus}${r.certificate ? `, ${r.certificate.payload.certificateNumber} revision ${r.certificate.certificateRevision}` : ''})`,
          );
        else if (r.cocSkipped) out(`  no certificate: ${r.cocSkipped}`);
        if (r.engineering) out(`  engineering report: ${r.engineering}`);
        for (const p of r.superseded) out(`  superseded:  ${p}`);
      }
    },
  );

  program
    .command('audit')
    .description('The full trail of a lot: files, evaluations, decisions, certificates; --verify checks the whole store is intact')
    .argument('[lot]', 'lot id')
    .option('--verify', "check the store's hash chains (evaluations, decisions, certificates, audit events) and every stored result")
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nWith --verify, exit status 4 when a link is broken or a stored result no longer hashes to its record.')
    .action(async (lot: string | undefined, flags: { json?: boolean; verify?: boolean }, cmd: Command) => {
      if (flags.verify) {
        const { verifyStoreRecords } = await import('../../pipeline/verify-store.js');
        const v = await withStore(configOf(cmd), (store) => verifyStoreRecords(store));
        if (flags.json) printJson(v);
        else {
          for (const c of v.chains)
            out(
              `${c.chain.padEnd(16)} ${counted(c.linked, 'linked row')}${c.beforeChain > 0 ? `, ${c.beforeChain} stored before the chain began (not protected)` : ''}: ${c.problems.length === 0 ? 'intact' : counted(c.problems.length, 'problem')}`,
            );
          out(
            `stored results   ${v.resultsChecked} re-hashed: ${v.results.length === 0 ? 'intact' : counted(v.results.length, 'problem')}`,
          );
          for (const c of v.chains)
            for (const p of c.problems) out(`  BROKEN ${p.chain}${p.id === null ? ' (head)' : ` row ${p.id}`}: ${p.problem}`);
          for (const r of v.results) out(`  BROKEN lot ${r.lot} r${r.revision}: ${r.problem}`);
          out(v.intact ? 'the store is intact' : 'the store has been changed outside lotqa: investigate before trusting its records');
        }
        if (!v.intact) process.exitCode = ExitCode.verifyMismatch;
        return;
      }
      if (lot === undefined)
        throw new LotqaError('name the lot whose trail to show, or check the whole store with --verify', {
          hint: 'lotqa audit <lot>  |  lotqa audit --verify',
        });
      const { lotAuditTrail } = await import('../../queries/lot-audit-trail.js');
      const found = await withStore(configOf(cmd), (store) => lotAuditTrail(store, lot));
      if (!found)
        throw new LotqaError(`unknown lot '${lot}': nothing is stored for it`, { hint: 'list the stored lots with `lotqa lots`' });
      const trail = {
        summary: found.summary,
        files: found.files,
        evaluations: found.revisions.map(({ decisions: _d, standing: _s, certificates: _c, ...e }) => e),
        decisions: found.revisions.flatMap((r) => r.decisions),
        certificates: found.revisions.flatMap((r) => r.certificates),
        events: found.events,
      };
      if (flags.json) return printJson(trail);
      const s = trail.summary;
      out(
        `lot ${s.lot} (${s.productId}): ${s.units} units, ${s.runs} attempts, ${s.files} files, ${s.measurements} measurements, tested ${s.firstTestTime} … ${s.lastTestTime}`,
      );
      out('\nevaluations');
      out(
        table([
          ['revision', 'evaluated at', 'content', 'result sha256'],
          ...trail.evaluations.map((e) => [`r${e.revision}`, e.evaluatedAt, e.contentHash.slice(0, 12), e.resultSha256]),
        ]),
      );
      out('\ndecisions');
      out(
        table([
          ['revision', 'stage', 'disposition', 'by', 'at', 'reason'],
          ...trail.decisions.map((d) => [`r${d.revision}`, d.stage, d.disposition, d.decidedBy, d.decidedAt, d.reason.slice(0, 100)]),
        ]),
      );
      if (trail.certificates.length > 0) {
        out('\ncertificates');
        out(
          table([
            ['revision', 'certificate', 'document', 'issued', 'by', 'pdf sha256', 'why'],
            ...trail.certificates.map((c) => [
              `r${c.revision}`,
              `${c.payload.certificateNumber} rev. ${c.certificateRevision}`,
              c.documentId,
              c.issuedAt,
              c.payload.issuedBy ?? c.payload.signer,
              c.pdfSha256,
              c.payload.reason ?? '',
            ]),
          ]),
        );
      }
      out('\nevents');
      for (const e of trail.events) {
        const { lotqa, ...rest } = e.payload as { lotqa?: LotqaBuild };
        // Which lotqa evaluated is printed whole, not cut off with the rest of the payload.
        out(
          `  ${e.at}  ${e.kind.padEnd(18)} ${e.actor}  ${JSON.stringify(rest).slice(0, 120)}${lotqa !== undefined ? `  by ${lotqaBuildWords(lotqa)}` : ''}`,
        );
      }
    });

  program
    .command('report')
    .description("Write a lot's reports from its stored result and decision: certificate (ACCEPT only), engineering report, JSON, CSV")
    .argument('<lot>', 'lot id')
    .option('--coc', 'only the Certificate of Conformance (with --engineering: both)')
    .option('--engineering', 'only the engineering report (with --coc: both)')
    .option('--preview', 'also write PNG pages (needs pdftoppm from poppler-utils)')
    .option('--revision <n>', 'an earlier revision', (v) => Number(v))
    .option('--product <id|file>', "the lot's product spec: catalog id or JSON file (default: the lot's product id in the catalogs)")
    .option('--out <dir>', 'report folder')
    .option(
      '--customer <name>',
      'customer on the certificate (stored with the lot; a change re-issues the certificate as its next revision)',
    )
    .option('--po <number>', 'purchase order on the certificate (stored with the lot; a change re-issues)')
    .option('--ship-to <address>', 'ship-to address on the certificate (stored with the lot; a change re-issues)')
    .option('--reissue-reason <text>', 'issue a new revision of the certificate, for this reason, even when nothing printed changed')
    .option('--by <name>', 'who issues (recorded; default: LOTQA_USER or the login name)')
    .option('--draft', 'write the certificate as a watermarked DRAFT (not issued; allowed while the company is not configured)')
    .action(
      async (
        lot: string,
        flags: {
          coc?: boolean;
          engineering?: boolean;
          preview?: boolean;
          revision?: number;
          product?: string;
          out?: string;
          customer?: string;
          po?: string;
          shipTo?: string;
          reissueReason?: string;
          by?: string;
          draft?: boolean;
        },
        cmd: Command,
      ) => {
        const config = configOf(cmd);
        const { issueReports } = await import('../../pipeline/report-stage.js');
        const { catalogFor, specFinder } = await import('../catalog-options.js');
        const catalog = catalogFor(config);
        const findSpec = specFinder(catalog, flags.product ? catalog.product(flags.product).document : undefined);
        const both = !flags.coc && !flags.engineering;
        const r = await withStore(config, async (store) =>
          issueReports(await existingLot(store, lot), lot, {
            outDir: flags.out ?? config.reportsDir,
            context: certificateContext(config, flags),
            coc: both || flags.coc === true,
            engineering: both || flags.engineering === true,
            preview: flags.preview === true,
            draft: flags.draft === true,
            findSpec,
            issuedBy: flags.by ?? whoRuns(),
            ...(flags.reissueReason !== undefined ? { reissueReason: flags.reissueReason } : {}),
            ...(flags.revision !== undefined ? { revision: flags.revision } : {}),
          }),
        );
        // Asked for the certificate and nothing else: not writing it is a failure, not a note.
        if (flags.coc && !r.coc && r.cocSkipped) {
          const { LotqaError } = await import('../../errors/lotqa-error.js');
          throw new LotqaError(`no certificate for lot ${r.lot} r${r.revision}: ${r.cocSkipped}`);
        }
        out(`lot ${r.lot} r${r.revision}: ${r.decision ? `${r.decision.disposition} (${r.decision.stage})` : 'not decided'}`);
        out(`  result json: ${r.json}`);
        out(`  unit csv:    ${r.csv}`);
        out(`  signals csv: ${r.signalsCsv}`);
        if (r.coc)
          out(
            `  certificate: ${r.coc} (${r.cocStatus}${r.certificate ? `, ${r.certificate.payload.certificateNumber} revision ${r.certificate.certificateRevision}${r.certificateRecorded ? (r.certificate.certificateRevision > 1 ? ' — re-issued, the revision before is superseded' : ' — issued') : ' — already issued'}` : ''})`,
          );
        else if (r.cocSkipped) out(`  no certificate: ${r.cocSkipped}`);
        if (r.engineering) out(`  engineering: ${r.engineering}`);
        for (const p of r.superseded) out(`  superseded:  ${p}`);
        for (const p of r.previews) out(`  preview:     ${p}`);
        if (r.previewSkipped) out(`  no preview: ${r.previewSkipped}`);
      },
    );

  program
    .command('verify')
    .description(
      'Check a certificate PDF: is it an issued certificate of this store, unaltered, re-derivable from the stored result, and about the lot as it is now',
    )
    .argument('<certificate.pdf>')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExit status: 0 an issued, unaltered, current certificate of the lot as it is now; 4 altered, unknown or superseded; 5 the lot has changed since.',
    )
    .action(async (path: string, flags: { json?: boolean }, cmd: Command) => {
      const bytes = new Uint8Array(await readFile(path));
      const { verifyCertificate } = await import('../../pipeline/verify-certificate.js');
      const v = await withStore(configOf(cmd), (store) => verifyCertificate(store, bytes));
      if (flags.json) printJson(v);
      else for (const line of verifyOutcomeLines(path, v)) out(line);
      process.exitCode = v.exitCode;
    });

  program
    .command('lots')
    .description('List the lots in the store with their latest revision and decision')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const { listLotOverviews } = await import('../../queries/lot-overview.js');
      const rows = await withStore(configOf(cmd), (store) => listLotOverviews(store));
      if (flags.json) return printJson(rows);
      const yieldOf = (y: number | null): string => (y === null ? '—' : pct(y));
      out(
        table([
          ['lot', 'product', 'units', 'files', 'measurements', 'revision', 'state', 'first pass', 'final', 'decision'],
          ...rows.map((r) => [
            r.lot,
            r.productId,
            String(r.units),
            String(r.files),
            String(r.measurements),
            r.revision ? `r${r.revision}` : '—',
            r.state,
            yieldOf(r.firstPassYield),
            yieldOf(r.finalYield),
            r.decision ? `${r.decision.disposition}${r.decision.stage === 'hold' ? ' (awaiting engineer)' : ''}` : '—',
          ]),
        ]),
      );
    });

  program
    .command('quarantine')
    .description('List quarantined rows (file, line, column, value, reason) and rejected files')
    .option('--lot <lot>', 'only this lot')
    .option('--file <sha256|id>', 'only this file')
    .option('--limit <n>', 'at most n rows', (v) => Number(v), 200)
    .option('--json', 'print as JSON')
    .action(async (flags: { lot?: string; file?: string; limit: number; json?: boolean }, cmd: Command) => {
      const { rows, rejected } = await withStore(configOf(cmd), async (store) => ({
        rows: await store.listQuarantine({
          ...(flags.lot ? { lot: flags.lot } : {}),
          ...(flags.file ? { file: /^\d+$/.test(flags.file) ? Number(flags.file) : flags.file } : {}),
          limit: flags.limit,
        }),
        rejected: await store.listRejectedFiles(),
      }));
      if (flags.json) return printJson({ quarantine: rows, rejectedFiles: rejected });
      out(
        table([
          ['file', 'line', 'column', 'value', 'reason', 'message'],
          ...rows.map((q) => [q.file, String(q.line), q.column ?? '', q.rawValue ?? '', q.reason, q.message]),
        ]),
      );
      if (rejected.length > 0) {
        out(`\nrejected files (${rejected.length})`);
        for (const r of rejected) out(`  ${r.path}${r.line ? `:${r.line}` : ''}  ${r.reason}: ${r.message}`);
      }
    });
}

export { pct };

/** The store, once it is known to hold the lot: an unknown lot is named as such, not as "not evaluated". */
async function existingLot(store: Store, lot: string): Promise<Store> {
  if ((await store.lotSummary(lot)) === null)
    throw new LotqaError(`lot '${lot}' does not exist: nothing is stored for it`, { hint: 'list the stored lots with `npx lotqa lots`' });
  return store;
}
