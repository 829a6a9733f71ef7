import { describe, expect, it } from 'vitest';
import PDFDocument from 'pdfkit';
import { packPageContent } from '../../src/report/page-content.js';

/** A small document of paths, colours, text and raw content over three pages, with or without packing. */
async function draw(packed: boolean, compress: boolean): Promise<Buffer> {
  const date = new Date('2024-06-12T09:30:00Z');
  const doc = new PDFDocument({ size: 'A4', compress, info: { CreationDate: date, ModDate: date } });
  const pack = (): void => {
    if (packed) expect(packPageContent((doc.page as unknown as { content: Parameters<typeof packPageContent>[0] }).content)).toBe(true);
  };
  pack();
  doc.on('pageAdded', pack);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (let page = 0; page < 3; page++) {
    if (page > 0) doc.addPage();
    for (let i = 0; i < 4000; i++) doc.rect(10 + (i % 50), 20 + page, 5, 5).fill(i % 2 === 0 ? '#1f4e8c' : '#d01c1c');
    doc.addContent(Buffer.from('1 0 0 1 0 0 cm\n', 'latin1'));
    doc.addContent(Buffer.alloc(100_000, 0x20)); // larger than a block
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(`Page ${page + 1} · µ ≤ σ`, 40, 300);
  }
  doc.end();
  return ended;
}

describe('packPageContent', () => {
  it('writes the same document bytes as pdfkit does by itself, compressed or not', async () => {
    for (const compress of [false, true]) {
      const plain = await draw(false, compress);
      const packed = await draw(true, compress);
      expect(packed.length).toBeGreaterThan(compress ? 1000 : 300_000);
      expect(packed.equals(plain)).toBe(true);
    }
  });

  it('leaves a stream that is not pdfkit’s page content as it is', () => {
    const stream = { buffer: new Uint8Array(0), compress: false, uncompressedLength: 0, data: {}, write: () => undefined };
    expect(packPageContent(stream as never)).toBe(false);
    expect(stream.buffer).toBeInstanceOf(Uint8Array);
  });
});
