/**
 * @module Lots with their status: what the store holds of each lot, how far it got (complete?
 * evaluated? decided? certified? changed since?), its yields and age — answered from the lots, runs,
 * evaluation summary columns, decisions, certificates and completeness events, never from a LotResult
 * document. Five queries for every lot at once, whatever their size.
 */
import { standingDecision } from '../domain/decision.js';
import type { Disposition } from '../domain/lot-result.js';
import { toDecision } from '../store/records/decision-records.js';
import { lotSummaryQuery, toLotSummary } from '../store/records/lot-records.js';
import type { Store, StoredDecision } from '../store/store.js';
import { instantFromDb } from '../store/stored-values.js';
import { completenessEvents, completenessOf } from './lot-completeness.js';
import { voidedLots, type LotVoid } from './lot-voids.js';

/**
 * Where a lot stands, in the order a lot moves through them:
 * - `open`: collecting units, not complete, never evaluated;
 * - `complete`: complete (closed, or its expected units stored), waiting for its evaluation;
 * - `evaluated`: its latest revision has a result but no decision yet;
 * - `on-hold`: the policy held it: waiting for an engineer's decision;
 * - `accepted` / `rejected`: decided;
 * - `changed`: files arrived after its latest evaluation, so that evaluation (and its decision) no
 *   longer covers what is stored: it needs a new revision;
 * - `void`: voided by an engineer (`lotqa lot void`): kept with everything recorded, out of baselines.
 */
export type LotState = 'open' | 'complete' | 'evaluated' | 'on-hold' | 'accepted' | 'rejected' | 'changed' | 'void';

export interface LotOverview {
  readonly lot: string;
  readonly productId: string;
  /** Distinct serials stored. */
  readonly units: number;
  /** Test runs, retests included. */
  readonly runs: number;
  readonly files: number;
  readonly measurements: number;
  /** ISO-8601 instants of the lot's first and last test. */
  readonly firstTestTime: string;
  readonly lastTestTime: string;
  /** Hours from the lot's first test to `now`. */
  readonly ageHours: number;
  readonly state: LotState;
  readonly complete: boolean;
  readonly expectedUnits: number | null;
  /** Why the lot is (or is not yet) complete, in words. */
  readonly completeness: string;
  /** The latest evaluated revision, or null. */
  readonly revision: number | null;
  readonly evaluatedAt: string | null;
  readonly resultSha256: string | null;
  /** Files arrived after the latest evaluation. */
  readonly changedSinceEvaluation: boolean;
  /** What the policy proposed for the latest revision. */
  readonly proposal: Disposition | null;
  /** Of the latest revision (fractions 0…1). */
  readonly firstPassYield: number | null;
  readonly finalYield: number | null;
  /** The standing decision of the latest revision (its ACCEPT/REJECT, else its HOLD), or null. */
  readonly decision: StoredDecision | null;
  /** Certificates issued for the lot, every revision. */
  readonly certificates: number;
  /** Why, by whom and when the lot was voided, or null. */
  readonly voided: LotVoid | null;
}

export interface LotOverviewOptions {
  /** The instant ages are measured to. @defaultValue now */
  readonly now?: Date;
}

/** Every stored lot with its status, sorted by lot id. */
export function listLotOverviews(store: Store, options: LotOverviewOptions = {}): Promise<LotOverview[]> {
  return overviews(store, undefined, options);
}

/** One lot with its status, or null when nothing is stored for it. */
export async function lotOverview(store: Store, lot: string, options: LotOverviewOptions = {}): Promise<LotOverview | null> {
  return (await overviews(store, lot, options))[0] ?? null;
}

async function overviews(store: Store, lot: string | undefined, options: LotOverviewOptions): Promise<LotOverview[]> {
  const { db } = store.reads;
  const now = (options.now ?? new Date()).getTime();

  let summaryQuery = lotSummaryQuery(db).orderBy('l.lot');
  if (lot !== undefined) summaryQuery = summaryQuery.where('l.lot', '=', lot);
  const summaries = (await summaryQuery.execute()).map(toLotSummary);
  if (summaries.length === 0) return [];
  const only = lot === undefined ? undefined : [lot];

  let latestQuery = db
    .selectFrom('lot_evaluations as e')
    .select([
      'e.lot',
      'e.revision',
      'e.evaluated_at',
      'e.content_hash',
      'e.result_sha256',
      'e.proposal',
      'e.file_count',
      'e.first_pass_yield',
      'e.final_yield',
    ])
    .where('e.revision', '=', (eb) =>
      eb
        .selectFrom('lot_evaluations as e2')
        .select((e2) => e2.fn.max('e2.revision').as('latest'))
        .whereRef('e2.lot', '=', 'e.lot'),
    );
  if (only) latestQuery = latestQuery.where('e.lot', 'in', only);
  const latest = new Map((await latestQuery.execute()).map((e) => [e.lot, e]));

  let decisionQuery = db.selectFrom('decisions').selectAll().orderBy('id');
  if (only) decisionQuery = decisionQuery.where('lot', 'in', only);
  const decisions = new Map<string, StoredDecision[]>();
  for (const row of await decisionQuery.execute()) {
    const list = decisions.get(row.lot) ?? [];
    list.push(toDecision(row, store.reads));
    decisions.set(row.lot, list);
  }

  let certificateQuery = db
    .selectFrom('certificates')
    .select(['lot', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('lot');
  if (only) certificateQuery = certificateQuery.where('lot', 'in', only);
  const certificates = new Map((await certificateQuery.execute()).map((c) => [c.lot, Number(c.n)]));

  const events = await completenessEvents(store, only);
  const voids = await voidedLots(store, only);

  const out: LotOverview[] = [];
  for (const s of summaries) {
    const e = latest.get(s.lot);
    const completeness = completenessOf(s.lot, events.get(s.lot) ?? [], s.units);
    const decision = e ? standingDecision(decisions.get(s.lot) ?? [], e.revision) : null;
    let changed = false;
    if (e) {
      // A lot's files are only ever added: more files than were evaluated means new data. A row written
      // without the summary columns (an older lotqa) is compared by content hash instead.
      changed = e.file_count !== null ? s.files !== e.file_count : (await store.lotContentHash(s.lot)) !== e.content_hash;
    }
    out.push({
      lot: s.lot,
      productId: s.productId,
      units: s.units,
      runs: s.runs,
      files: s.files,
      measurements: s.measurements,
      firstTestTime: s.firstTestTime,
      lastTestTime: s.lastTestTime,
      ageHours: Math.max(0, (now - Date.parse(s.firstTestTime)) / 3_600_000),
      state: voids.has(s.lot) ? 'void' : stateOf(completeness.complete, e !== undefined, changed, decision),
      complete: completeness.complete,
      expectedUnits: completeness.expectedUnits,
      completeness: completeness.why,
      revision: e?.revision ?? null,
      evaluatedAt: e ? instantFromDb(e.evaluated_at) : null,
      resultSha256: e?.result_sha256 ?? null,
      changedSinceEvaluation: changed,
      proposal: e?.proposal ?? null,
      firstPassYield: e?.first_pass_yield ?? null,
      finalYield: e?.final_yield ?? null,
      decision,
      certificates: certificates.get(s.lot) ?? 0,
      voided: voids.get(s.lot) ?? null,
    });
  }
  return out;
}

function stateOf(complete: boolean, evaluated: boolean, changed: boolean, decision: StoredDecision | null): LotState {
  if (evaluated && changed) return 'changed';
  if (decision) return decision.disposition === 'ACCEPT' ? 'accepted' : decision.disposition === 'REJECT' ? 'rejected' : 'on-hold';
  if (evaluated) return 'evaluated';
  return complete ? 'complete' : 'open';
}
