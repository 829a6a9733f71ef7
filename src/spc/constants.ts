/**
 * @module constants — the control-chart constants d2, d3, c4 and the factors derived from them
 * (A2, A3, B3, B4, D3, D4, E2), computed rather than copied from a 3-decimal table.
 *
 * Why computed: textbook tables round to 3–4 decimals (qcc even rounds d2 to 3), which moves limits in
 * the 4th–6th digit and stops at n = 25. Here
 * - d2(n) = E[R/σ] = ∫ (1 − (1−Φ(x))ⁿ − Φ(x)ⁿ) dx, integrated numerically;
 * - d3(n) = SD[R/σ] from E[(R/σ)²] = 2 ∫₀^∞ w·P(R > w) dw with
 *   P(R ≤ w) = n ∫ φ(x)(Φ(x+w) − Φ(x))ⁿ⁻¹ dx (Tippett 1925; Harter 1960), integrated numerically;
 * - c4(n) = √(2/(n−1)) Γ(n/2)/Γ((n−1)/2), with the gamma ratio from stdlib (Boost's tgamma_delta_ratio),
 *   accurate for any n (the pooled-SD estimator needs c4(d+1) with d in the millions).
 * Derived factors follow spc-reference §1.3 (L = 3). Results are cached per n.
 *
 * The integrator is composite 20-point Gauss–Legendre on unit panels over a truncated range; the
 * integrands are analytic and decay like φ, so truncation and rule error are far below 1e-10
 * (tests check the published 5-decimal table for n = 2…25 and closed forms for n = 2, 3).
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import gammaDeltaRatio from '@stdlib/math-base-special-gamma-delta-ratio';
import { SpcInputError } from './spc-error.js';

/** Largest subgroup size for range-based constants (d2, d3). Ranges waste information long before this. */
export const MAX_RANGE_SUBGROUP_SIZE = 100;

/** The constants for one subgroup size n (L = 3 factors). */
export interface SubgroupConstants {
  readonly n: number;
  readonly d2: number;
  readonly d3: number;
  readonly c4: number;
  readonly A2: number;
  readonly A3: number;
  readonly B3: number;
  readonly B4: number;
  readonly D3: number;
  readonly D4: number;
  readonly E2: number;
}

// ---- Gauss–Legendre rule (nodes/weights on [-1, 1]) computed once by Newton iteration on P_m ----
const GL_ORDER = 20;
const { nodes: GL_NODES, weights: GL_WEIGHTS } = gaussLegendre(GL_ORDER);

/** Nodes and weights of the m-point Gauss–Legendre rule (Golub & Welsch values, via Newton on P_m). */
export function gaussLegendre(m: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(m);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= m; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (m * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

/** ∫_a^b f, composite Gauss–Legendre on panels of width `panel`. */
export function integrate(f: (x: number) => number, a: number, b: number, panel = 1): number {
  const panels = Math.max(1, Math.ceil((b - a) / panel));
  const h = (b - a) / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * h;
    let s = 0;
    for (let j = 0; j < GL_ORDER; j++) s += (GL_WEIGHTS[j] as number) * f(mid + 0.5 * h * (GL_NODES[j] as number));
    sum += 0.5 * h * s;
  }
  return sum;
}

/** Upper tail Q(x) = 1 − Φ(x), computed without cancellation. */
const upperTail = (x: number): number => normalCdf(-x, 0, 1);
const pdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** d2(n) = E[R/σ]: 2 ∫₀^∞ (1 − Φ(x)ⁿ − Q(x)ⁿ) dx (the integrand is even). */
function d2Integral(n: number): number {
  const f = (x: number): number => {
    const q = upperTail(x);
    return -Math.expm1(n * Math.log1p(-q)) - Math.pow(q, n);
  };
  return 2 * integrate(f, 0, 12);
}

/** P(R/σ > w) for a sample of n standard normals. */
function rangeExceedance(n: number, w: number, xs: Float64Array, wts: Float64Array, phi: Float64Array, qx: Float64Array): number {
  let s = 0;
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j] as number;
    // Φ(x+w) − Φ(x), formed from upper tails when x > 0 to avoid cancellation near 1.
    const diff = x > 0 ? (qx[j] as number) - upperTail(x + w) : normalCdf(x + w, 0, 1) - (1 - (qx[j] as number));
    s += (wts[j] as number) * (phi[j] as number) * Math.pow(diff, n - 1);
  }
  return 1 - n * s;
}

/** E[R/σ] and E[(R/σ)²] via the distribution of the range (outer over w, inner over x). */
function rangeMoments(n: number): { mean: number; second: number } {
  // Inner quadrature grid over x ∈ [-10, 10] (panels of width 2), fixed for every w.
  const panels = 10;
  const len = panels * GL_ORDER;
  const xs = new Float64Array(len);
  const wts = new Float64Array(len);
  for (let p = 0; p < panels; p++) {
    const mid = -10 + 2 * p + 1;
    for (let j = 0; j < GL_ORDER; j++) {
      xs[p * GL_ORDER + j] = mid + (GL_NODES[j] as number);
      wts[p * GL_ORDER + j] = GL_WEIGHTS[j] as number;
    }
  }
  const phi = xs.map(pdf);
  const qx = xs.map(upperTail);
  // One pass over the outer nodes gives both moments (panels of width 2 over w ∈ [0, 16]).
  let mean = 0;
  let second = 0;
  for (let p = 0; p < 8; p++) {
    for (let j = 0; j < GL_ORDER; j++) {
      const w = 2 * p + 1 + (GL_NODES[j] as number);
      const e = (GL_WEIGHTS[j] as number) * rangeExceedance(n, w, xs, wts, phi, qx);
      mean += e;
      second += 2 * w * e;
    }
  }
  return { mean, second };
}

function checkSize(n: number, what: string, max: number): void {
  if (!Number.isInteger(n) || n < 2) {
    throw new SpcInputError(
      `${what}: subgroup size must be an integer ≥ 2, got ${String(n)} (a subgroup of one has no range or SD; use the I-MR chart)`,
      {
        value: n,
      },
    );
  }
  if (n > max) {
    throw new SpcInputError(`${what}: subgroup size ${n} is above ${max}; use the S chart (c4) for large subgroups`, { value: n });
  }
}

const d2Cache = new Map<number, number>();
const d3Cache = new Map<number, number>();
const constCache = new Map<number, SubgroupConstants>();

/** d2(n) = E[R/σ], the mean of the relative range of n normal observations. */
export function d2(n: number): number {
  checkSize(n, 'd2', MAX_RANGE_SUBGROUP_SIZE);
  let v = d2Cache.get(n);
  if (v === undefined) {
    v = n === 2 ? 2 / Math.sqrt(Math.PI) : d2Integral(n);
    d2Cache.set(n, v);
  }
  return v;
}

/** d3(n) = SD[R/σ], the standard deviation of the relative range. */
export function d3(n: number): number {
  checkSize(n, 'd3', MAX_RANGE_SUBGROUP_SIZE);
  let v = d3Cache.get(n);
  if (v === undefined) {
    if (n === 2) {
      v = Math.sqrt(2 - 4 / Math.PI); // R = √2·|Z|: Var = 2 − (2/√π)²
    } else {
      const m = d2(n);
      v = Math.sqrt(rangeMoments(n).second - m * m);
    }
    d3Cache.set(n, v);
  }
  return v;
}

/** Mean of the relative range computed through the range distribution (a cross-check of d2). */
export function d2ViaRangeDistribution(n: number): number {
  checkSize(n, 'd2', MAX_RANGE_SUBGROUP_SIZE);
  return rangeMoments(n).mean;
}

/** c4(n) = E[s/σ] = √(2/(n−1)) Γ(n/2)/Γ((n−1)/2), for any n ≥ 2. */
export function c4(n: number): number {
  checkSize(n, 'c4', Number.MAX_SAFE_INTEGER);
  // Γ(n/2)/Γ((n−1)/2) = 1 / gammaDeltaRatio((n−1)/2, 1/2)
  return Math.sqrt(2 / (n - 1)) / gammaDeltaRatio((n - 1) / 2, 0.5);
}

/** All constants for subgroup size n (2 ≤ n ≤ MAX_RANGE_SUBGROUP_SIZE), cached. */
export function subgroupConstants(n: number): SubgroupConstants {
  checkSize(n, 'subgroupConstants', MAX_RANGE_SUBGROUP_SIZE);
  const hit = constCache.get(n);
  if (hit) return hit;
  const D2 = d2(n);
  const D3v = d3(n);
  const C4 = c4(n);
  const sq = Math.sqrt(n);
  const sWidth = (3 * Math.sqrt(1 - C4 * C4)) / C4;
  const c: SubgroupConstants = Object.freeze({
    n,
    d2: D2,
    d3: D3v,
    c4: C4,
    A2: 3 / (D2 * sq),
    A3: 3 / (C4 * sq),
    B3: Math.max(0, 1 - sWidth),
    B4: 1 + sWidth,
    D3: Math.max(0, 1 - (3 * D3v) / D2),
    D4: 1 + (3 * D3v) / D2,
    E2: 3 / D2,
  });
  constCache.set(n, c);
  return c;
}
