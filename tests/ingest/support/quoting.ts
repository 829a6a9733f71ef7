/**
 * Quoting as CSV writers do it, for tests of the table reader against papaparse: none, every field,
 * some fields, or some fields plus the shapes only papaparse reads (a delimiter, a doubled quote or a line
 * break inside quotes, a quote in the middle of a field, spaces around quotes, an unclosed quote).
 */
export type QuotingStyle = 'none' | 'all' | 'some' | 'hostile';

export const QUOTING_STYLES: readonly QuotingStyle[] = ['none', 'all', 'some', 'hostile'];

export function quoteLine(line: string, delimiter: string, style: QuotingStyle, rnd: () => number): string {
  if (style === 'none' || line === '') return line;
  const fields = line.split(delimiter);
  const quoted = fields.map((f) => (style === 'all' || rnd() < 0.3 ? `"${f}"` : f));
  if (style === 'hostile' && rnd() < 0.08 && fields.length > 2) {
    const k = Math.floor(rnd() * (fields.length - 1));
    const f = fields[k]!;
    const shapes = [
      () => quoted.splice(k, 2, `"${f}${delimiter}${fields[k + 1]!}"`),
      () => (quoted[k] = `"${f}""x"`),
      () => (quoted[k] = `${f}"`),
      () => (quoted[k] = ` "${f}"`),
      () => (quoted[k] = `"${f}\nmore"`),
      () => (quoted[k] = `"${f}`),
    ];
    shapes[Math.floor(rnd() * shapes.length)]!();
  }
  return quoted.join(delimiter);
}
