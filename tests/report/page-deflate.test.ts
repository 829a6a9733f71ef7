import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { PageDeflater, type PdfkitPage } from '../../src/report/page-deflate.js';

/** A page's content stream as pdfkit keeps it, holding `chunks`. */
function page(chunks: Buffer[], compress = true): PdfkitPage & { content: { buffer: Uint8Array[] | Uint8Array } } {
  return { content: { compress, buffer: [...chunks], data: {} }, markings: [] };
}

/** Seeded content like a chart page's: path operators with numbers, some long runs of repeated text. */
function content(seed: number, bytes: number): Buffer {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  let text = '';
  while (text.length < bytes)
    text += rnd() < 0.1 ? 'q\n0.7 w\n0.122 0.306 0.549 RG\n' : `${(rnd() * 800).toFixed(2)} ${(rnd() * 500).toFixed(2)} l\n`;
  return Buffer.from(text.slice(0, bytes), 'latin1');
}

/** Cut `b` at seeded places into 1 to `max` pieces. */
function pieces(b: Buffer, seed: number, max: number): Buffer[] {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const cuts = Array.from({ length: Math.floor(rnd() * max) }, () => Math.floor(rnd() * b.length)).sort((a, c) => a - c);
  const out: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts, b.length]) {
    out.push(b.subarray(at, c));
    at = c;
  }
  return out;
}

describe('PageDeflater', () => {
  it('gives each page the bytes of deflating its whole content at once, however it was fed while drawn (levels 2 and 6)', async () => {
    // Independent reference: zlib's one-shot deflate of the page's complete content at the same level.
    for (const level of [2, 6]) {
      const deflater = new PageDeflater(level);
      const whole = [0, 1, 2, 3, 4, 5].map((k) => content(100 + k, [0, 40, 900, 70_000, 300_000, 1_200_000][k]!));
      const pages = whole.map(() => page([]));
      // Written in pieces, fed between pieces (as pages are added), the last pieces left for finish().
      const parts = whole.map((w, k) => pieces(w, 7 + k, 9));
      for (let round = 0; round < 10; round++) {
        parts.forEach((p, k) => {
          const next = p.shift();
          if (next !== undefined) (pages[k]!.content.buffer as Uint8Array[]).push(next);
        });
        if (round % 3 === 1) deflater.feed(pages);
      }
      await deflater.finish(pages);
      // (An empty page's content is one empty chunk: deflated like any other, as pdfkit would.)
      pages.forEach((p, k) => {
        expect(p.content.compress).toBe(false);
        expect(p.content.data.Filter).toBe('FlateDecode');
        const [packed] = p.content.buffer as Buffer[];
        expect(packed!.equals(deflateSync(whole[k]!, { level }))).toBe(true);
      });
    }
  });

  it('leaves a page pdfkit will not compress, or one with tagged-content markings, to pdfkit', async () => {
    const deflater = new PageDeflater(6);
    const plain = page([Buffer.from('BT ET')], false);
    const tagged = { ...page([Buffer.from('/P <<>> BDC')]), markings: [{ tag: 'P' }] };
    deflater.feed([plain, tagged]);
    await deflater.finish([plain, tagged]);
    expect(plain.content.buffer).toEqual([Buffer.from('BT ET')]);
    expect(tagged.content.buffer).toEqual([Buffer.from('/P <<>> BDC')]);
    expect(tagged.content.compress).toBe(true);
  });
});
