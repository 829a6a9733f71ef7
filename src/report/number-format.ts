/**
 * @module How numbers appear on the reports: the stored value, rounded only for display, in plain ASCII
 * (hyphen-minus, so a customer can search the PDF for "-2.9").
 */
import type { LimitView } from '../domain/lot-result.js';

export const NONE = '—';

/** A measured value or statistic with `significant` digits (4 by default); exponent form when tiny/huge. */
export function formatValue(x: number | null | undefined, significant = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < 1e-3 || abs >= 1e7) return x.toExponential(Math.max(0, significant - 1)).replace(/\.?0+e/, 'e');
  const digitsBefore = Math.floor(Math.log10(abs)) + 1;
  const decimals = Math.min(4, Math.max(0, significant - digitsBefore));
  return x.toFixed(decimals);
}

/** A capability index or ratio: always two decimals (1.33, 1.67 are the thresholds people look for). */
export function formatIndex(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  return x.toFixed(2);
}

/** A probability: 4 decimals, or "<0.0001". */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return NONE;
  return p < 1e-4 ? '<0.0001' : p.toFixed(4);
}

/** A proportion as percent with one decimal. */
export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** A limit as the spec states it: the constant, the expression, or a dash; "(info)" when informative. */
export function formatLimit(limit: LimitView): string {
  const body = limit.value !== null ? formatExact(limit.value) : limit.expr !== null ? limit.expr : NONE;
  return limit.informative && body !== NONE ? `${body} (info)` : body;
}

/** A limit constant exactly as stored (a spec limit is never rounded on a certificate). */
export function formatExact(x: number): string {
  return String(x);
}

/** ISO date (YYYY-MM-DD) of an ISO-8601 instant, in UTC. */
export function isoDate(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** Manufacturing date code YYWW (ISO-8601 week) of an instant, as printed on module labels. */
export function dateCode(instant: string): string {
  const d = new Date(instant);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${String(day.getUTCFullYear() % 100).padStart(2, '0')}${String(week).padStart(2, '0')}`;
}

/**
 * A reading or a statistic of a parameter in its declared resolution (`decimals` from the product spec:
 * 1317.5 with 2 decimals is "1317.50"); 4 significant digits when the spec declares none.
 */
export function formatReading(x: number | null | undefined, decimals: number | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NONE;
  if (decimals === undefined) return formatValue(x);
  const s = x.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A limit constant: never rounded, but written with at least the parameter's declared decimals
 * (USL 1317.5 nm with 2 decimals is "1317.50"; a limit finer than the resolution keeps all its digits).
 */
export function formatLimitValue(x: number, decimals: number | undefined): string {
  const exact = String(x);
  if (decimals === undefined || /e/i.test(exact)) return exact;
  const have = exact.includes('.') ? exact.length - exact.indexOf('.') - 1 : 0;
  return have >= decimals ? exact : x.toFixed(decimals);
}
