/**
 * @module Lot stages — evaluate a lot revision, sign it off by policy, record an engineer's decision,
 * freeze a baseline. Thin shells: load from the store, call the pure evaluation/decision, write records.
 * The same functions serve the CLI (embedded) and the queue workers (distributed).
 *
 * Revisions: a lot's content is the sorted list of its files' SHA-256. The first evaluation is revision 1;
 * when files are added the content hash changes and the next evaluation is a new revision. Evaluating
 * unchanged content returns the stored evaluation, so decisions always point at one exact LotResult.
 */
import { productTrendHistory, storedFirstTestTime } from '../queries/product-trend.js';
import { trendHistoryUsed } from '../evaluate/lot-trend.js';
import { LotqaError } from '../errors/lotqa-error.js';
import { trendSettings, type AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { Baseline, BaselineExclusion } from '../domain/baseline.js';
import { standingDecision, type DecisionRecord } from '../domain/decision.js';
import type { ESignature } from '../domain/e-signature.js';
import type { Disposition, LotResult } from '../domain/lot-result.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { findProduct } from '../domain/catalog.js';
import { inspectedOutcome, nextState, initialSwitchingState } from '../acceptance/z14-switching.js';
import { buildBaseline } from '../evaluate/build-baseline.js';
import { ChartThreads, defaultEvaluateThreads } from './chart-threads.js';
import { lotContentHash } from '../domain/lot-content.js';
import { evaluationInputs, inputChanges, inputHashes } from '../domain/evaluation-inputs.js';
import { serialsInOtherLots } from '../queries/serials-elsewhere.js';
import { voidedLots } from '../queries/lot-voids.js';
import { canonicalJsonDigest } from '../report/result-hash.js';
import type { EvaluationRecord, StoredDecision, Store } from '../store/store.js';
import { DecisionConflictError } from '../store/store-errors.js';
import { agreeing, counted } from '../domain/counted.js';
import { startPhase } from './phase-timings.js';
import { lotqaBuild } from './lotqa-build.js';

export class LotStageError extends LotqaError {
  override name = 'LotStageError';
}

/** The product spec of a product id: the configured catalogs (shipped and the user's folders); shipped only by default. */
export type SpecFinder = (productId: string) => ProductSpec;

export interface Clock {
  now(): string;
}
export const systemClock: Clock = { now: () => new Date().toISOString() };

export interface EvaluatedRevision {
  readonly result: LotResult;
  readonly resultSha256: string;
  readonly revision: number;
  readonly fresh: boolean;
  /**
   * Why: 'stored' — the same files, spec, policy and baseline as the lot's latest evaluation, which is
   * returned; 'first' — never evaluated; 'new-data' — files were added; 'new-inputs' — the spec, policy
   * or baseline differ (`changes` says which).
   */
  readonly why: 'stored' | 'first' | 'new-data' | 'new-inputs';
  /** In words, what differs from the latest evaluation (empty for 'stored' and 'first'). */
  readonly changes: readonly string[];
  /** SHA-256 over the spec, policy and baseline evaluated under (domain/evaluation-inputs.ts). */
  readonly inputsSha256: string | null;
  /** The stored evaluation record, so a report stage in this process need not read the result back. */
  readonly record?: EvaluationRecord;
  /** A fresh evaluation's canonical JSON, the very bytes stored and hashed (`resultSha256`). */
  readonly resultJson?: Uint8Array;
}

async function productOfLot(store: Store, lot: string): Promise<string> {
  const summary = await store.lotSummary(lot);
  if (!summary) {
    const known = (await store.listLots()).map((l) => l.lot);
    throw new LotStageError(
      `unknown lot '${lot}'${known.length ? `; lots in the store: ${known.slice(0, 20).join(', ')}` : ': the store has no lots yet (run lotqa ingest first)'}`,
    );
  }
  return summary.productId;
}

/** A void lot (lotqa lot void) is never decided again: its records stay as they were. */
async function refuseVoid(store: Store, lot: string): Promise<void> {
  const voided = (await voidedLots(store, [lot])).get(lot);
  if (voided) throw new LotStageError(`lot ${lot} is void (${voided.reason}, by ${voided.by}): it is not decided or certified`);
}

/**
 * Evaluates the lot's current content under the given spec, policy and the product's active baseline,
 * or returns the stored evaluation when the latest one was made from exactly these: the same files and
 * the same three documents by content hash. Anything else is a new revision (audited, with why), so a
 * result made under another policy or baseline is never handed out as this one.
 */
/** The lot's readings and what the evaluation needs to know of its serials in other lots. */
async function loadForEvaluation(store: Store, lot: string) {
  return { ...(await store.loadLot(lot)), serialsElsewhere: await serialsInOtherLots(store, lot) };
}

export async function evaluateRevision(
  store: Store,
  lot: string,
  deps: { policy: AcceptancePolicy; spec?: ProductSpec; findSpec?: SpecFinder; clock?: Clock },
): Promise<EvaluatedRevision> {
  const productId = await productOfLot(store, lot);
  const spec = deps.spec ?? (deps.findSpec ?? findProduct)(productId);
  if (spec.productId !== productId) throw new LotStageError(`lot ${lot} is product ${productId}, but product ${spec.productId} was given`);
  const baselineRecord = await store.activeBaseline(productId);
  // The product's earlier lots (their own statistics only), for the batch-to-batch trend; the part this
  // lot's trend is drawn from is an input of the evaluation (domain/evaluation-inputs.ts).
  const history = await productTrendHistory(store, productId, lot);
  const inputsAt = (firstTest: string | null) =>
    evaluationInputs(
      spec,
      deps.policy,
      baselineRecord,
      trendSettings(deps.policy).action === 'off' || baselineRecord === null
        ? []
        : trendHistoryUsed(history, baselineRecord.payload.lots, lot, firstTest),
    );
  // Unchanged content is answered from the store's file hashes, without loading the lot's readings.
  const latest = await store.latestEvaluationHead(lot);
  const sameData = latest !== null && latest.contentHash === (await store.lotContentHash(lot));
  // Same data, same first test time: the stored result's says which earlier lots the trend would use.
  let inputs = inputsAt(latest !== null && sameData ? await storedFirstTestTime(store, lot, latest.revision) : null);
  let hashes = inputHashes(inputs);
  if (latest && sameData && latest.inputsSha256 === inputs.sha256) {
    const stored = await store.getEvaluation(lot, latest.revision);
    if (stored)
      return {
        result: stored.result,
        resultSha256: stored.resultSha256,
        revision: stored.revision,
        fresh: false,
        why: 'stored',
        changes: [],
        inputsSha256: stored.inputsSha256,
        record: stored,
      };
  }
  const why: EvaluatedRevision['why'] = latest === null ? 'first' : sameData ? 'new-inputs' : 'new-data';
  const sampling = (await store.samplingState(productId))?.payload ?? null;
  // Started before the lot is read, so the chart threads' modules load meanwhile (none on a busy machine).
  const chartThreads = new ChartThreads(defaultEvaluateThreads());
  const loadEnd = startPhase('load lot');
  const data = await loadForEvaluation(store, lot).catch(async (err: unknown) => {
    await chartThreads.close();
    throw err;
  });
  loadEnd();
  if (!sameData) {
    inputs = inputsAt(data.runs.reduce<string | null>((a, r) => (a === null || r.testTime < a ? r.testTime : a), null));
    hashes = inputHashes(inputs);
  }
  const changes =
    latest === null
      ? []
      : [...(sameData ? [] : ['new files']), ...(latest.inputsSha256 === inputs.sha256 ? [] : inputChanges(latest, hashes))];
  const contentHash = lotContentHash(data.fileHashes, data.contentMarks);
  const revision = (latest?.revision ?? 0) + 1;
  const evaluateEnd = startPhase('evaluate');
  const result = await chartThreads
    .evaluate({
      lot: data,
      spec,
      policy: deps.policy,
      baseline: baselineRecord
        ? { version: baselineRecord.version, createdAt: baselineRecord.createdAt, payload: baselineRecord.payload }
        : null,
      revision,
      sampling,
      history,
      // Loaded for this evaluation only: the cube takes the readings, the columns need not stay beside it.
      releaseReadings: true,
    })
    .finally(() => chartThreads.close());
  evaluateEnd();
  const hashEnd = startPhase('result hash');
  // Serialised once, as UTF-8 bytes hashed while written: what the hash names is what the store keeps.
  const { bytes: resultJson, sha256: hash } = canonicalJsonDigest(result);
  hashEnd();
  const saveEnd = startPhase('save evaluation');
  const clock = deps.clock ?? systemClock;
  let saved: EvaluationRecord;
  try {
    saved = await store.saveEvaluation({
      lot,
      contentHash,
      resultSha256: hash,
      result,
      resultJson,
      revision,
      evaluatedAt: clock.now(),
      inputs,
    });
  } catch (err) {
    // Another worker evaluated the same revision first: use theirs when it was made from the same
    // inputs, so both point at one result; from other inputs, it is not this evaluation.
    const theirs = await store.getEvaluation(lot, revision);
    if (!theirs || theirs.inputsSha256 !== inputs.sha256 || theirs.contentHash !== contentHash) throw err;
    return {
      result: theirs.result,
      resultSha256: theirs.resultSha256,
      revision,
      fresh: false,
      why: 'stored',
      changes: [],
      inputsSha256: theirs.inputsSha256,
      record: theirs,
    };
  }
  saveEnd();
  const whyText =
    why === 'first'
      ? 'first evaluation'
      : why === 'new-data'
        ? `new data${changes.length > 1 ? `; ${changes.slice(1).join('; ')}` : ''}`
        : `inputs changed: ${changes.join('; ')}`;
  await store.appendAudit({
    lot,
    kind: 'evaluated',
    actor: 'lotqa',
    at: clock.now(),
    payload: {
      revision,
      resultSha256: saved.resultSha256,
      proposal: result.proposal.disposition,
      why: whyText,
      inputsSha256: inputs.sha256,
      // Which lotqa made it: in the audit trail, not the result, so result hashes do not change.
      lotqa: { ...lotqaBuild() },
    },
  });
  return {
    result: saved.result,
    resultSha256: saved.resultSha256,
    revision,
    fresh: true,
    why,
    changes,
    inputsSha256: inputs.sha256,
    record: saved,
    resultJson,
  };
}

/** The versions a decision is made under, as the LotResult records them. */
function versionsOf(result: LotResult): Pick<DecisionRecord, 'specVersion' | 'policyVersion' | 'baselineVersion'> {
  return {
    specVersion: result.product.specVersion,
    policyVersion: result.policy.version,
    baselineVersion: result.baseline?.version ?? null,
  };
}

/** Every recorded decision leaves the same event in the lot's audit trail. */
async function auditDecision(store: Store, record: DecisionRecord): Promise<void> {
  await store.appendAudit({
    lot: record.lot,
    kind: 'decided',
    actor: record.decidedBy,
    at: record.decidedAt,
    payload: {
      revision: record.revision,
      disposition: record.disposition,
      reason: record.reason,
      ...(record.signatures?.length ? { signatures: [...record.signatures] } : {}),
    },
  });
}

export interface SignOffOutcome {
  readonly decision: StoredDecision;
  /** False when a decision for this revision already existed (another run or worker made it). */
  readonly created: boolean;
}

/** Records the policy's decision for an evaluated revision — exactly once per revision. */
export async function signOffByPolicy(
  store: Store,
  evaluated: EvaluatedRevision,
  deps: { policy: AcceptancePolicy; clock?: Clock },
): Promise<SignOffOutcome> {
  const { result } = evaluated;
  const existing = standingDecision(await store.listDecisions(result.lot), evaluated.revision);
  if (existing) return { decision: existing, created: false };
  await refuseVoid(store, result.lot);
  const clock = deps.clock ?? systemClock;
  const top = result.proposal.reasons
    .filter((r) => r.severity !== 'INFO')
    .slice(0, 5)
    .map((r) => r.message);
  const record: DecisionRecord = {
    lot: result.lot,
    revision: evaluated.revision,
    disposition: result.proposal.disposition,
    decidedBy: `policy:${deps.policy.id}`,
    decidedKind: 'policy',
    decidedAt: clock.now(),
    reason: top.length > 0 ? top.join('; ') : 'every policy check passed',
    resultSha256: evaluated.resultSha256,
    ...versionsOf(result),
  };
  let decision: StoredDecision;
  try {
    decision = await store.insertDecision(record);
  } catch (err) {
    if (!(err instanceof DecisionConflictError)) throw err;
    const winner = standingDecision(await store.listDecisions(result.lot), evaluated.revision);
    if (!winner) throw err;
    return { decision: winner, created: false };
  }
  await auditDecision(store, record);
  await updateSamplingState(store, result, record.disposition);
  return { decision, created: true };
}

/** Z1.4 switching rules follow the original-inspection verdict of each lot of the product. */
async function updateSamplingState(store: Store, result: LotResult, _disposition: Disposition): Promise<void> {
  // No sample judged (no unit could be evaluated): nothing was inspected, so no switching rule moves.
  const outcome = inspectedOutcome(result.sampling);
  if (outcome === null) return;
  const productId = result.product.productId;
  const current = (await store.samplingState(productId))?.payload ?? initialSwitchingState();
  const step = nextState(current, outcome);
  await store.saveSamplingState(productId, step.state);
  if (step.transition) {
    await store.appendAudit({ lot: result.lot, kind: 'sampling-switch', actor: 'lotqa', payload: step.transition });
  }
}

export interface EngineerDecisionInput {
  readonly lot: string;
  readonly disposition: 'ACCEPT' | 'REJECT';
  readonly reason: string;
  readonly by: string;
  /** Written deviation: required to accept a lot whose units fail or whose checks failed. */
  readonly deviation?: string | undefined;
  readonly clock?: Clock;
  /** The signer's electronic signature (`signed-decision.ts` checks the password before it gets here). */
  readonly signatures?: readonly ESignature[];
}

/** An engineer's decision on a held lot, with the guards against the obvious mistakes. */
export async function decideByEngineer(store: Store, input: EngineerDecisionInput): Promise<StoredDecision> {
  await productOfLot(store, input.lot);
  await refuseVoid(store, input.lot);
  if (!input.reason.trim()) throw new LotStageError('a decision needs a written reason (--reason "…")');
  if (!input.by.trim()) throw new LotStageError('a decision needs the name of the engineer making it (--by NAME)');
  const latest = await store.latestEvaluation(input.lot);
  if (!latest)
    throw new LotStageError(`lot ${input.lot} has not been evaluated: run \`lotqa run\` or \`lotqa evaluate ${input.lot}\` first`);
  if ((await store.lotContentHash(input.lot)) !== latest.contentHash) {
    throw new LotStageError(
      `lot ${input.lot} has new data since revision ${latest.revision} was evaluated: evaluate it again (a new revision) before deciding`,
    );
  }
  const result = latest.result;
  const final = await store.finalDecision(input.lot, latest.revision);
  if (final) {
    throw new LotStageError(
      `lot ${input.lot} revision ${latest.revision} is already decided: ${final.disposition} by ${final.decidedBy} at ${final.decidedAt}. Decisions are never changed.`,
    );
  }
  // A lot with no evaluated unit has nothing to accept or certify, whatever deviation is written.
  if (input.disposition === 'ACCEPT' && result.units.length === 0)
    throw new LotStageError(
      `lot ${input.lot} revision ${latest.revision} has no evaluated unit${result.proposal.reasons.some((r) => r.code === 'file-conflict') ? ' (every run is held out by unresolved file conflicts)' : ''}: there is nothing to accept or certify`,
      {
        hint: `list its conflicts with lotqa conflicts ${input.lot}, keep one file each (lotqa conflicts resolve ${input.lot} <serial> --keep <sha256> --reason "…") and evaluate it again; or reject it (lotqa decide ${input.lot} --reject --reason "…" --sign-as ACCOUNT)`,
      },
    );
  if (input.disposition === 'ACCEPT') {
    const failing = result.units.filter((u) => u.final !== 'pass').length;
    const rejectReasons = result.proposal.reasons.filter((r) => r.severity === 'REJECT');
    if ((failing > 0 || rejectReasons.length > 0) && !input.deviation?.trim()) {
      throw new LotStageError(
        `lot ${input.lot}: ${counted(failing, 'unit')} ${agreeing(failing, 'does not pass its', 'do not pass their')} final attempt${rejectReasons.length ? ` and the policy found: ${rejectReasons.map((r) => r.message).join('; ')}` : ''}. Accepting it needs an explicit deviation: --deviation "<deviation number and justification>"`,
      );
    }
  }
  const clock = input.clock ?? systemClock;
  const record: DecisionRecord = {
    lot: input.lot,
    revision: latest.revision,
    disposition: input.disposition,
    decidedBy: input.by,
    decidedKind: 'engineer',
    decidedAt: clock.now(),
    reason: input.deviation ? `${input.reason} [deviation: ${input.deviation}]` : input.reason,
    resultSha256: latest.resultSha256,
    ...versionsOf(result),
    ...(input.signatures?.length ? { signatures: input.signatures } : {}),
  };
  const decision = await store.insertDecision(record);
  await auditDecision(store, record);
  return decision;
}

/** Freezes a baseline from qualified lots and makes it the product's active one (or, with `propose`, one awaiting approval). */
export async function createBaseline(
  store: Store,
  input: {
    productId: string;
    lots: readonly string[];
    exclusions?: readonly BaselineExclusion[];
    createdBy: string;
    clock?: Clock;
    spec?: ProductSpec;
    findSpec?: SpecFinder;
    /** The policy's `consistency.baselineMaxExcludedShare` (default 0.2). */
    maxExcludedShare?: number;
    /** Save it as proposed, to be approved with a signature (policy `signOff.baselineApproval: "required"`). @defaultValue false */
    propose?: boolean;
  },
): Promise<{ version: number; baseline: Baseline }> {
  const spec = input.spec ?? (input.findSpec ?? findProduct)(input.productId);
  if (input.lots.length === 0) throw new LotStageError('name the qualified lots the baseline is built from (--lots L1,L2,…)');
  const lots = [];
  for (const lot of input.lots) {
    const productId = await productOfLot(store, lot);
    if (productId !== spec.productId) throw new LotStageError(`lot ${lot} is product ${productId}, not ${spec.productId}`);
    const voided = (await voidedLots(store, [lot])).get(lot);
    if (voided) throw new LotStageError(`lot ${lot} is void (${voided.reason}): a baseline is built from qualified lots only`);
    lots.push(await store.loadLot(lot));
  }
  const baseline = buildBaseline({
    spec,
    lots,
    exclusions: input.exclusions ?? [],
    createdBy: input.createdBy,
    ...(input.maxExcludedShare !== undefined ? { maxExcludedShare: input.maxExcludedShare } : {}),
  });
  const clock = input.clock ?? systemClock;
  const rec = await store.saveBaseline({
    productId: spec.productId,
    createdBy: input.createdBy,
    payload: baseline,
    ...(input.propose ? { propose: true } : { activate: true }),
    createdAt: clock.now(),
  });
  await store.appendAudit({
    lot: null,
    kind: input.propose ? 'baseline-proposed' : 'baseline-created',
    actor: input.createdBy,
    at: clock.now(),
    payload: { productId: spec.productId, version: rec.version, lots: [...input.lots], exclusions: baseline.exclusions.length },
  });
  return { version: rec.version, baseline };
}
