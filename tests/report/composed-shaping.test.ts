import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { composingShaper, type FontkitFont } from '../../src/report/composed-shaping.js';
import { renderEngineeringReport } from '../../src/report/engineering-pdf.js';
import { renderCertificate } from '../../src/report/coc-pdf.js';
import { buildLotResult, decisionFor, FIXTURE_CONTEXT } from './support/lot-result-fixture.js';

// Independent recomputation: every composed run is compared with fontkit's own layout of the whole
// string, scaled the way pdfkit's EmbeddedFont.layoutRun scales it (the reference the PDF bytes come from).

const require = createRequire(import.meta.url);
const npm = (file: string): string => require.resolve(`@fontsource/dejavu-sans/files/${file}`);
const FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  npm('dejavu-sans-latin-400-normal.woff'),
  npm('dejavu-sans-latin-700-normal.woff'),
].filter((p) => existsSync(p));

/** The fontkit font pdfkit parses from `path` (fontkit reached through pdfkit, whose dependency it is). */
function open(path: string): FontkitFont {
  const doc = new PDFDocument({ font: null as unknown as string });
  doc.font(path);
  return (doc as unknown as { _font: { font: FontkitFont } })._font.font;
}

/** pdfkit's layoutRun of `text`: fontkit's run with every position field and advanceWidth scaled. */
function reference(font: FontkitFont, text: string, scale: number) {
  const run = font.layout(text);
  const positions = run.positions.map((p, i) => ({
    xAdvance: p.xAdvance * scale,
    yAdvance: p.yAdvance * scale,
    xOffset: p.xOffset * scale,
    yOffset: p.yOffset * scale,
    advanceWidth: run.glyphs[i]!.advanceWidth * scale,
  }));
  let advanceWidth = 0;
  for (const p of positions) advanceWidth += p.xAdvance;
  return { glyphs: run.glyphs.map((g) => g.id), positions, advanceWidth };
}

const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const LATIN1 = Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i));
const SYMBOLS = [...'–—‘’“”•…−≤≥≈↑↓→←●◇◆■□✓✗№‰'];
// Characters composition never takes: they must still come out as fontkit shapes them.
const OTHERS = [...'σμΔαβ̄́שلЖ\u00ad\u200b\ufe0f⁄ﬁ'];

/** A deterministic stream of pseudo-random integers (LCG), so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

describe.each(FONTS)('composed shaping with %s', (path) => {
  const font = open(path);
  const shaper = composingShaper(font);
  const scale = 1000 / 2048;

  const check = (text: string): boolean => {
    const composed = shaper?.compose(text, scale) ?? null;
    if (composed === null) return false;
    const actual = { text, glyphs: composed.glyphs.map((g) => g.id), positions: composed.positions, advanceWidth: composed.advanceWidth };
    const expected = { text, ...reference(font, text, scale) };
    // Tens of thousands of runs are compared: a run strictly equal to the reference is also toEqual it, so
    // only the others go through expect (which passes them if they are equal loosely, or reports them).
    if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
    return true;
  };

  it('reads the font and composes numbers, serials and words', () => {
    expect(shaper).not.toBeNull();
    for (const w of ['12.345 ', '-0.0021 ', 'DR8-24A08742, ', 'AVAWAY ', 'Tx Power (dBm)', '1.33 ']) expect(check(w)).toBe(true);
  });

  it('gives fontkit runs for every one- and two-character string of ASCII', () => {
    let composed = 0;
    for (const a of ASCII) {
      if (check(a)) composed++;
      for (const b of ASCII) if (check(a + b)) composed++;
    }
    // Most of them compose (f, i, j and their pairs go to fontkit): the check is not vacuous.
    expect(composed).toBeGreaterThan(ASCII.length * ASCII.length * 0.8);
  });

  it('gives fontkit runs for Latin-1, symbols and random mixed strings, and leaves other scripts to fontkit', () => {
    const pool = [...ASCII, ...LATIN1, ...SYMBOLS, ...OTHERS];
    for (const c of [...LATIN1, ...SYMBOLS])
      for (const b of ['A', 'V', '1', ' ', '.', 'T', 'y']) {
        check(c + b);
        check(b + c);
      }
    for (const c of OTHERS) expect(shaper?.compose(`1${c}2`, scale) ?? null).toBeNull();
    const next = lcg(15);
    let composed = 0;
    for (let k = 0; k < 3000; k++) {
      const n = 1 + (next() % 14);
      let s = '';
      for (let i = 0; i < n; i++) s += pool[next() % (k % 2 === 0 ? ASCII.length : pool.length)];
      if (check(s)) composed++;
    }
    expect(composed).toBeGreaterThan(500);
  });
});

describe('reports with composed shaping', () => {
  it('are byte-identical to the reports with every word shaped by fontkit', async () => {
    const result = buildLotResult({ units: 300 });
    const decision = decisionFor(result);
    const render = async () => [
      await renderEngineeringReport(result, decision),
      await renderCertificate(result, decision, FIXTURE_CONTEXT),
    ];
    const saved = process.env.LOTQA_PDF_SHAPING;
    try {
      process.env.LOTQA_PDF_SHAPING = 'fontkit';
      const [engFontkit, cocFontkit] = await render();
      delete process.env.LOTQA_PDF_SHAPING;
      const [eng, coc] = await render();
      expect(eng!.equals(engFontkit!)).toBe(true);
      expect(coc!.equals(cocFontkit!)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.LOTQA_PDF_SHAPING;
      else process.env.LOTQA_PDF_SHAPING = saved;
    }
  }, 120_000);
});
