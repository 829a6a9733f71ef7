/**
 * @module Lot sampling — applies the policy's conformance mode to a lot's unit results.
 *
 * 100 % test: every unit is judged; nonconforming units are screened out and the yields decide.
 * Sampling modes (Z1.4 attributes, Z1.9 variables, c = 0): the sample is drawn reproducibly — units
 * ordered by SHA-256(lot content hash + serial), first n taken — so anyone can re-draw the same sample
 * from the same data, and no one can pick which units are inspected.
 */
import { lanePhrase } from '../domain/lanes.js';
import { laneNamingOf } from './lane-naming.js';
import { createHash } from 'node:crypto';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { SamplingView, UnitResult } from '../domain/lot-result.js';
import type { LotView } from './lot-view.js';
import { cellSeries } from './cell-series.js';
import { planFor, judgeSample } from '../acceptance/z14-plans.js';
import { c0Plan } from '../acceptance/c0-plans.js';
import { judgeFormK, judgeFormM, z19SampleSizeFor } from '../acceptance/z19-variables.js';
import type { SwitchingState } from '../acceptance/z14-switching.js';
import { SamplingPlanError } from '../acceptance/errors.js';
import { counted } from '../domain/counted.js';

export type SamplingState = SwitchingState;

/** Indices of the n units in the reproducible sample. */
export function drawSample(units: readonly { serial: string }[], n: number, contentHash: string): number[] {
  const keyed = units.map((u, i) => ({ i, k: createHash('sha256').update(`${contentHash}\n${u.serial}`).digest('hex') }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.slice(0, Math.min(n, units.length)).map((x) => x.i);
}

const nonconforming = (u: UnitResult): boolean => u.final !== 'pass';

/** Why no lot of a product whose Z1.4 acceptance is discontinued is judged, and what to do (one wording for every path). */
export function discontinuedMessage(standard: string, productId: string): string {
  return `acceptance under ${standard} is discontinued for product ${productId} (too many lots not accepted on tightened inspection); once the supplier's corrective action is accepted, an approver resumes it on tightened inspection: lotqa sampling resume --product ${productId} --reason TEXT --sign-as ACCOUNT`;
}

/** A sampling record of a lot whose sample was not drawn: nothing inspected, verdict not-judged (fail closed). */
export function notSampled(what: Pick<SamplingView, 'mode' | 'standard' | 'description' | 'severity' | 'detail'>): SamplingView {
  return {
    ...what,
    codeLetter: null,
    sampleSize: 0,
    acceptanceNumber: null,
    rejectionNumber: null,
    nonconforming: 0,
    verdict: 'not-judged',
  };
}

export function judgeSampling(
  policy: AcceptancePolicy,
  view: LotView,
  units: readonly UnitResult[],
  state: SamplingState | null,
  contentHash: string,
): SamplingView {
  const c = policy.conformance;
  const lotSize = units.length;
  switch (c.mode) {
    case '100-percent': {
      const bad = units.filter(nonconforming).length;
      return {
        mode: '100-percent',
        standard: null,
        description: 'Every unit tested at every corner; nonconforming units are removed from the lot',
        severity: null,
        codeLetter: null,
        sampleSize: lotSize,
        acceptanceNumber: null,
        rejectionNumber: null,
        nonconforming: bad,
        verdict: 'accept',
        detail: [`${bad} of ${counted(lotSize, 'unit')} nonconforming on their final attempt (screened out)`],
      };
    }
    case 'attributes': {
      if (state?.severity === 'discontinued') {
        // Fail closed and stored, the same shape as a held lot without units: no sample is drawn, the sample is
        // not judged, and decideLot holds the lot with a reason that says acceptance is discontinued and what to do.
        return notSampled({
          mode: 'attributes',
          standard: c.standard,
          description: `${c.standard} single sampling, level ${c.inspectionLevel}, AQL ${c.aql} %: acceptance discontinued, no sample drawn`,
          severity: 'discontinued',
          detail: [discontinuedMessage(c.standard, view.spec.productId)],
        });
      }
      const severity = state?.severity ?? c.startSeverity ?? 'normal';
      const plan = planFor({ lotSize, aql: c.aql, level: c.inspectionLevel, severity });
      const sample = drawSample(units, plan.sampleSize, contentHash);
      const bad = sample.filter((i) => nonconforming(units[i]!)).length;
      const j = judgeSample(plan, bad);
      return {
        mode: 'attributes',
        standard: c.standard,
        description: `${c.standard} single sampling, level ${c.inspectionLevel}, AQL ${c.aql} %, ${severity} inspection`,
        severity,
        codeLetter: plan.codeLetter,
        sampleSize: plan.sampleSize,
        acceptanceNumber: plan.ac,
        rejectionNumber: plan.re,
        nonconforming: bad,
        verdict: j.verdict === 'reject' ? 'reject' : 'accept',
        detail: [
          j.reason,
          plan.hundredPercent
            ? 'sample size ≥ lot size: the whole lot is inspected'
            : `sample drawn by SHA-256 order of serials (reproducible)`,
          ...(j.verdict === 'accept-return-to-normal' ? ['accepted, but reduced inspection ends: return to normal'] : []),
        ],
      };
    }
    case 'variables': {
      const n = c.sampleSize ?? z19SampleSizeFor(lotSize, c.inspectionLevel).sampleSize;
      const constant = c.form === 'k' ? c.k : c.mPercent;
      if (constant === undefined) {
        throw new SamplingPlanError(
          `policy ${policy.id}: variables form ${c.form} needs "${c.form === 'k' ? 'k' : 'mPercent'}" from ANSI/ASQ Z1.9 (lotqa ships no verified k/M table); add it to conformance`,
        );
      }
      const sample = new Set(drawSample(units, n, contentHash));
      const detail: string[] = [];
      let rejected = 0;
      let judged = 0;
      const naming = laneNamingOf(view.spec);
      const label = (cell: (typeof view.cells)[number]): string =>
        `${cell.parameter.id} @ ${cell.corner}${cell.lane === null ? '' : ` ${lanePhrase(naming, cell.lane)}`}`;
      // Characteristics with a limit but too few exact readings: never skipped silently (fail closed).
      const tooFew: string[] = [];
      for (const cell of view.cells) {
        if (!c.parameters.includes(cell.parameter.id)) continue;
        const s = cellSeries(view, cell, (u) => sample.has(u));
        const lsl = cell.limits.lsl?.kind === 'constant' && !cell.limits.informativeLsl ? cell.limits.lsl.value : undefined;
        const usl = cell.limits.usl?.kind === 'constant' ? cell.limits.usl.value : undefined;
        if (lsl === undefined && usl === undefined) continue;
        if (s.exact.length < 3) {
          tooFew.push(`${label(cell)}: ${counted(s.exact.length, 'exact reading')}`);
          continue;
        }
        const values = Array.from(s.exact);
        const limits = { ...(lsl !== undefined ? { lsl } : {}), ...(usl !== undefined ? { usl } : {}) };
        const j = c.form === 'k' ? judgeFormK(values, limits, constant) : judgeFormM(values, limits, constant / 100);
        judged++;
        if (!j.accepted) {
          rejected++;
          detail.push(`${label(cell)}: ${j.reason}`);
        }
      }
      // What the sample was judged by, whatever it found.
      const plan = {
        mode: 'variables',
        standard: c.standard,
        description: `${c.standard} s-method form ${c.form}, level ${c.inspectionLevel}, AQL ${c.aql} %, n = ${n}`,
        severity: state?.severity && state.severity !== 'discontinued' ? state.severity : 'normal',
        codeLetter: null,
        sampleSize: Math.min(n, lotSize),
        acceptanceNumber: null,
        rejectionNumber: null,
      } as const;
      if (judged === 0) {
        // The policy does not fit the spec: a configuration error. Limits but too few readings: the lot's
        // data cannot be judged, so the sample is not judged and the lot holds (fail closed).
        const limited = view.cells.some(
          (cell) =>
            c.parameters.includes(cell.parameter.id) &&
            ((cell.limits.lsl?.kind === 'constant' && !cell.limits.informativeLsl) || cell.limits.usl?.kind === 'constant'),
        );
        if (!limited)
          throw new SamplingPlanError(
            `policy ${policy.id}: none of ${c.parameters.join(', ')} has a constant limit in spec ${view.spec.productId}; list parameters with constant limits in conformance.parameters`,
          );
        return {
          ...plan,
          nonconforming: 0,
          verdict: 'not-judged',
          detail: [
            `no characteristic of ${c.parameters.join(', ')} has 3 or more exact readings in the sample of ${counted(Math.min(n, lotSize), 'unit')}: the sample cannot be judged`,
          ],
        };
      }
      const listed = tooFew.length > 10 ? [...tooFew.slice(0, 10), `… ${tooFew.length - 10} more`] : tooFew;
      if (rejected === 0 && tooFew.length > 0) {
        // Some judged and acceptable, some not judged: acceptance would vouch for characteristics nobody judged.
        return {
          ...plan,
          nonconforming: 0,
          verdict: 'not-judged',
          detail: [
            `${listed.join('; ')} (in the sample of ${counted(Math.min(n, lotSize), 'unit')}; 3 or more are needed to judge a characteristic): the sample cannot be judged`,
            `${counted(judged, 'other characteristic')} judged, 0 not acceptable`,
          ],
        };
      }
      return {
        ...plan,
        nonconforming: rejected,
        verdict: rejected > 0 ? 'reject' : 'accept',
        detail: [
          `${counted(judged, 'characteristic')} judged, ${rejected} not acceptable`,
          ...detail.slice(0, 20),
          ...(tooFew.length > 0 ? [`not judged (fewer than 3 exact readings): ${listed.join('; ')}`] : []),
        ],
      };
    }
    case 'c0': {
      const plan = c0Plan({ lotSize, index: c.index, ...(c.sampleSize !== undefined ? { sampleSize: c.sampleSize } : {}) });
      const sample = drawSample(units, plan.sampleSize, contentHash);
      const bad = sample.filter((i) => nonconforming(units[i]!)).length;
      return {
        mode: 'c0',
        standard: 'Squeglia c = 0',
        description: `c = 0 plan, index ${c.index}, n = ${plan.sampleSize} (${plan.sampleSizeSource})`,
        severity: null,
        codeLetter: null,
        sampleSize: plan.sampleSize,
        acceptanceNumber: 0,
        rejectionNumber: 1,
        nonconforming: bad,
        verdict: bad === 0 ? 'accept' : 'reject',
        detail: [`${bad} nonconforming in a sample of ${plan.sampleSize}: ${bad === 0 ? 'accept' : 'reject'} (Ac 0 / Re 1)`],
      };
    }
  }
}
