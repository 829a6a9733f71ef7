/**
 * @module A deterministic PDFKit document with lotqa's embedded fonts and "page x of y" footers.
 * Determinism: pdfkit derives the trailer /ID from the info dictionary, and the font subset tag from the
 * font id, so with a fixed CreationDate/ModDate (taken from the decision or the result, never the clock)
 * the same input gives byte-identical files (stack.md §3).
 */
import PDFDocument from 'pdfkit';
import { reportFonts } from './report-fonts.js';
import { fitToWidth, printable } from './text-safety.js';

/** Font handles are the font file paths: pdfkit caches fonts by that key, so each file is parsed once per document. */
export const FONT = reportFonts().regular;
export const FONT_BOLD = reportFonts().bold;

export const COLORS = Object.freeze({
  ink: '#1a1a1a',
  muted: '#666666',
  rule: '#b0b0b0',
  grid: '#e3e3e3',
  accept: '#1b7f3b',
  reject: '#b3261e',
  hold: '#b26a00',
  point: '#1f4e8c',
  signal: '#d01c1c',
  centre: '#1b7f3b',
  control: '#c0392b',
  spec: '#6a1b9a',
  zone: '#f3f6fb',
  zone2: '#e6edf7',
  headerFill: '#eef1f5',
});

export interface ReportDocumentOptions {
  readonly title: string;
  readonly author: string;
  readonly subject: string;
  readonly keywords: string;
  /** Written as CreationDate and ModDate: must come from the data for byte-identical output. */
  readonly date: Date;
  readonly layout: 'portrait' | 'landscape';
  readonly margin: number;
  /** Printed at the left of every footer (document id). */
  readonly footerLeft: string;
  /** Large diagonal text across every page (e.g. "DRAFT"), drawn over the content, translucent. */
  readonly watermark?: string;
}

export interface ReportDocument {
  readonly doc: PDFKit.PDFDocument;
  /** Stamp footers on every page, end the document and return its bytes. */
  finish(this: void): Promise<Buffer>;
}

/** Open an A4 document with embedded DejaVu Sans (FONT, FONT_BOLD) and buffered pages. */
export function createReportDocument(options: ReportDocumentOptions): ReportDocument {
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.layout,
    margin: options.margin,
    bufferPages: true,
    font: FONT,
    pdfVersion: '1.7',
    info: {
      Title: options.title,
      Author: options.author,
      Subject: options.subject,
      Keywords: options.keywords,
      CreationDate: options.date,
      ModDate: options.date,
    },
    displayTitle: true,
  });
  doc.font(FONT).fillColor(COLORS.ink);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  return {
    doc,
    async finish() {
      const range = doc.bufferedPageRange();
      const total = range.count;
      for (let i = range.start; i < range.start + total; i++) {
        doc.switchToPage(i);
        const { width, height, margins } = doc.page;
        const bottom = margins.bottom;
        doc.page.margins.bottom = 0; // writing inside the bottom margin must not add a page
        const y = height - bottom / 2 - 4;
        doc.save();
        doc
          .moveTo(margins.left, y - 4)
          .lineTo(width - margins.right, y - 4)
          .lineWidth(0.5)
          .stroke(COLORS.rule);
        doc.restore();
        doc.font(FONT).fontSize(7).fillColor(COLORS.muted);
        const pageText = `Page ${i - range.start + 1} of ${total}`;
        const usable = width - margins.left - margins.right;
        doc.text(fitToWidth(doc, printable(options.footerLeft), usable - 80), margins.left, y, { lineBreak: false });
        doc.text(pageText, width - margins.right - doc.widthOfString(pageText), y, { lineBreak: false });
        doc.page.margins.bottom = bottom;
        if (options.watermark) drawWatermark(doc, options.watermark);
      }
      doc.end();
      return ended;
    },
  };
}

function drawWatermark(doc: PDFKit.PDFDocument, text: string): void {
  const { width, height } = doc.page;
  doc.save();
  doc.font(FONT_BOLD).fontSize(110).fillColor('#c62828').fillOpacity(0.13);
  const w = doc.widthOfString(text);
  doc.rotate(-40, { origin: [width / 2, height / 2] });
  doc.text(text, width / 2 - w / 2, height / 2 - 55, { lineBreak: false });
  doc.restore();
  doc.fillOpacity(1);
}

/** Write one line of input-derived text at (x, y), cut to `width` with an ellipsis; never wraps. */
export function textLine(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  align: 'left' | 'right' | 'center' = 'left',
): void {
  const s = fitToWidth(doc, printable(text), width);
  const w = doc.widthOfString(s);
  const dx = align === 'left' ? 0 : align === 'right' ? width - w : (width - w) / 2;
  doc.text(s, x + dx, y, { lineBreak: false });
}
