/**
 * A run's readings packed into one record: every field comes back bit-exact, in (parameter, corner,
 * lane) order; a repeated reading is refused by name; a damaged record is refused, not misread.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BYTES_PER_READING, packRunReadings, readingLines, unpackRunColumns, unpackRunReadings } from '../../src/store/run-readings.js';
import { StoreInputError } from '../../src/store/index.js';

function unpack(blob: Buffer, count: number): number[][] {
  const out: number[][] = [];
  unpackRunReadings(blob, count, 1, { reading: (p, c, lane, cens, v) => out.push([p, c, lane, cens, v]) });
  return out;
}

describe('packed run readings', () => {
  it('round-trip every field bit-exact, in parameter, corner, lane order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            p: fc.integer({ min: 1, max: 32767 }),
            c: fc.integer({ min: 1, max: 32767 }),
            lane: fc.integer({ min: -1, max: 32767 }),
            v: fc.double({ noNaN: true, noDefaultInfinity: true }),
            cens: fc.integer({ min: 0, max: 2 }),
            line: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          }),
          { selector: (r) => `${r.p}/${r.c}/${r.lane}`, maxLength: 60 },
        ),
        (rs) => {
          const blob = packRunReadings(
            {
              length: rs.length,
              parameterId: rs.map((r) => r.p),
              cornerId: rs.map((r) => r.c),
              lane: rs.map((r) => r.lane),
              value: rs.map((r) => r.v),
              censoring: rs.map((r) => r.cens),
              line: rs.map((r) => r.line),
            },
            (i) => `reading ${i}`,
          );
          expect(blob.byteLength).toBe(rs.length * BYTES_PER_READING);
          const sorted = [...rs].sort((a, b) => a.p - b.p || a.c - b.c || a.lane - b.lane);
          const back = unpack(blob, rs.length);
          expect(back.map(([p, c, lane, cens]) => [p, c, lane, cens])).toEqual(sorted.map((r) => [r.p, r.c, r.lane, r.cens]));
          // Object.is: -0 stays -0, every double keeps its bits
          back.forEach(([, , , , v], i) => expect(Object.is(v, sorted[i]!.v)).toBe(true));
          expect([...readingLines(blob, rs.length)]).toEqual(sorted.map((r) => r.line));
        },
      ),
    );
  });

  it('refuses a second reading of the same parameter, corner and lane, naming both', () => {
    const columns = {
      length: 3,
      parameterId: [1, 2, 1],
      cornerId: [1, 1, 1],
      lane: [0, 0, 0],
      value: [1, 2, 3],
      censoring: [0, 0, 0],
      line: [10, 11, 12],
    };
    expect(() => packRunReadings(columns, (i) => `run.csv line ${columns.line[i]}`)).toThrow(StoreInputError);
    expect(() => packRunReadings(columns, (i) => `run.csv line ${columns.line[i]}`)).toThrow(
      /line 1[02]: a second reading .* \(first: run\.csv line 1[02]\)/,
    );
  });

  it('refuses a record whose length does not match its reading count', () => {
    const blob = packRunReadings(
      { length: 1, parameterId: [1], cornerId: [1], lane: [0], value: [1], censoring: [0], line: [1] },
      () => 'x',
    );
    expect(() => unpack(blob, 2)).toThrow(/20 bytes, expected 2 × 20; the store is damaged/);
    expect(unpack(Buffer.alloc(0), 0)).toEqual([]);
  });

  it('unpack into columns gives what the sink gets, bit-exact, at any offset and from an unaligned blob', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            p: fc.integer({ min: 0, max: 65535 }),
            c: fc.integer({ min: 0, max: 65535 }),
            lane: fc.integer({ min: -1, max: 32766 }),
            v: fc.double(),
            cens: fc.integer({ min: 0, max: 2 }),
          }),
          { selector: (r) => `${r.p}/${r.c}/${r.lane}`, maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 5 }),
        (rs, shift, at) => {
          const packed = packRunReadings(
            {
              length: rs.length,
              parameterId: rs.map((r) => r.p),
              cornerId: rs.map((r) => r.c),
              lane: rs.map((r) => r.lane),
              value: rs.map((r) => r.v),
              censoring: rs.map((r) => r.cens),
              line: rs.map(() => 1),
            },
            (i) => `reading ${i}`,
          );
          // The same bytes `shift` bytes into a larger buffer: views need an aligned copy when shift is not 0 or 8.
          const blob = new Uint8Array(new ArrayBuffer(packed.byteLength + 8), shift, packed.byteLength);
          blob.set(packed);
          const size = at + rs.length;
          const into = {
            parameterIndex: new Uint16Array(size),
            cornerIndex: new Uint16Array(size),
            lane: new Int16Array(size),
            value: new Float64Array(size),
            censoring: new Uint8Array(size),
            // stored id → column value: parameters reversed, corners kept
            parameterOf: Uint16Array.from({ length: 65_536 }, (_, id) => 65_535 - id),
            cornerOf: Uint16Array.from({ length: 65_536 }, (_, id) => id),
            usedParameters: new Uint8Array(65_536),
            usedCorners: new Uint8Array(65_536),
          };
          unpackRunColumns(blob, rs.length, 1, into, at);
          const expected = unpack(packed, rs.length);
          expected.forEach(([p, c, lane, cens, v], k) => {
            expect([into.parameterIndex[at + k], into.cornerIndex[at + k], into.lane[at + k], into.censoring[at + k]]).toEqual([
              65_535 - p!,
              c,
              lane,
              cens,
            ]);
            expect(Object.is(into.value[at + k], v)).toBe(true);
          });
          for (let k = 0; k < at; k++) expect(into.value[k]).toBe(0); // nothing written before `at`
          // exactly the column values written are flagged used
          expect([...into.usedParameters.keys()].filter((v) => into.usedParameters[v] === 1)).toEqual(
            [...new Set(expected.map(([p]) => 65_535 - p!))].sort((a, b) => a - b),
          );
          expect([...into.usedCorners.keys()].filter((v) => into.usedCorners[v] === 1)).toEqual(
            [...new Set(expected.map(([, c]) => c!))].sort((a, b) => a - b),
          );
        },
      ),
    );
  });

  it('unpack into columns refuses a record whose length does not match its reading count', () => {
    const blob = packRunReadings(
      { length: 1, parameterId: [1], cornerId: [1], lane: [0], value: [1], censoring: [0], line: [1] },
      () => 'x',
    );
    const into = {
      parameterIndex: new Uint16Array(2),
      cornerIndex: new Uint16Array(2),
      lane: new Int16Array(2),
      value: new Float64Array(2),
      censoring: new Uint8Array(2),
      parameterOf: new Uint16Array(65_536),
      cornerOf: new Uint16Array(65_536),
      usedParameters: new Uint8Array(65_536),
      usedCorners: new Uint8Array(65_536),
    };
    expect(() => unpackRunColumns(blob, 2, 7, into, 0)).toThrow(
      /run 7: stored readings are 20 bytes, expected 2 × 20; the store is damaged/,
    );
  });
});
