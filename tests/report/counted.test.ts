import { describe, it, expect } from 'vitest';
import { agreeing, counted } from '../../src/report/counted.js';

describe('counted words on a customer document', () => {
  it('uses the singular for exactly one and the plural otherwise, zero included', () => {
    expect(counted(1, 'unit')).toBe('1 unit');
    expect(counted(0, 'unit')).toBe('0 units');
    expect(counted(199, 'certified unit')).toBe('199 certified units');
    expect(counted(1, 'such unit is', 'such units are')).toBe('1 such unit is');
    expect(counted(3, 'such unit is', 'such units are')).toBe('3 such units are');
  });
});

describe('a verb that agrees with a count', () => {
  it('takes the singular form for exactly one only', () => {
    expect(`${counted(1, 'station limit')} ${agreeing(1, 'differs', 'differ')}`).toBe('1 station limit differs');
    expect(`${counted(2, 'station limit')} ${agreeing(2, 'differs', 'differ')}`).toBe('2 station limits differ');
    expect(`${counted(0, 'unit')} ${agreeing(0, 'is', 'are')}`).toBe('0 units are');
  });
});
