import { describe, expect, it } from 'vitest';
import { laneName, laneNamingOf, lanePhrase, laneTag } from '../../src/domain/lanes.js';

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

  it('tags a lane for a compact column: "L3" for index 2 by channel number, the label itself when the spec has one', () => {
    expect(laneTag({}, 2)).toBe('L3');
    expect(laneTag({ laneLabels: ['L0', 'L1', 'L2', 'L3'] }, 2)).toBe('L2');
    expect(laneTag({ laneLabels: ['1271 nm', '1291 nm'] }, 1)).toBe('1291 nm');
    expect(laneTag({}, null)).toBe('module');
  });
});
