/**
 * @module Station corner labels ("T25", "25C", "25", "Hot") → the product's corner ids. The profile's
 * `cornerAliases` come first; a label that is already a corner id is accepted; a bare number is matched
 * against numeric alias keys and then against the corners' case temperatures ("25.0" → room at 25 °C).
 */
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import { foldName } from './header-names.js';

const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/** Builds the label → corner id lookup once per file. */
export function cornerResolver(product: ProductSpec, profile: StationProfile): (label: string) => string | undefined {
  const ids = new Set(product.corners.map((c) => c.id));
  const byLabel = new Map<string, string>();
  const byNumber = new Map<number, string>();
  for (const c of product.corners) {
    byLabel.set(foldName(c.id), c.id);
    if (!byNumber.has(c.caseTemperatureC)) byNumber.set(c.caseTemperatureC, c.id);
  }
  for (const [label, id] of Object.entries(profile.cornerAliases)) {
    if (!ids.has(id)) continue; // an alias to a corner this product does not have: ignore for this product
    byLabel.set(foldName(label), id);
    const folded = label.trim();
    if (NUMBER.test(folded)) byNumber.set(Number(folded), id);
  }
  return function resolveCorner(label: string): string | undefined {
    const hit = byLabel.get(foldName(label));
    if (hit !== undefined) return hit;
    const t = label.trim().replace(',', '.');
    return NUMBER.test(t) ? byNumber.get(Number(t)) : undefined;
  };
}
