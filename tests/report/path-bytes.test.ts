import { describe, expect, it } from 'vitest';
import { PathBytes } from '../../src/report/path-bytes.js';

/** The text the chart paths were written with before: template strings of the rounded value. */
function reference(v: number): string {
  return String(Math.round(v * 100) / 100);
}

describe('PathBytes', () => {
  it('writes every coordinate as String(Math.round(v * 100) / 100) does (200,000 seeded values and the edges)', () => {
    // Independent recomputation: V8's own number-to-string on the rounded value, over page-sized and
    // off-page values (a limit far off the plot), negatives, integers, 0.x and x.0y cases.
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const values = [
      0, -0, 0.004, 0.005, 0.01, 0.1, 0.105, 1, 9.99, 10, 99.995, 100, 595.28, 841.89, 1e6, 9999999.99, 1e7, 1e12, -1, -0.004, -12.345,
    ];
    for (let k = 0; k < 200_000; k++) values.push(rnd() * 900, (rnd() - 0.5) * 2e4, Math.round(rnd() * 90000) / 100);
    const path = new PathBytes(16);
    for (const v of values) path.num(v);
    expect(path.bytes().toString('latin1')).toBe(values.map((v) => `${reference(v)} `).join(''));
  });

  it('writes operators with the chosen line end, and a non-finite value as text rather than digits', () => {
    const path = new PathBytes();
    expect(path.empty).toBe(true);
    path.num(1.5).num(2).op('m', ' ').num(3.25).num(Number.NaN).op('l', '\n');
    expect(path.empty).toBe(false);
    expect(path.bytes().toString('latin1')).toBe('1.5 2 m 3.25 NaN l\n');
  });

  it('finish gives the bytes and hands its buffer to the next path, which writes its own bytes from the start', () => {
    const first = new PathBytes(64);
    first.num(1).num(2).op('m', ' ');
    const a = first.finish();
    expect(a.toString('latin1')).toBe('1 2 m ');
    expect(first.empty).toBe(true);
    const second = new PathBytes(64);
    second.num(3.5).num(4).op('l', '\n');
    // The first path's bytes are a copy: writing the second (into the handed-on buffer) leaves them as they were.
    expect(a.toString('latin1')).toBe('1 2 m ');
    expect(second.finish().toString('latin1')).toBe('3.5 4 l\n');
    // A finished path can be written again (into a buffer of its own).
    first.num(7).op('m', '\n');
    expect(first.bytes().toString('latin1')).toBe('7 m\n');
  });
});
