/**
 * @module GenerateHistory — several consecutive lots of one product, for baselines and the demo.
 * Lots share the product's fixed lane and station offsets and differ by their random lot offset
 * (`lotSigma`, default 0.15σ) and their own injections. Each lot starts `gapHours` after the
 * previous one's last first-pass test, so time order follows list order.
 */
import type { ProductSpec } from '../domain/product-spec.js';
import { generateLot, type GeneratedLot } from './generate-lot.js';
import type { GenerateLotOptions } from './lot-options.js';
import type { Seed } from './seeded-random.js';

/** One lot of a history: the lot options without the product, seed optional. */
export type HistoryLot = Omit<GenerateLotOptions, 'spec' | 'seed'> & { readonly seed?: Seed };

/** A slow drift of a parameter's lot mean across the history: lot k (0-based) is moved k × `sigmaPerLot`. */
export interface HistoryDrift {
  readonly parameter: string;
  /** Movement per lot in unit-to-unit σ (negative = down). */
  readonly sigmaPerLot: number;
}

export interface GenerateHistoryOptions {
  readonly product: ProductSpec;
  readonly lots: readonly HistoryLot[];
  /** Root seed; lot k without its own seed uses `<seed>/<lot id>`. @defaultValue "history" */
  readonly seed?: Seed;
  /** ISO-8601 start of the first lot (later lots follow on). */
  readonly startTime?: string;
  /** Hours between the end of one lot's first-pass testing and the start of the next. @defaultValue 12 */
  readonly gapHours?: number;
  /** Options every lot shares unless it sets its own (e.g. laneLotSigma, laneCorrelation, stations). */
  readonly lotDefaults?: Partial<Omit<HistoryLot, 'lot' | 'units'>>;
  /** Drifts across the history, applied as a shift of every lane and corner of the parameter. */
  readonly drift?: readonly HistoryDrift[];
}

/**
 * @example
 * const lots = generateHistory({ product: spec, lots: [{ lot: 'L01', units: 300 }, { lot: 'L02', units: 300 }] });
 */
export function generateHistory(options: GenerateHistoryOptions): GeneratedLot[] {
  const root = options.seed ?? 'history';
  const gapMs = (options.gapHours ?? 12) * 3_600_000;
  const out: GeneratedLot[] = [];
  let next: string | undefined = options.startTime;
  for (const [k, own] of options.lots.entries()) {
    const lot: HistoryLot = { ...options.lotDefaults, ...own };
    const drifts = (options.drift ?? []).filter((d) => k > 0 && d.sigmaPerLot !== 0);
    const generated = generateLot({
      ...lot,
      ...(drifts.length > 0
        ? { shifts: [...(lot.shifts ?? []), ...drifts.map((d) => ({ parameter: d.parameter, sigma: k * d.sigmaPerLot }))] }
        : {}),
      spec: options.product,
      seed: lot.seed ?? `${String(root)}/${lot.lot}`,
      ...(lot.startTime !== undefined ? {} : next !== undefined ? { startTime: next } : {}),
    });
    out.push(generated);
    const last = generated.runs.filter((r) => r.attempt === 1).reduce((m, r) => Math.max(m, Date.parse(r.testTime)), 0);
    next = new Date(last + gapMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return out;
}
