import { describe, expect, it } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { createReportDocument, FONT, FONT_BOLD, textAt } from '../../src/report/pdf-document.js';

const SAMPLES = [
  'AVAWAY To Ty', // kerned pairs: a TJ segment per kerned glyph
  'σ μ X̄ ≤ 1.33 — Δμ (σ) · ppm',
  'SNL10K00467 ATE-01 1 fail',
  'ﬁ fi ffl office', // ligatures
  'שלום עולם مرحبا', // right-to-left scripts
  '', // nothing drawn, doc.x unchanged
  'two\nlines', // a line break: pdfkit's own path
  '   padded   ',
];

function open() {
  return createReportDocument({
    title: 't',
    author: 'a',
    subject: 's',
    keywords: 'k',
    date: new Date('2024-01-02T03:04:05Z'),
    layout: 'landscape',
    margin: 28,
    footerLeft: 'footer',
  });
}

/** Draw every sample in both fonts and sizes; `how` writes one line. */
async function render(
  how: (doc: PDFKit.PDFDocument, text: string, x: number, y: number) => void,
): Promise<{ pdf: Buffer; after: number[] }> {
  const { doc, finish } = open();
  const after: number[] = [];
  let y = 40;
  for (const font of [FONT, FONT_BOLD])
    for (const size of [5, 7.5, 13])
      for (const s of SAMPLES) {
        doc.font(font).fontSize(size).fillColor('#1a1a1a');
        how(doc, s, 30.123456789, y);
        after.push(doc.x, doc.y);
        y += size + 2;
        if (y > 540) {
          doc.addPage();
          y = 40;
        }
      }
  return { pdf: await finish(), after };
}

describe('textAt', () => {
  it('writes the very bytes of doc.text(…, { lineBreak: false }) and leaves doc.x / doc.y where it does', async () => {
    // Independent reference: pdfkit's own text path on an identical document.
    const reference = await render((doc, s, x, y) => doc.text(s, x, y, { lineBreak: false }));
    const fast = await render((doc, s, x, y) => textAt(doc, s, x, y));
    expect(fast.after).toEqual(reference.after);
    expect(fast.pdf.equals(reference.pdf)).toBe(true);
  });

  it('writes the same bytes when it draws a string again, on the same page and on later pages (its glyph runs are kept per document)', async () => {
    const twice = (how: (doc: PDFKit.PDFDocument, text: string, x: number, y: number) => void) =>
      render((doc, s, x, y) => {
        how(doc, s, x, y);
        how(doc, s, x + 200, y);
      });
    const reference = await twice((doc, s, x, y) => doc.text(s, x, y, { lineBreak: false }));
    const fast = await twice((doc, s, x, y) => textAt(doc, s, x, y));
    expect(fast.after).toEqual(reference.after);
    expect(fast.pdf.equals(reference.pdf)).toBe(true);
  });
});

describe('string widths', () => {
  it("are pdfkit's own, measured again or not, in every size (kept per font at 1000 pt)", () => {
    // Independent reference: a plain pdfkit document that lays every string out each time it is asked.
    const plain = new PDFDocument({ size: 'A4', font: FONT });
    const { doc } = open();
    let seed = 99;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = 'AVWTYafiloy0123456789.,-–—σμ≤ ·%()/';
    const strings = [...SAMPLES];
    for (let k = 0; k < 300; k++)
      strings.push(Array.from({ length: 1 + Math.floor(rnd() * 14) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
    for (const font of [FONT, FONT_BOLD])
      for (const size of [5, 5.5, 6.8, 7.5, 13])
        for (const s of strings)
          for (let again = 0; again < 2; again++) {
            const got = doc.font(font).fontSize(size).widthOfString(s);
            expect(got).toBe(plain.font(font).fontSize(size).widthOfString(s));
          }
  });
});

describe('createReportDocument', () => {
  it('deflates page content at zlib’s default level unless told otherwise (an issued certificate re-renders to its bytes)', async () => {
    const { doc, finish } = open();
    doc.text('Certificate of Conformance', 40, 40);
    const pdf = await finish();
    const text = pdf.toString('latin1');
    const streams = [...text.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) => Buffer.from(m[1]!, 'latin1'));
    expect(streams.length).toBeGreaterThan(0);
    // zlib's default level writes the bytes pdfkit itself writes (zlib.deflateSync without options).
    const inflated = (s: Buffer): string => {
      try {
        return inflateSync(s).toString('latin1');
      } catch {
        return ''; // not a deflated stream
      }
    };
    const pages = streams.filter((s) => inflated(s).includes(' Tf'));
    expect(pages.length).toBe(1);
    for (const s of pages) expect(deflateSync(inflateSync(s)).equals(s)).toBe(true);
  });

  it('writes each page as one deflated stream of all it holds, also pages deflated while later ones were drawn and drawn on again', async () => {
    const { doc, finish } = open();
    for (let p = 0; p < 5; p++) {
      if (p > 0) doc.addPage();
      for (let k = 0; k < 400 * (p + 1); k++) doc.moveTo(30 + (k % 700), 40 + p).lineTo(31 + (k % 700), 500 - (k % 400));
      doc.stroke();
      doc.text(`page ${p + 1} body`, 40, 520);
    }
    // Back to pages deflated since: more content on them, then finish() adds every page's footer.
    doc.switchToPage(0);
    doc.text('page 1 drawn last', 40, 60);
    doc.switchToPage(2);
    doc.text('page 3 again', 40, 80);
    const text = (await finish()).toString('latin1');
    const streams = [...text.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) => Buffer.from(m[1]!, 'latin1'));
    const inflated = (s: Buffer): Buffer | null => {
      try {
        return inflateSync(s);
      } catch {
        return null; // not a deflated stream
      }
    };
    const pages = streams.filter((s) => inflated(s)?.includes(' Tf'));
    expect(pages.length).toBe(5);
    // Each is zlib's default-level deflate of its whole content (what pdfkit writes itself), holding every
    // line drawn on it (and the footer rule) once, and its text objects: body, footer left and right, and
    // what was drawn on pages 1 and 3 after later pages.
    for (const s of pages) expect(deflateSync(inflateSync(s)).equals(s)).toBe(true);
    const contents = pages.map((s) => inflateSync(s).toString('latin1'));
    expect(contents.map((c) => c.split(' l\n').length - 1)).toEqual([401, 801, 1201, 1601, 2001]);
    expect(contents.map((c) => c.split('BT\n').length - 1)).toEqual([4, 3, 4, 3, 3]);
  });
});
