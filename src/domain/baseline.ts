/**
 * @module Baseline — SPC phase I frozen per parameter × corner (× lane) from qualified lots. New lots are
 * judged against the active baseline of their product (phase II). Plain JSON, stored versioned.
 */
import type { FrozenLimits } from '../spc/chart-types.js';

export interface BaselineCell {
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  /** Values kept (after exclusions, uncensored). */
  readonly n: number;
  /** Grand mean over all kept values. */
  readonly mean: number;
  /** Pooled within-lot unit-to-unit standard deviation (the σ shifts are measured in). */
  readonly sigmaUnit: number;
  readonly dfUnit: number;
  /** Individuals-chart frozen limits (σ̂ = MR̄/d2 within lots). */
  readonly limits: FrozenLimits;
  readonly lotMeans: readonly number[];
  readonly lotSizes: readonly number[];
  /** Up to SAMPLE_CAP kept values (even stride), for distribution tests (KS, Brown–Forsythe). */
  readonly sample: readonly number[];
}

export interface BaselineExclusion {
  readonly lot: string;
  readonly serial: string;
  readonly reason: string;
}

export interface Baseline {
  readonly kind: 'lotqa/baseline';
  readonly productId: string;
  readonly specVersion: string;
  readonly lots: readonly string[];
  readonly createdBy: string;
  readonly cells: readonly BaselineCell[];
  readonly exclusions: readonly BaselineExclusion[];
  readonly notes: readonly string[];
}

/** A baseline as stored: versioned, one active per product. */
export interface StoredBaseline {
  readonly productId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly active: boolean;
  readonly payload: Baseline;
}

export function baselineCellKey(parameter: string, corner: string, lane: number | null): string {
  return `${parameter}|${corner}|${lane ?? 'm'}`;
}
