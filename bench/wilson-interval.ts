/**
 * @module The 95 % Wilson score interval the error-rate benches print beside each rate (Wilson 1927;
 * NIST/SEMATECH e-Handbook 7.2.4.1): honest near 0 % and 100 %, where the normal interval collapses.
 */

/** 95 % Wilson score interval for k successes in n trials, in percent. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 100];
  const z = 1.959963985;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [100 * Math.max(0, c - h), 100 * Math.min(1, c + h)];
}

/** "k/n = x.x % [lo, hi]" with the Wilson interval. */
export function rate(k: number, n: number): string {
  const [lo, hi] = wilson(k, n);
  return `${k}/${n} = ${((100 * k) / Math.max(1, n)).toFixed(1)} % [${lo.toFixed(1)}, ${hi.toFixed(1)}]`;
}
