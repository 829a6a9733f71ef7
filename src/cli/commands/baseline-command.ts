/**
 * @module `lotqa baseline create|show|approve` — SPC phase I: freeze limits from qualified lots; approve a proposed baseline with a signature.
 */
import { laneName } from '../../domain/lanes.js';
import { laneNamingOf } from '../../evaluate/lane-naming.js';
import { LotqaError } from '../../errors/lotqa-error.js';
import { InvalidArgumentError, type Command } from 'commander';
import type { BaselineExclusion } from '../../domain/baseline.js';
import { configOf, out, printJson, table, withStore } from '../cli-context.js';
import { counted } from '../../domain/counted.js';

function exclusion(value: string, previous: BaselineExclusion[] = []): BaselineExclusion[] {
  const m = /^([^:]+):([^:]+):(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`"${value}" is not LOT:SERIAL:reason (e.g. L2401:SN0042:"fiber scratched, re-terminated")`);
  return [...previous, { lot: m[1]!, serial: m[2]!, reason: m[3]! }];
}

export function registerBaselineCommand(program: Command): void {
  const baseline = program.command('baseline').description('SPC phase I baselines: frozen centre and limits per parameter × corner × lane');
  baseline
    .command('create')
    .description('Freeze a new baseline from qualified lots and make it the active one for the product')
    .requiredOption('--product <id|file>', 'product spec: catalog id or JSON file')
    .requiredOption('--lots <lots>', 'comma-separated qualified lot ids', (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .option('--exclude <lot:serial:reason>', 'leave a unit out with its assignable cause (repeatable)', exclusion, [])
    .option('--by <name>', 'who creates it', process.env.USER ?? 'lotqa')
    .option(
      '--policy <id|file>',
      'acceptance policy: its consistency.baselineMaxExcludedShare applies and its signOff.baselineApproval says whether the baseline awaits approval (default: configured)',
    )
    .option('--json', 'print the baseline as JSON')
    .action(
      async (
        flags: { product: string; lots: string[]; exclude: BaselineExclusion[]; by: string; policy?: string; json?: boolean },
        cmd: Command,
      ) => {
        const config = configOf(cmd);
        const { catalogFor, resolvePolicy } = await import('../catalog-options.js');
        const { createBaseline } = await import('../../pipeline/lot-stages.js');
        const { baselineId, baselineNeedsApproval } = await import('../../pipeline/baseline-approval.js');
        const catalog = catalogFor(config);
        const spec = catalog.product(flags.product).document;
        const policy = resolvePolicy(catalog, config, flags.policy);
        const propose = baselineNeedsApproval(policy);
        const { r, active } = await withStore(config, async (store) => ({
          r: await createBaseline(store, {
            productId: spec.productId,
            lots: flags.lots,
            exclusions: flags.exclude,
            createdBy: flags.by,
            spec,
            maxExcludedShare: policy.consistency.baselineMaxExcludedShare,
            propose,
          }),
          active: await store.activeBaseline(spec.productId),
        }));
        if (flags.json) return printJson({ version: r.version, state: propose ? 'proposed' : 'active', ...r.baseline });
        out(
          propose
            ? `baseline v${r.version} of ${spec.productId} is proposed: ${r.baseline.cells.length} charts frozen from lots ${r.baseline.lots.join(', ')}`
            : `baseline v${r.version} of ${spec.productId} is active: ${r.baseline.cells.length} charts frozen from lots ${r.baseline.lots.join(', ')}`,
        );
        if (propose) {
          out(
            `  the policy has baselines approved before use: evaluations keep using ${active ? `v${active.version} (active)` : 'no baseline'} until an approver signs`,
          );
          out(`  approve: lotqa baseline approve ${baselineId(spec.productId, r.version)} --reason TEXT --sign-as ACCOUNT`);
        }
        const byReason = new Map<string, number>();
        for (const e of r.baseline.exclusions) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1);
        for (const [reason, n] of byReason) out(`  excluded ${counted(n, 'unit')}: ${reason}`);
        for (const n of r.baseline.notes) out(`  note: ${n}`);
      },
    );
  baseline
    .command('approve')
    .description('Approve (or reject) a proposed baseline with your electronic signature; approved, it becomes the active one')
    .argument('<id>', 'the baseline: PRODUCT@vN (as `baseline create` and `baseline show` print it)')
    .requiredOption('--reason <text>', 'what was reviewed (recorded with the signature)')
    .requiredOption('--sign-as <account>', 'the approver signing (password from LOTQA_SIGN_PASSWORD, else asked)')
    .option('--reject', 'reject the baseline: it is never used')
    .option('--policy <id|file>', 'acceptance policy whose two-person rule applies (default: configured)')
    .action(async (id: string, flags: { reason: string; signAs: string; reject?: boolean; policy?: string }, cmd: Command) => {
      const { parseBaselineId, signBaseline } = await import('../../pipeline/baseline-approval.js');
      const ref = parseBaselineId(id);
      if (!ref) throw new LotqaError(`"${id}" is not a baseline id`, { hint: 'name it PRODUCT@vN, e.g. qsfp112-400g-dr4@v2' });
      const config = configOf(cmd);
      const { catalogFor, resolvePolicy } = await import('../catalog-options.js');
      const { signatureLine } = await import('../../domain/e-signature.js');
      const policy = resolvePolicy(catalogFor(config), config, flags.policy);
      const { readSecret } = await import('../read-secret.js');
      const password = await readSecret('LOTQA_SIGN_PASSWORD', `password of ${flags.signAs} (signing): `);
      const outcome = await withStore(config, (store) =>
        signBaseline(store, {
          ...ref,
          verdict: flags.reject ? 'reject' : 'approve',
          reason: flags.reason,
          signer: flags.signAs,
          password,
          method: 'password-cli',
          policy,
        }),
      );
      const words = {
        approved: 'approved: it is the active baseline; new evaluations use it',
        rejected: 'rejected: it is never used',
        'awaiting-second-signature': "approved once: the policy's two-person rule needs a second, different approver",
      }[outcome.status];
      out(`baseline ${id} ${words}`);
      for (const s of outcome.signatures) out(`signed: ${signatureLine(s.signature)}`);
    });
  baseline
    .command('show')
    .description('Show the active (or a given) baseline of a product')
    .requiredOption('--product <id|file>', 'product spec: catalog id or JSON file')
    .option('--version <n>', 'a given version', (v) => Number(v))
    .option('--json', 'print as JSON')
    .action(async (flags: { product: string; version?: number; json?: boolean }, cmd: Command) => {
      const config = configOf(cmd);
      const { catalogFor } = await import('../catalog-options.js');
      const spec = catalogFor(config).product(flags.product).document;
      const { rec, all } = await withStore(config, async (store) => ({
        rec:
          flags.version !== undefined ? await store.getBaseline(spec.productId, flags.version) : await store.activeBaseline(spec.productId),
        all: await store.listBaselines(spec.productId),
      }));
      if (!rec)
        throw new LotqaError(
          `product ${spec.productId} has no ${flags.version !== undefined ? `baseline v${flags.version}` : 'active baseline'}`,
          { hint: `create one with \`lotqa baseline create --product ${spec.productId} --lots L1,L2,…\`` },
        );
      if (flags.json) return printJson(rec);
      const b = rec.payload;
      out(
        `baseline v${rec.version} of ${rec.productId} (${rec.state}), created ${rec.createdAt} by ${rec.createdBy}, from ${b.lots.join(', ')}`,
      );
      out(`versions: ${all.map((x) => `v${x.version}${x.active ? '*' : x.state === 'proposed' ? ' (proposed)' : ''}`).join(' ')}`);
      out(
        table([
          ['parameter', 'corner', 'lane', 'n', 'mean', 'σ unit', 'LCL', 'UCL'],
          ...b.cells.map((c) => {
            const s = c.limits.sigma ?? 0;
            return [
              c.parameter,
              c.corner,
              c.lane === null ? '—' : laneName(laneNamingOf(spec), c.lane),
              String(c.n),
              c.mean.toPrecision(6),
              c.sigmaUnit.toPrecision(4),
              (c.limits.centre - 3 * s).toPrecision(6),
              (c.limits.centre + 3 * s).toPrecision(6),
            ];
          }),
        ]),
      );
      if (b.components === undefined)
        out(
          `format 1 baseline (no lot-to-lot variance components): re-create it with \`lotqa baseline create --product ${rec.productId} --lots ${b.lots.join(',')}\``,
        );
      else {
        out('variance components (σ_lot and σ_lane×lot in within-lot σ; df = degrees of freedom of each estimate):');
        out(
          table([
            ['parameter', 'corner', 'lanes', 'σ within (rms)', 'df', 'σ lot', 'df', 'σ lane×lot', 'df'],
            ...b.components.map((c) => [
              c.parameter,
              c.corner,
              String(c.lanes.length),
              Math.sqrt(c.sigmas.reduce((a, x) => a + x * x, 0) / c.sigmas.length).toPrecision(4),
              String(c.withinDf),
              c.lotSigma.toFixed(3),
              String(c.lotDf),
              c.laneLotSigma === null ? '—' : c.laneLotSigma.toFixed(3),
              c.laneLotSigma === null ? '—' : String(c.laneLotDf),
            ]),
            // The primary lane test's components: each unit's lane contrast averaged over the corners.
            ...(b.acrossCorners ?? []).map((c) => [
              c.parameter,
              `all ${c.corners.length} corners`,
              String(c.lanes.length),
              '—',
              '—',
              c.lotSigma.toFixed(3),
              String(c.lotDf),
              c.laneLotSigma === null ? '—' : c.laneLotSigma.toFixed(3),
              c.laneLotSigma === null
                ? '—'
                : `${c.laneLotDf}${c.laneLotPool ? ` (pooled ${Math.round(c.laneLotPool.laneLotDf)})` : ''}${c.laneLotModerated ? ` (moderated ${Math.round(c.laneLotModerated.laneLotDf)})` : ''}`,
            ]),
          ]),
        );
      }
      for (const n of b.notes) if (n.startsWith('WARNING') || n.startsWith('only ') || n.startsWith('lane × lot variance')) out(n);
      if (b.exclusions.length > 0) out(`${counted(b.exclusions.length, 'unit')} excluded (see --json)`);
    });
}
