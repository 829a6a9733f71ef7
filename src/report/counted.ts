/**
 * @module A count and its noun in the right number ("1 unit", "199 units", "1 PAT outlier") — a customer
 * document reads as a person wrote it, not "unit(s)".
 */

/** `n` followed by the singular for exactly one, else the plural (default: singular + "s"). */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
