/**
 * @module Product spec checks — what JSON Schema cannot say about a product spec: ids are unique,
 * corners and lanes referenced exist, every limit/derived expression parses and reads only parameters
 * that are measured on the same lane (or module) at the same corners, derived parameters have no
 * cycle, constant limits are ordered (lsl < usl, target between them, inside the physical range),
 * identity patterns compile, and lane labels name every lane once, in words a report and a CSV can carry.
 * Run on documents that already passed the schema; returns problems, never throws.
 */
import type { Limit, ParameterSpec, ProductSpec } from './product-spec.js';
import type { SpecProblem } from './spec-file-error.js';
import { ExpressionError, parseExpression, references } from './limit-expression.js';
import { DerivedCycleError, derivedParameters } from './spec-limits.js';

/**
 * One label per lane, each once (two lanes called "L1" would send an engineer to the wrong laser), with no
 * space around it, no control character, and not starting like a spreadsheet formula (= + - @): labels go
 * into CSV cells and PDF text as they are.
 */
function checkLaneLabels(spec: ProductSpec, add: (pointer: string, message: string) => void): void {
  const labels = spec.laneLabels;
  if (labels === undefined) return;
  if (labels.length !== spec.laneCount)
    add(
      '/laneLabels',
      `has ${labels.length} label${labels.length === 1 ? '' : 's'} (${labels.map((l) => JSON.stringify(l)).join(', ')}) but the product has ${spec.laneCount} lane${spec.laneCount === 1 ? '' : 's'} (laneCount): give one label per lane, in lane order`,
    );
  labels.forEach((label, i) => {
    const at = `/laneLabels/${i}`;
    if (label.trim() !== label) add(at, `label ${JSON.stringify(label)} has spaces around it: write it without them`);
    if (/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u.test(label))
      add(at, `label ${JSON.stringify(label)} holds a control, zero-width or text-direction character`);
    if (/^[=+\-@]/.test(label)) add(at, `label ${JSON.stringify(label)} starts with ${label[0]}, which a spreadsheet reads as a formula`);
  });
  for (const [label, idx] of duplicates(labels, (l) => l)) {
    for (const i of idx.slice(1))
      add(`/laneLabels/${i}`, `repeats label ${JSON.stringify(label)} (first at /laneLabels/${idx[0]}): each lane needs its own name`);
  }
}

function duplicates<T>(items: readonly T[], key: (t: T) => string): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  items.forEach((t, i) => seen.set(key(t), [...(seen.get(key(t)) ?? []), i]));
  return new Map([...seen].filter(([, idx]) => idx.length > 1));
}

export function checkProductSpec(spec: ProductSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (pointer: string, message: string): void => {
    problems.push({ pointer, message });
  };

  const cornerIds = spec.corners.map((c) => c.id);
  for (const [id, idx] of duplicates(spec.corners, (c) => c.id)) {
    for (const i of idx.slice(1)) add(`/corners/${i}/id`, `repeats corner id '${id}' (first at /corners/${idx[0]})`);
  }
  for (const [id, idx] of duplicates(spec.parameters, (p) => p.id)) {
    for (const i of idx.slice(1)) add(`/parameters/${i}/id`, `repeats parameter id '${id}' (first at /parameters/${idx[0]})`);
  }
  const byId = new Map(spec.parameters.map((p) => [p.id, p]));
  const cornersOf = (p: ParameterSpec): readonly string[] => p.corners ?? cornerIds;
  const knownCorner = (pointer: string, corner: string): boolean => {
    if (cornerIds.includes(corner)) return true;
    add(pointer, `corner '${corner}' is not one of the product's corners (${cornerIds.join(', ')})`);
    return false;
  };

  let expressionsParse = true;
  /** Checks one expression used at `pointer` by parameter `p` at `corners`. */
  const checkExpression = (
    pointer: string,
    text: string,
    p: ParameterSpec,
    corners: readonly string[],
    what: 'limit' | 'derived',
  ): void => {
    let refs: { id: string; start: number }[];
    try {
      refs = references(parseExpression(text));
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      if (what === 'derived') expressionsParse = false;
      add(pointer, err.message);
      return;
    }
    for (const { id, start } of refs) {
      const fail = (reason: string): void => add(pointer, new ExpressionError(text, start, reason).message);
      const input = byId.get(id);
      if (input === undefined) {
        fail(`unknown parameter '${id}' (the product's parameters: ${spec.parameters.map((q) => q.id).join(', ')})`);
        continue;
      }
      if (what === 'limit' && id === p.id) {
        fail(`a limit of ${p.id} cannot depend on ${p.id} itself`);
        continue;
      }
      if (p.scope === 'module' && input.scope === 'lane') {
        fail(`${p.id} is per module but ${id} is per lane: which lane would it read?`);
        continue;
      }
      const notMeasured = corners.filter((c) => !cornersOf(input).includes(c));
      if (notMeasured.length > 0)
        fail(`${id} is not measured at corner ${notMeasured.join(', ')}, where this ${what === 'limit' ? 'limit' : 'formula'} is needed`);
    }
  };
  const checkLimit = (pointer: string, limit: Limit | undefined, p: ParameterSpec, corners: readonly string[]): void => {
    if (limit !== undefined && typeof limit !== 'number') checkExpression(`${pointer}/expr`, limit.expr, p, corners, 'limit');
  };
  /** lsl < usl, target and limits inside the physical range, for whichever are constants. */
  const checkOrder = (
    pointer: string,
    lsl: Limit | undefined,
    usl: Limit | undefined,
    target: number | undefined,
    p: ParameterSpec,
  ): void => {
    const lo = typeof lsl === 'number' ? lsl : undefined;
    const hi = typeof usl === 'number' ? usl : undefined;
    if (lo !== undefined && hi !== undefined && !(lo < hi)) add(pointer, `lsl ${lo} must be below usl ${hi}`);
    if (target !== undefined && ((lo !== undefined && target < lo) || (hi !== undefined && target > hi))) {
      add(`${pointer}/target`, `target ${target} lies outside the limits ${lo ?? '−∞'} … ${hi ?? '+∞'}`);
    }
    const range = p.physicalRange;
    if (range !== undefined) {
      for (const [name, v] of [
        ['lsl', lo],
        ['usl', hi],
        ['target', target],
      ] as const) {
        if (v !== undefined && (v < range.min || v > range.max)) {
          add(
            `${pointer}/${name}`,
            `${name} ${v} lies outside the physical range ${range.min} … ${range.max}; no reading could ever reach it`,
          );
        }
      }
    }
  };

  spec.parameters.forEach((p, i) => {
    const at = `/parameters/${i}`;
    const corners = cornersOf(p);
    p.corners?.forEach((c, j) => knownCorner(`${at}/corners/${j}`, c));
    for (const [c, idx] of duplicates(p.corners ?? [], (c) => c)) add(`${at}/corners/${idx[1]}`, `lists corner '${c}' twice`);
    if (p.physicalRange !== undefined && !(p.physicalRange.min < p.physicalRange.max)) {
      add(`${at}/physicalRange`, `min ${p.physicalRange.min} must be below max ${p.physicalRange.max}`);
    }
    if (p.informativeLsl === true && p.lsl === undefined) add(`${at}/informativeLsl`, 'is set but the parameter has no lsl');

    checkLimit(`${at}/lsl`, p.lsl, p, corners);
    checkLimit(`${at}/usl`, p.usl, p, corners);
    checkOrder(at, p.lsl, p.usl, p.target, p);
    if (p.derived !== undefined) checkExpression(`${at}/derived`, p.derived, p, corners, 'derived');

    p.overrides?.forEach((o, k) => {
      const oat = `${at}/overrides/${k}`;
      if (o.lsl === undefined && o.usl === undefined && o.target === undefined) add(oat, 'changes nothing: give lsl, usl or target');
      o.corners?.forEach((c, j) => {
        if (knownCorner(`${oat}/corners/${j}`, c) && !corners.includes(c))
          add(`${oat}/corners/${j}`, `${p.id} is not measured at corner '${c}' (only at ${corners.join(', ')})`);
      });
      if (o.lanes !== undefined && p.scope === 'module') add(`${oat}/lanes`, `${p.id} is per module; an override for lanes never applies`);
      o.lanes?.forEach((lane, j) => {
        if (lane >= spec.laneCount)
          add(`${oat}/lanes/${j}`, `lane ${lane} does not exist: the product has ${spec.laneCount} lanes (0…${spec.laneCount - 1})`);
      });
      const oCorners = o.corners?.filter((c) => corners.includes(c)) ?? corners;
      checkLimit(`${oat}/lsl`, o.lsl, p, oCorners);
      checkLimit(`${oat}/usl`, o.usl, p, oCorners);
      checkOrder(oat, o.lsl ?? p.lsl, o.usl ?? p.usl, o.target ?? p.target, p);
    });
  });

  if (expressionsParse) {
    try {
      derivedParameters(spec);
    } catch (err) {
      if (!(err instanceof DerivedCycleError)) throw err;
      const first = spec.parameters.findIndex((p) => p.id === err.cycle[0]);
      add(
        `/parameters/${first}/derived`,
        `derived parameters form a cycle ${err.cycle.join(' → ')}; one of them must be measured, not derived`,
      );
    }
  }
  checkLaneLabels(spec, add);
  for (const field of ['serial', 'lot'] as const) {
    const rule = spec.identity?.[field];
    if (rule === undefined) continue;
    try {
      new RegExp(rule.pattern, 'u');
    } catch (err) {
      add(`/identity/${field}/pattern`, `is not a valid regular expression: ${(err as Error).message}`);
    }
  }
  return problems;
}
