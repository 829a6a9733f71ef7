import { describe, expect, it } from 'vitest';
import { laneName, laneNamingOf, lanePhrase } from '../../src/domain/lanes.js';

describe('lanes as a person reads them', () => {
  it('names lane index 2 "3" (the station’s channel number) and a per-module parameter "module"', () => {
    expect(laneName({}, 2)).toBe('3');
    expect(lanePhrase({}, 0)).toBe('lane 1');
    expect(lanePhrase({}, null)).toBe('module');
  });

  it('uses the spec’s own labels when it carries one string per lane', () => {
    const naming = laneNamingOf({ productId: 'x', laneLabels: ['λ1271', 'λ1291', 'λ1311', 'λ1331'] });
    expect(lanePhrase(naming, 2)).toBe('lane λ1311');
  });

  it('falls back to channel numbers when the spec has no labels, or labels that are not all strings', () => {
    expect(laneNamingOf({ productId: 'x' })).toEqual({});
    expect(laneNamingOf({ laneLabels: ['TX1', 2] })).toEqual({});
    expect(laneNamingOf(null)).toEqual({});
  });
});
