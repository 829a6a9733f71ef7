/**
 * @module Lane names as a person reads them. Data structures index lanes from 0 (the cube, chart keys);
 * everything a person reads — reasons, reports, CSV, CLI, the console — names a lane as the station and the
 * spec do: the spec's own label when it has one ("TX3", "λ1311"), else the 1-based channel number.
 */

export interface LaneNaming {
  /** The spec's labels, one per lane in index order; absent = 1-based channel numbers. */
  readonly laneLabels?: readonly string[] | undefined;
}

/** "3" for lane index 2 (or the spec's label for it); "module" for a per-module parameter (lane null). */
export function laneName(naming: LaneNaming, lane: number | null): string {
  if (lane === null) return 'module';
  return naming.laneLabels?.[lane] ?? String(lane + 1);
}

/** "lane 3" / "lane TX3": the phrase used in messages and report headings. */
export function lanePhrase(naming: LaneNaming, lane: number | null): string {
  return lane === null ? 'module' : `lane ${laneName(naming, lane)}`;
}

/** "L3" for lane index 2 in a compact column ("L" + channel number), or the spec's label as it is ("λ1311"). */
export function laneTag(naming: LaneNaming, lane: number | null): string {
  if (lane === null) return 'module';
  return naming.laneLabels?.[lane] ?? `L${lane + 1}`;
}

/**
 * How a product names its lanes for people: the spec's `laneLabels` when it carries them (a string per lane),
 * else 1-based channel numbers. One lookup for the evaluation, the exports and the console.
 */
export function laneNamingOf(spec: object | null): LaneNaming {
  const labels: unknown = spec === null ? undefined : (spec as Record<string, unknown>)['laneLabels'];
  return Array.isArray(labels) && labels.every((l) => typeof l === 'string') ? { laneLabels: labels } : {};
}
