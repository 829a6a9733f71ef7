/**
 * @module How a product names its lanes for people: the spec's `laneLabels` when it carries them, else
 * 1-based channel numbers (see src/domain/lanes.ts).
 */
import type { LaneNaming } from '../domain/lanes.js';
import type { ProductSpec } from '../domain/product-spec.js';

export function laneNamingOf(spec: ProductSpec): LaneNaming {
  const labels: unknown = (spec as unknown as Record<string, unknown>)['laneLabels'];
  return Array.isArray(labels) && labels.every((l) => typeof l === 'string') ? { laneLabels: labels } : {};
}
