/**
 * @module How a lot decision is printed for people: disposition, yields, top reasons, where the reports went.
 */
import type { LotSignOff } from '../../pipeline/sign-off-lot.js';
import { out, pct } from '../cli-context.js';
import { signalCounts } from '../../report/signal-table.js';
import { agreeing, counted } from '../../domain/counted.js';

export function printSignOff(s: LotSignOff, maxReasons = 8): void {
  const r = s.evaluated.result;
  const d = s.signOff.decision;
  out(
    `lot ${r.lot} r${r.revision} (${r.product.productId}, ${r.quantity.units} units): ${d.disposition}${d.stage === 'hold' ? ' — an engineer must decide (lotqa decide)' : ''}`,
  );
  out(`  ${evaluationLine(s.evaluated)}`);
  const sig = signalCounts(r);
  out(
    r.quantity.units === 0
      ? '  yields: none — no unit was evaluated'
      : `  yields: first pass ${pct(r.yields.firstPass)}, final ${pct(r.yields.final)}; ${r.family.tests} lot-level tests (${r.family.correction}, α = ${r.family.alpha})`,
  );
  out(
    `  to investigate: ${counted(sig.signals, 'run-rule signal')} on ${counted(sig.chartRules, 'chart × rule combination')} of ${counted(sig.charts, 'chart')}; ${counted(sig.patOutlierUnits, 'PAT outlier unit')}`,
  );
  out(
    `  decided by ${d.decidedBy} at ${d.decidedAt}${s.signOff.created ? '' : ' (recorded earlier)'}; result sha256 ${s.evaluated.resultSha256}`,
  );
  if (r.stationEvidence && (r.stationEvidence.verdicts.length > 0 || r.stationEvidence.limits.length > 0)) {
    const ev = r.stationEvidence;
    out(
      `  stations: disagree with lotqa on ${counted(ev.disagreeingUnits.firstPass, 'unit')} at first pass, ${ev.disagreeingUnits.final} at the final attempt; ${counted(ev.limits.length, 'station limit')} ${agreeing(ev.limits.length, 'differs', 'differ')} from the spec (engineering report)`,
    );
  }
  const reasons = r.proposal.reasons.filter((x) => x.severity !== 'INFO');
  for (const reason of reasons.slice(0, maxReasons)) out(`  ${reason.severity.padEnd(6)} ${reason.message}`);
  if (reasons.length > maxReasons)
    out(`  … ${counted(reasons.length - maxReasons, 'more reason', 'more reasons')} in the engineering report`);
  for (const note of r.notes) out(`  note: ${note}`);
  if (s.reports) {
    if (s.reports.coc) out(`  certificate: ${s.reports.coc} (${s.reports.cocStatus})`);
    else if (s.reports.cocSkipped) out(`  no certificate: ${s.reports.cocSkipped}`);
    if (s.reports.engineering) out(`  engineering report: ${s.reports.engineering}`);
  }
}

/** Which evaluation this is: the stored one (same files and inputs) or a new revision, and why. */
export function evaluationLine(e: LotSignOff['evaluated']): string {
  const inputs = e.inputsSha256 ? `inputs ${e.inputsSha256.slice(0, 12)}…` : 'inputs not recorded';
  switch (e.why) {
    case 'stored':
      return `evaluation: returned the stored revision r${e.revision} (same files, spec, policy and baseline; ${inputs})`;
    case 'first':
      return `evaluation: new revision r${e.revision} (first evaluation; ${inputs})`;
    case 'new-data':
    case 'new-inputs':
      return `evaluation: new revision r${e.revision} (${e.changes.join('; ')}; ${inputs})`;
  }
}
