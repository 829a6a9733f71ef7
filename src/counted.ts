/**
 * @module A count and its noun in the right number ("1 unit", "199 units", "1 PAT outlier") — what a
 * person reads (CLI lines, reasons, reports, the console) reads as a person wrote it, not "unit(s)".
 */

/** `n` followed by the singular for exactly one, else the plural (default: singular + "s"). */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The singular form for exactly one, else the plural: for a verb or pronoun that agrees with a count. */
export function agreeing(n: number, singular: string, plural: string): string {
  return n === 1 ? singular : plural;
}
