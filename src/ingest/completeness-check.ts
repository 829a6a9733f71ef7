/**
 * @module After a file is read: which measurements the product spec expects from each tested unit but
 * the file did not deliver (a lane never measured, a corner skipped, a value quarantined). The stored
 * measurements are kept; the gap is recorded as one 'missing-measurements' entry per unit (line 0)
 * so lot evaluation can tell an incomplete unit from a passing one.
 */
import type { QuarantineEntry, TestRun } from '../domain/measurement.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { laneName, type LaneNaming } from '../domain/lanes.js';

/** Lists, per run, what the product expects and the file lacks. */
export function findMissingMeasurements(args: {
  readonly fileLabel: string;
  readonly product: ProductSpec;
  readonly runs: readonly TestRun[];
  /** Parameters the station profile can deliver; all non-derived product parameters when null. */
  readonly deliverable: ReadonlySet<string> | null;
  readonly has: (run: number, param: string, corner: string, lane: number | null) => boolean;
  /** A quick answer for a run that has everything (most runs); the full check runs when it says no. */
  readonly complete?: (run: number) => boolean;
}): QuarantineEntry[] {
  const { product, runs, deliverable, has, fileLabel } = args;
  const out: QuarantineEntry[] = [];
  const allCorners = product.corners.map((c) => c.id);
  runs.forEach((run, r) => {
    if (args.complete?.(r) === true) return;
    const gaps: string[] = [];
    for (const p of product.parameters) {
      if (p.derived !== undefined || (deliverable !== null && !deliverable.has(p.id))) continue;
      for (const corner of p.corners ?? allCorners) {
        if (p.scope === 'module') {
          if (!has(r, p.id, corner, null)) gaps.push(`${p.id} @ ${corner}`);
          continue;
        }
        const lanes: number[] = [];
        for (let lane = 0; lane < product.laneCount; lane++) if (!has(r, p.id, corner, lane)) lanes.push(lane);
        if (lanes.length === product.laneCount) gaps.push(`${p.id} @ ${corner} (all lanes)`);
        else if (lanes.length > 0)
          gaps.push(
            `${p.id} @ ${corner} lane${lanes.length > 1 ? 's' : ''} ${lanes.map((l) => laneName(product as LaneNaming, l)).join(', ')}`,
          );
      }
    }
    if (gaps.length === 0) return;
    const shown = gaps.slice(0, 25).join('; ');
    const more = gaps.length > 25 ? `; and ${gaps.length - 25} more` : '';
    out.push({
      file: fileLabel,
      line: 0,
      column: null,
      rawValue: null,
      reason: 'missing-measurements',
      message: `${fileLabel}: unit ${run.serial} (lot ${run.lot}, tested ${run.testTime}) lacks ${gaps.length} expected measurement group${gaps.length > 1 ? 's' : ''} of product ${product.productId}: ${shown}${more}. The measurements present are kept; re-test the unit or submit the missing data before the lot is decided.`,
    });
  });
  return out;
}
