/**
 * @module A deterministic PDFKit document with lotqa's embedded fonts and "page x of y" footers.
 * Determinism: pdfkit derives the trailer /ID from the info dictionary, and the font subset tag from the
 * font id, so with a fixed CreationDate/ModDate (taken from the decision or the result, never the clock)
 * the same input gives byte-identical files (stack.md §3).
 */
import PDFDocument from 'pdfkit';
import { constants } from 'node:zlib';
import { reportFonts } from './report-fonts.js';
import { fitToWidth, printable } from './text-safety.js';
import { installComposedShaping, type FontkitFont } from './composed-shaping.js';
import { packPageContent } from './page-content.js';
import { PageDeflater, type PdfkitPage } from './page-deflate.js';

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
  /**
   * zlib level of the page content streams. Default: zlib's default, pdfkit's own choice, so the bytes
   * stay those of earlier lotqa versions (an issued certificate must render to the very bytes issued).
   * The engineering report, an internal document of large chart paths, uses a fast level
   * (FAST_DEFLATE_LEVEL).
   */
  readonly deflateLevel?: number;
}

export interface ReportDocument {
  readonly doc: PDFKit.PDFDocument;
  /** Stamp footers on every page, end the document and return its bytes. */
  finish(this: void): Promise<Buffer>;
}

/** What pdfkit keeps per font of a document (internals read here, typed loosely on purpose). */
interface PdfkitFont {
  /** The parsed (fontkit) font. */
  readonly font: FontkitFont;
  /** pdfkit's per-document layout cache: word → shaped glyph run. */
  layoutCache?: Record<string, unknown>;
  scale: number;
  layoutRun(text: string, features?: unknown): unknown;
  widthOfString(text: string, size: number, features?: unknown): number;
}

/**
 * How words are shaped: 'composed' (default) composes the words whose glyphs only pair kerning can touch
 * from cached characters and pairs — the same runs fontkit gives, see composed-shaping.ts; 'fontkit'
 * (`LOTQA_PDF_SHAPING=fontkit`) shapes every word with fontkit, as pdfkit does by itself.
 */
function shapingMode(): 'composed' | 'fontkit' {
  return process.env.LOTQA_PDF_SHAPING === 'fontkit' ? 'fontkit' : 'composed';
}

/**
 * Parsed fonts and their shaped words, shared by every document of this process. pdfkit parses the font
 * file and shapes every word again for each new document (≈ 0.1–0.3 s per report, most of a
 * certificate's time); a shaped run depends only on the font file and the word, and each document still
 * keeps its own glyph subset, so sharing changes no byte of the output.
 */
const sharedFonts = new Map<string, SharedFont>();

interface SharedFont {
  readonly font: FontkitFont;
  layoutCache: Record<string, unknown>;
  /** Width of each string measured, at 1000 pt (see memoiseWidths). */
  readonly widths: Map<string, number>;
}
/** Words kept per font before the shared cache starts afresh (bounds a long-running server's memory). */
const SHARED_WORDS = 20_000; // a 10,000-unit engineering report shapes ~2,700 words

/** Select `path` on `doc`, handing it the process's parsed font and shaped words (first use: keeps them). */
function useSharedFont(doc: PDFKit.PDFDocument, path: string): void {
  const mode = shapingMode();
  // The word caches of the two shaping modes are kept apart (the runs are the same; a comparison is not).
  const key = `${mode}\u0000${path}`;
  const shared = sharedFonts.get(key);
  if (shared) doc.registerFont(path, shared.font as unknown as string);
  doc.font(path);
  const current = (doc as unknown as { _font: PdfkitFont })._font;
  if (mode === 'composed') installComposedShaping(current);
  if (!current.layoutCache) return; // pdfkit without a layout cache: nothing to share
  let entry = shared;
  if (entry) current.layoutCache = entry.layoutCache;
  else sharedFonts.set(key, (entry = { font: current.font, layoutCache: current.layoutCache, widths: new Map() }));
  memoiseWidths(current, entry.widths);
}

/**
 * Keep each string's width per shared font. pdfkit measures a string by laying it out again, word by word
 * (a scan of the string, a cache look-up and an object per word), every time it is asked, and the reports
 * measure the same labels, numbers and headers thousands of times (to cut, to align, then once more to
 * advance after drawing). pdfkit's width is the laid-out advance times size / 1000: kept at 1000 pt (a
 * factor of exactly 1), it is the same number for every size.
 */
function memoiseWidths(font: PdfkitFont, widths: Map<string, number>): void {
  if (typeof font.widthOfString !== 'function') return;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the font as `this`
  const measure = font.widthOfString;
  font.widthOfString = function widthOfString(this: PdfkitFont, text: string, size: number, features?: unknown): number {
    if (features !== undefined) return measure.call(this, text, size, features);
    let width = widths.get(text);
    if (width === undefined) {
      width = measure.call(this, text, 1000);
      widths.set(text, width);
    }
    return width * (size / 1000);
  };
}

/** Start the shared word caches afresh once they hold more than SHARED_WORDS words. */
function trimSharedFonts(): void {
  for (const shared of sharedFonts.values()) {
    if (Object.keys(shared.layoutCache).length > SHARED_WORDS) shared.layoutCache = Object.create(null) as Record<string, unknown>;
    if (shared.widths.size > SHARED_WORDS) shared.widths.clear();
  }
}

/** Open an A4 document with embedded DejaVu Sans (FONT, FONT_BOLD) and buffered pages. */
export function createReportDocument(options: ReportDocumentOptions): ReportDocument {
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.layout,
    margin: options.margin,
    bufferPages: true,
    // No default font: the fonts are selected below from the shared parse (pdfkit would read the file).
    font: null as unknown as string,
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
  // Regular first, then bold: the same font ids (F1, F2) and so the same bytes as selecting them on use.
  useSharedFont(doc, FONT);
  useSharedFont(doc, FONT_BOLD);
  // Each page's content in large blocks instead of an array per operator (page-content.ts).
  const pack = (): void => void packPageContent((doc.page as unknown as { content: Parameters<typeof packPageContent>[0] }).content);
  pack();
  // The pages drawn so far start deflating in the pool when a page is added (page-deflate.ts).
  const deflater = new PageDeflater(options.deflateLevel ?? constants.Z_DEFAULT_COMPRESSION);
  const buffered = (): PdfkitPage[] | null => {
    const pages = (doc as unknown as { _pageBuffer?: PdfkitPage[] })._pageBuffer;
    return Array.isArray(pages) && pages.length === doc.bufferedPageRange().count ? pages : null;
  };
  doc.on('pageAdded', () => {
    pack();
    deflater.feed(buffered()?.filter((page) => page !== (doc.page as unknown)) ?? []);
  });
  // pdfkit selects the document's default font again on a page that text wraps onto: keep that (FONT).
  doc.options.font = FONT;
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
        textAt(doc, fitToWidth(doc, printable(options.footerLeft), usable - 80), margins.left, y);
        textAt(doc, pageText, width - margins.right - doc.widthOfString(pageText), y);
        doc.page.margins.bottom = bottom;
        if (options.watermark) drawWatermark(doc, options.watermark);
      }
      // Not the buffered layout this relies on (no page was fed either): left to pdfkit.
      const pages = buffered();
      if (pages !== null) await deflater.finish(pages);
      doc.end();
      trimSharedFonts();
      return ended;
    },
  };
}

/**
 * A fast zlib level for page content. pdfkit deflates at zlib's default (6) on the main thread: a third of
 * a 10,000-unit engineering report's time for its ~9 MB of chart paths. Level 2 is ≈ 5× faster on that
 * content for a file ≈ 15 % larger; the drawing is the same.
 */
export const FAST_DEFLATE_LEVEL = 2;

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
  textAt(doc, s, x + dx, y);
}

/** What `textAt` reads of pdfkit's text state (internals, typed loosely on purpose). */
interface PdfkitTextState {
  _font: {
    id: string;
    ascender: number;
    encode?: (text: string) => [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
    ref(): unknown;
  };
  _fontSize: number;
  _textOptions: unknown;
  page: { height: number; fonts: Record<string, unknown> };
  x: number;
  y: number;
}

/**
 * Each string's TJ operator per document font (pdfkit makes a font object per document, whose glyph
 * subset numbers the glyphs in the order first used): null when a glyph has an offset (pdfkit's own text
 * path draws it). A string's glyphs, subset numbers and kerning do not change within a document, and the
 * reports draw the same tick labels, headers and numbers thousands of times.
 */
const glyphRuns = new WeakMap<object, Map<string, string | null>>();

type EncodingFont = PdfkitTextState['_font'] & { encode: NonNullable<PdfkitTextState['_font']['encode']> };

/** The `[<glyphs> kern …] TJ` line of `text` in `font` ('' for no glyph), or null: see glyphRuns. */
function glyphRun(font: EncodingFont, text: string): string | null {
  let runs = glyphRuns.get(font);
  if (runs === undefined) glyphRuns.set(font, (runs = new Map<string, string | null>()));
  let tj = runs.get(text);
  if (tj !== undefined) return tj;
  // Encoding adds the string's glyphs to the document's subset, once, in this order.
  const [encoded, positions] = font.encode(text);
  if (positions.some((p) => p.xOffset || p.yOffset)) tj = null;
  else {
    // The TJ array as pdfkit builds it: a new segment after every glyph whose advance is kerned.
    const commands: string[] = [];
    let last = 0;
    const segment = (cur: number): void => {
      if (last < cur) {
        const p = positions[cur - 1]!;
        commands.push(`<${encoded.slice(last, cur).join('')}> ${pdfNumber(-(p.xAdvance - p.advanceWidth))}`);
      }
      last = cur;
    };
    for (let i = 0; i < positions.length; i++) if (positions[i]!.xAdvance - positions[i]!.advanceWidth !== 0) segment(i + 1);
    segment(positions.length);
    tj = commands.length > 0 ? `[${commands.join(' ')}] TJ\n` : '';
  }
  runs.set(text, tj);
  return tj;
}

/** pdfkit's PDFObject.number: six decimals. */
function pdfNumber(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * `doc.text(text, x, y, { lineBreak: false })` for one line of text: the same content bytes, the same
 * font subset and the same doc.x / doc.y afterwards, without pdfkit's general text path (option merging,
 * three more layouts of the string to measure it, and a string-to-bytes copy per operator) — the reports
 * draw some 20,000 such labels and table cells. Anything unusual (a line break, continued text, glyph
 * offsets, an empty string, a standard font) goes through `doc.text` itself.
 */
export function textAt(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  const d = doc as unknown as PdfkitTextState;
  const font = d._font;
  if (
    text.length === 0 ||
    text.includes('\n') ||
    d._textOptions ||
    typeof font.encode !== 'function' ||
    !(Math.abs(x) < 1e15 && Math.abs(y) < 1e15)
  ) {
    doc.text(text, x, y, { lineBreak: false });
    return;
  }
  const tj = glyphRun(font as EncodingFont, text);
  if (tj === null) {
    doc.text(text, x, y, { lineBreak: false }); // adds no glyph: glyphRun encoded them, in this order, first
    return;
  }
  d.x = x;
  d.y = y;
  const size = d._fontSize;
  const dy = (font.ascender / 1000) * size;
  if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref();
  // What doc.save(), doc.transform(1, 0, 0, -1, 0, page height), the text object and doc.restore() write,
  // in one string (pdfkit ends a string with a line end): the same bytes, and the transformation state
  // is pdfkit's own again afterwards, as restore() leaves it.
  const h = d.page.height;
  doc.addContent(
    `q\n1 0 0 -1 0 ${pdfNumber(h)} cm\nBT\n1 0 0 1 ${pdfNumber(x)} ${pdfNumber(h - y - dy)} Tm\n/${font.id} ${pdfNumber(size)} Tf\n${tj}ET\nQ`,
  );
  d.x = x + doc.widthOfString(text);
}
