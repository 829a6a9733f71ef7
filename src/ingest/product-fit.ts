/**
 * @module Does a station file fit the product it is ingested as? An 8-lane file read as a 4-lane product
 * would store half its rows and quarantine the rest, and the lot would be rejected for a mistake in the
 * command line. So after a file is read, before anything is stored, three things are checked against
 * the product: lanes beyond the product's lane count, corner labels the product does not have, and the
 * share of tests (long format) or parameter columns (wide format) the product does not measure. A file
 * that does not fit is rejected ('wrong-product'), naming the product of the catalogs that fits it.
 *
 * Pure: it reads what the row mapper recorded (quarantine reasons with their raw values), so the per-row
 * work pays nothing for it; only a file that does not fit is read again, once per candidate product.
 */
import type { Measurement, QuarantineEntry } from '../domain/measurement.js';
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import { resolveLimits } from '../domain/spec-limits.js';
import { laneNumber } from './lane-cell.js';

/** More than this share of a file's rows naming lanes beyond the product, or corners it lacks, is not a stray typo. */
export const MAX_MISPLACED_ROW_SHARE = 0.1;
/** More than this share of a file's tests (rows, or parameter columns) unknown to the product: another product. */
export const MAX_UNKNOWN_TEST_SHARE = 0.5;

/** What a file showed about its product while it was read. */
export interface FileEvidence {
  readonly dataRows: number;
  /** Highest 0-based lane among the file's readings (-1 for none), asked only when something is misplaced. */
  readonly maxLane: () => number;
  readonly quarantine: readonly QuarantineEntry[];
  /** Wide format: profile columns present in the header, and those whose parameter the product lacks. */
  readonly wideColumns: number;
  readonly wideUnknownParameters: number;
}

export interface ProductFit {
  readonly fits: boolean;
  /** What does not fit, in words ("8 lanes found; product qsfp112-400g-dr4 has 4"). */
  readonly findings: readonly string[];
  /** First line that shows it, or null. */
  readonly line: number | null;
  /** How badly: rows (or columns) the product cannot place; 0 for a perfect fit. */
  readonly misplaced: number;
  /** Lanes the file holds (highest lane seen); 0 when the file fits without looking. */
  readonly lanesFound: number;
}

const REASONS = new Set(['bad-lane', 'unknown-corner', 'unknown-parameter']);

/** The answer for a file with nothing misplaced (most files): one shared, frozen object. */
const FITS: ProductFit = Object.freeze({
  fits: true,
  findings: Object.freeze([]),
  line: null,
  misplaced: 0,
  lanesFound: 0,
});

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Checks a read file against the product it was read as. */
export function checkProductFit(evidence: FileEvidence, product: ProductSpec, profile: StationProfile): ProductFit {
  let maxLane = -1;
  let relevant = evidence.wideUnknownParameters > 0;
  for (const q of evidence.quarantine) if (REASONS.has(q.reason)) relevant = true;
  if (!relevant) return FITS;

  maxLane = Math.max(maxLane, evidence.maxLane());
  const base = profile.laneBase;
  let beyondRows = 0;
  let beyondLine: number | null = null;
  const unknownCorners = new Map<string, number>();
  let cornerLine: number | null = null;
  const unknownTests = new Map<string, number>();
  let testLine: number | null = null;
  for (const q of evidence.quarantine) {
    const raw = (q.rawValue ?? '').trim();
    const written = q.reason === 'bad-lane' ? laneNumber(raw, profile) : null;
    if (written !== null) {
      const lane = written - base;
      if (lane >= product.laneCount) {
        beyondRows++;
        beyondLine ??= q.line;
        if (lane > maxLane) maxLane = lane;
      }
    } else if (q.reason === 'unknown-corner') {
      unknownCorners.set(raw, (unknownCorners.get(raw) ?? 0) + 1);
      cornerLine ??= q.line;
    } else if (q.reason === 'unknown-parameter' && profile.format === 'long') {
      unknownTests.set(raw, (unknownTests.get(raw) ?? 0) + 1);
      testLine ??= q.line;
    }
  }
  const rows = Math.max(1, evidence.dataRows);
  const findings: string[] = [];
  let line: number | null = null;
  const lanesFound = maxLane + 1;
  if (beyondRows >= 2 && beyondRows / rows > MAX_MISPLACED_ROW_SHARE) {
    findings.push(`${count(lanesFound, 'lane')} found; product ${product.productId} has ${product.laneCount}`);
    line ??= beyondLine;
  }
  const cornerRows = [...unknownCorners.values()].reduce((a, b) => a + b, 0);
  if (cornerRows >= 2 && cornerRows / rows > MAX_MISPLACED_ROW_SHARE) {
    findings.push(
      `corner${unknownCorners.size === 1 ? '' : 's'} ${[...unknownCorners.keys()].map((c) => `'${c}'`).join(', ')} (${count(cornerRows, 'row')}) found; product ${product.productId} has ${product.corners.map((c) => c.id).join(', ')}`,
    );
    line ??= cornerLine;
  }
  const testRows = [...unknownTests.values()].reduce((a, b) => a + b, 0);
  if (profile.format === 'long' && testRows >= 2 && testRows / rows > MAX_UNKNOWN_TEST_SHARE) {
    const names = [...unknownTests.keys()];
    findings.push(
      `${testRows} of ${evidence.dataRows} rows are tests product ${product.productId} does not have (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})`,
    );
    line ??= testLine;
  }
  if (
    profile.format === 'wide' &&
    evidence.wideUnknownParameters >= 2 &&
    evidence.wideUnknownParameters / Math.max(1, evidence.wideColumns) > MAX_UNKNOWN_TEST_SHARE
  ) {
    findings.push(
      `${evidence.wideUnknownParameters} of ${evidence.wideColumns} parameter columns are parameters product ${product.productId} does not measure`,
    );
  }
  const misplaced = beyondRows + cornerRows + testRows + evidence.wideUnknownParameters * rows;
  return { fits: findings.length === 0, findings, line, misplaced, lanesFound };
}

/**
 * Readings outside the product's constant limits: between products that both place every row (DR8 and
 * its linear-drive variant), the one whose limits the readings keep is the likelier.
 */
function readingsOutsideLimits(product: ProductSpec, measurements: readonly Measurement[]): number {
  let outside = 0;
  for (const m of measurements) {
    let limits;
    try {
      limits = resolveLimits(product, m.parameter, m.corner, m.lane);
    } catch {
      continue;
    }
    if (m.censoring !== 'none') continue;
    if (limits.lsl?.kind === 'constant' && m.value < limits.lsl.value) outside++;
    else if (limits.usl?.kind === 'constant' && m.value > limits.usl.value) outside++;
  }
  return outside;
}

/**
 * The candidate that fits best: it fits, then the fewest misplaced rows, then the fewest readings outside
 * its limits, then a lane count closest to the lanes found (an 8-lane file is an 8-lane product's before
 * a 16-lane one's), then its id.
 */
export function bestFit(
  candidates: readonly { readonly product: ProductSpec; readonly fit: ProductFit; readonly measurements: readonly Measurement[] }[],
  lanesFound: number,
): ProductSpec | null {
  const fitting = candidates.filter((c) => c.fit.fits).map((c) => ({ ...c, outside: readingsOutsideLimits(c.product, c.measurements) }));
  if (fitting.length === 0) return null;
  const lanes = Math.max(lanesFound, ...candidates.map((c) => c.fit.lanesFound));
  fitting.sort(
    (a, b) =>
      a.fit.misplaced - b.fit.misplaced ||
      a.outside - b.outside ||
      Math.abs(a.product.laneCount - lanes) - Math.abs(b.product.laneCount - lanes) ||
      (a.product.productId < b.product.productId ? -1 : a.product.productId > b.product.productId ? 1 : 0),
  );
  return fitting[0]!.product;
}
