import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { canonicalJson, canonicalJsonDigest, resultSha256, sha256Hex, CanonicalJsonError } from '../../src/report/result-hash.js';
import { lotContentHash } from '../../src/domain/lot-content.js';
import { buildLotResult } from './support/lot-result-fixture.js';

describe('canonical JSON (RFC 8785, JSON Canonicalization Scheme)', () => {
  it('serialises the RFC 8785 §3.2.2 example exactly', () => {
    // Input and expected output published in RFC 8785 section 3.2.2 ("Serialization of Primitive Data Types").
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts properties by UTF-16 code units as in the RFC 8785 §3.2.3 example', () => {
    // RFC 8785 section 3.2.3 ("Sorting of Object Properties"): expected order of the values.
    const input: Record<string, string> = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const order = Object.values(JSON.parse(canonicalJson(input)) as Record<string, string>);
    // JSON.parse re-orders the integer-like key "1" first; read the order from the text instead.
    const text = canonicalJson(input);
    const positions = Object.values(input)
      .map((v) => [v, text.indexOf(`"${v}"`)] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([v]) => v);
    expect(order).toContain('One');
    expect(positions).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('refuses NaN and Infinity instead of hashing them as null', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/\$\.a/);
  });

  it('does not depend on the order properties were inserted in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 'x'] }, b: 1 }));
  });

  it('writes a tree already in canonical order (a result read back from the store) byte for byte the same', () => {
    const result = buildLotResult({ units: 40 });
    const canonical = canonicalJson(result);
    // Parsed back, every object is in canonical key order: the one-pass native path must give the same bytes.
    expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
    // Integer-like keys are enumerated numerically by JavaScript ("2" before "10") but sorted as strings.
    expect(canonicalJson({ '10': 1, '2': 2, a: [{ z: 1, y: undefined }, undefined] })).toBe('{"10":1,"2":2,"a":[{"z":1},null]}');
    // Non-plain objects and non-finite numbers deep in an ordered tree still take the checked path.
    expect(canonicalJson({ a: { b: new Date(0) } })).toBe('{"a":{"b":{}}}');
    expect(() => canonicalJson({ a: { b: [1, -Infinity] } })).toThrow(/\$\.a\.b\[1\]/);
  });
});

describe('result hash', () => {
  it('uses SHA-256 (FIPS 180-2 test vector "abc")', () => {
    // FIPS 180-2, Appendix B.1: SHA-256("abc").
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is the SHA-256 of the canonical JSON and changes with any value', () => {
    const r = buildLotResult({ units: 30, parameters: 2 });
    expect(resultSha256(r)).toBe(sha256Hex(canonicalJson(r)));
    expect(resultSha256(buildLotResult({ units: 30, parameters: 2 }))).toBe(resultSha256(r));
    const changed = structuredClone(r);
    changed.cells[0]!.chart!.points[3] = changed.cells[0]!.chart!.points[3]! + 1e-9;
    expect(resultSha256(changed)).not.toBe(resultSha256(r));
  });

  it('canonicalJsonDigest gives the bytes and hash of canonicalJson + sha256Hex, across its 64 k pieces', () => {
    const r = buildLotResult({ units: 400, parameters: 3 });
    const text = canonicalJson(r);
    expect(text.length).toBeGreaterThan(3 * 65_536); // written in several pieces
    const digest = canonicalJsonDigest(r);
    expect(digest.bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(digest.sha256).toBe(sha256Hex(text));
    expect(digest.sha256).toBe(resultSha256(r));
    // Multi-byte and astral characters on both sides of every piece boundary (independent check: the
    // hash of Buffer.from of the whole canonical text): a surrogate pair is never split between pieces.
    const words = Array.from({ length: 3000 }, (_, i) => `µ😀${'x'.repeat(i % 97)}€\u2028${i}`);
    const mixed = { b: words, a: words.map((w, i) => ({ w, i, z: [i, w] })), c: 'é'.repeat(70_000) };
    const mixedText = canonicalJson(mixed);
    const mixedDigest = canonicalJsonDigest(mixed);
    expect(mixedDigest.bytes.toString('utf8')).toBe(mixedText);
    expect(mixedDigest.sha256).toBe(createHash('sha256').update(Buffer.from(mixedText, 'utf8')).digest('hex'));
    // A tree already in canonical order takes the native path: the same bytes.
    expect(canonicalJsonDigest(JSON.parse(text)).sha256).toBe(digest.sha256);
    expect(() => canonicalJsonDigest({ a: [{ b: Number.NaN }] })).toThrow(/\$\.a\[0\]\.b/);
  });

  it('writes long flat arrays (chart points) handed over whole in their place among the short tokens', () => {
    // Independent check: JSON.stringify of a copy built with its keys in code-unit order.
    const points = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.round(((i * 7919 + k) % 10007) - 5003) / 1000);
    const charts = Array.from({ length: 5 }, (_, k) => ({
      unit: k === 2 ? null : 'dBm',
      points: points(k === 3 ? 10 : 30_000, k), // ~200 k characters each: longer than a piece
      name: `chart ${k} µ€`,
      serials: Array.from({ length: k === 1 ? 4_000 : 3 }, (_, i) => `SN-${k}-${i}-é`),
      a: k,
    }));
    const value = { z: 'end', charts, b: [1, 2, 3] };
    const sortedCopy = {
      b: [1, 2, 3],
      charts: charts.map((c) => ({ a: c.a, name: c.name, points: c.points, serials: c.serials, unit: c.unit })),
      z: 'end',
    };
    const expected = JSON.stringify(sortedCopy);
    expect(canonicalJson(value)).toBe(expected);
    const digest = canonicalJsonDigest(value);
    expect(digest.bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(digest.sha256).toBe(sha256Hex(expected));
  });

  it('writes a long array of numbers as JSON.stringify does, and anything else in one the way it always did', () => {
    // Long enough (≥ 256 items) for the numbers-as-text path; the odd item late, where only the text shows it.
    const numbers = Array.from({ length: 400 }, (_, i) => [0, -0, 1e-7, 1e21, -2.5e-300, 123.456, 5e-324, i][i % 8]!);
    expect(canonicalJson({ a: numbers })).toBe(`{"a":${JSON.stringify(numbers)}}`);
    const digest = canonicalJsonDigest({ a: numbers });
    expect(digest.sha256).toBe(sha256Hex(`{"a":${JSON.stringify(numbers)}}`));
    const at = (item: unknown): unknown[] => numbers.map((x, i) => (i === 300 ? item : x));
    // Strings, booleans, null and nested arrays of numbers: JSON.stringify's own text is canonical.
    for (const item of ['1', 'fen', true, false, null, [2, 1]])
      expect(canonicalJson({ a: at(item) })).toBe(`{"a":${JSON.stringify(at(item))}}`);
    // A record inside: its keys sorted, as ever.
    expect(canonicalJson({ a: at({ b: 1, a: 2 }) })).toBe(`{"a":${JSON.stringify(at({ a: 2, b: 1 }))}}`);
    // A hole or undefined is written null, as ever.
    const holey = new Array<number>(numbers.length);
    numbers.forEach((x, i) => {
      if (i !== 300) holey[i] = x;
    });
    expect(canonicalJson({ a: holey })).toBe(`{"a":${JSON.stringify(holey)}}`);
    // Non-finite numbers and non-JSON values are refused with their place.
    for (const item of [Number.NaN, Infinity, -Infinity, 10n]) expect(() => canonicalJson({ a: at(item) })).toThrow(/\$\.a\[300\]/);
  });

  it('hashes the sorted file list, whatever the order of the files', () => {
    expect(lotContentHash(['b', 'a'])).toBe(sha256Hex('a\nb'));
    expect(lotContentHash(['a', 'b'])).toBe(lotContentHash(['b', 'a']));
  });
});
