/**
 * @module attribute-charts — p, np, u (and c) charts, spc-reference §1 / Montgomery ch. 7.
 *
 * p chart: p_i = D_i/n_i, CL p̄ = ΣD/Σn, limits p̄ ± L√(p̄(1−p̄)/n_i).
 * np chart: CL n p̄, limits n p̄ ± L√(n p̄(1−p̄)) (one n; for varying n use the p chart).
 * u chart: u_i = c_i/n_i (n_i inspection units), CL ū = Σc/Σn, limits ū ± L√(ū/n_i).
 * c chart: the u chart with one inspection unit per sample.
 * Varying n gives per-point limits; every LCL is floored at 0. UCLs are not capped.
 * Phase II: pass `frozen.centre` (p̄ or ū from Phase I).
 */
import type { ControlChart, FrozenLimits, PerPoint } from './chart-types.js';
import { shewhartLimits } from './chart-types.js';
import { evaluateRules, type RuleSelection } from './run-rules.js';
import { SpcInputError, assertFiniteSeries, assertSigmaMultiplier } from './spc-error.js';

export interface AttributeChartOptions {
  /** L. @defaultValue 3 */
  readonly sigmaMultiplier?: number;
  /** @defaultValue `{ set: 'nelson', rules: [1] }` */
  readonly rules?: RuleSelection | readonly RuleSelection[];
  /** Phase II: p̄ (p/np) or ū (u/c) from a Phase I baseline. */
  readonly frozen?: Pick<FrozenLimits, 'centre'> & Partial<Pick<FrozenLimits, 'sigmaMultiplier'>>;
}

function readSizes(
  counts: ArrayLike<number>,
  sizes: number | ArrayLike<number>,
  what: string,
  integerSizes: boolean,
): { at: (i: number) => number; constant: boolean; total: number } {
  const m = counts.length;
  if (m === 0) throw new SpcInputError(`${what}: no samples given`);
  assertFiniteSeries(counts, what);
  if (typeof sizes !== 'number' && sizes.length !== m)
    throw new SpcInputError(`${what}: ${sizes.length} sample sizes for ${m} counts; give one size per sample or a single number`);
  const at = (i: number): number => (typeof sizes === 'number' ? sizes : (sizes[i] as number));
  let total = 0;
  let constant = true;
  for (let i = 0; i < m; i++) {
    const n = at(i);
    if (!Number.isFinite(n) || n <= 0 || (integerSizes && !Number.isInteger(n))) {
      throw new SpcInputError(`${what}: sample ${i} has size ${String(n)}; sizes must be positive${integerSizes ? ' integers' : ''}`, {
        index: i,
        value: n,
      });
    }
    const c = counts[i] as number;
    if (c < 0) throw new SpcInputError(`${what}: sample ${i} has a negative count ${c}`, { index: i, value: c });
    if (integerSizes && c > n)
      throw new SpcInputError(`${what}: sample ${i} has ${c} nonconforming out of ${n} inspected`, { index: i, value: c });
    total += n;
    if (n !== at(0)) constant = false;
  }
  return { at, constant, total };
}

function sumOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s;
}

function perSample(constant: boolean, m: number, at: (i: number) => number, f: (n: number) => number): PerPoint {
  if (constant) return f(at(0));
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = f(at(i));
  return out;
}

function centreOrFrozen(
  options: AttributeChartOptions,
  estimate: () => number,
  what: string,
  upper: number,
): { centre: number; estimator: ControlChart['estimator'] } {
  if (options.frozen) {
    const c = options.frozen.centre;
    if (!Number.isFinite(c) || c <= 0 || c >= upper)
      throw new SpcInputError(`${what}: frozen centre ${String(c)} is outside (0, ${upper})`);
    return { centre: c, estimator: 'known' };
  }
  const c = estimate();
  if (!(c > 0) || !(c < upper)) {
    throw new SpcInputError(
      `${what}: the centre line is ${c}; with ${c === 0 ? 'no' : 'only'} nonconforming in every sample the chart has zero width — use a larger sample or a g/t chart`,
    );
  }
  return { centre: c, estimator: 'known' };
}

function build(
  kind: ControlChart['kind'],
  estimator: ControlChart['estimator'],
  points: Float64Array,
  centre: PerPoint,
  se: PerPoint,
  L: number,
  sizes: PerPoint,
  sigma: number,
  rules: RuleSelection | readonly RuleSelection[],
): ControlChart {
  const limits = shewhartLimits(centre, se, L, true, points.length);
  return {
    kind,
    estimator,
    sigma,
    sigmaMultiplier: L,
    points,
    pointOffset: 0,
    sizes,
    limits,
    signals: evaluateRules(points, limits, rules),
  };
}

/** p chart of fraction nonconforming D_i/n_i. */
export function pChart(
  defectives: ArrayLike<number>,
  sizes: number | ArrayLike<number>,
  options: AttributeChartOptions = {},
): ControlChart {
  const L = options.sigmaMultiplier ?? options.frozen?.sigmaMultiplier ?? 3;
  assertSigmaMultiplier(L);
  const s = readSizes(defectives, sizes, 'p chart', true);
  const m = defectives.length;
  const { centre } = centreOrFrozen(options, () => sumOf(defectives) / s.total, 'p chart', 1);
  const points = new Float64Array(m);
  for (let i = 0; i < m; i++) points[i] = (defectives[i] as number) / s.at(i);
  const se = perSample(s.constant, m, s.at, (n) => Math.sqrt((centre * (1 - centre)) / n));
  const sizeLine = perSample(s.constant, m, s.at, (n) => n);
  return build(
    'p',
    'binomial',
    points,
    centre,
    se,
    L,
    sizeLine,
    typeof se === 'number' ? se : NaN,
    options.rules ?? { set: 'nelson', rules: [1] },
  );
}

/** np chart of the number nonconforming, one sample size n. */
export function npChart(defectives: ArrayLike<number>, size: number, options: AttributeChartOptions = {}): ControlChart {
  const L = options.sigmaMultiplier ?? options.frozen?.sigmaMultiplier ?? 3;
  assertSigmaMultiplier(L);
  if (typeof size !== 'number') throw new SpcInputError('np chart needs one sample size; use the p chart when sizes vary');
  const s = readSizes(defectives, size, 'np chart', true);
  const { centre: p } = centreOrFrozen(options, () => sumOf(defectives) / s.total, 'np chart', 1);
  const se = Math.sqrt(size * p * (1 - p));
  return build('np', 'binomial', Float64Array.from(defectives), size * p, se, L, size, se, options.rules ?? { set: 'nelson', rules: [1] });
}

/** u chart of nonconformities per inspection unit c_i/n_i (n_i may be fractional). */
export function uChart(counts: ArrayLike<number>, units: number | ArrayLike<number>, options: AttributeChartOptions = {}): ControlChart {
  const L = options.sigmaMultiplier ?? options.frozen?.sigmaMultiplier ?? 3;
  assertSigmaMultiplier(L);
  const s = readSizes(counts, units, 'u chart', false);
  const m = counts.length;
  const { centre } = centreOrFrozen(options, () => sumOf(counts) / s.total, 'u chart', Infinity);
  const points = new Float64Array(m);
  for (let i = 0; i < m; i++) points[i] = (counts[i] as number) / s.at(i);
  const se = perSample(s.constant, m, s.at, (n) => Math.sqrt(centre / n));
  const sizeLine = perSample(s.constant, m, s.at, (n) => n);
  return build(
    'u',
    'poisson',
    points,
    centre,
    se,
    L,
    sizeLine,
    typeof se === 'number' ? se : NaN,
    options.rules ?? { set: 'nelson', rules: [1] },
  );
}

/** c chart of nonconformities per sample (one inspection unit each): CL c̄, limits c̄ ± L√c̄. */
export function cChart(counts: ArrayLike<number>, options: AttributeChartOptions = {}): ControlChart {
  return { ...uChart(counts, 1, options), kind: 'c' };
}
