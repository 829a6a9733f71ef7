/**
 * @module HTML that cannot inject: every value interpolated into an {@link html} template is escaped,
 * unless it is itself a template result (already safe) or an array of them. There is no way to put raw
 * text from the data into a page: lot ids, serials, reasons and file names all come from station files.
 */

const SAFE = Symbol('lotqa.safe-html');

/** A piece of HTML made by {@link html}: safe to insert as is. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly text: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text as HTML text or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function isSafe(v: unknown): v is SafeHtml {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SAFE] === true;
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (isSafe(v)) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  // Numbers, booleans, and objects through their own toString: all escaped.
  return escapeHtml(typeof v === 'string' ? v : `${v as number}`);
}

/** Tagged template: `html\`<td>${serial}</td>\`` escapes `serial`; nested `html` results pass through. */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): SafeHtml {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += render(values[i]) + (strings[i + 1] ?? '');
  return { [SAFE]: true, text };
}

/** A query string, each value URL-encoded (the result still goes through html escaping for `&`). */
export function query(params: Record<string, string | number | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A path segment, URL-encoded. */
export const seg = (s: string): string => encodeURIComponent(s);
