/**
 * @module A small ruled table for both reports: a header row repeated on every page, right-aligned
 * numbers, and cells that either wrap (for text a reader must see whole, like a limit expression) or are
 * cut with an ellipsis. pdfkit's own `doc.table` wraps every cell and does not repeat headers after a
 * page break, which is why the reports draw their grids here.
 */
import { COLORS, FONT, FONT_BOLD, textAt } from './pdf-document.js';
import { fitToWidth, printable } from './text-safety.js';

export interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
  /** Wrap long text onto more lines instead of cutting it. */
  readonly wrap?: boolean;
}

export interface TableCell {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
  readonly fill?: string;
  /** Named destination the cell links to (an internal PDF link, e.g. a chart page). */
  readonly link?: string;
}

export type TableRow = readonly (string | TableCell)[];

export interface TableOptions {
  readonly x: number;
  readonly fontSize?: number;
  readonly padding?: number;
  /** Called after a page break the table caused (e.g. to redraw a page title). Returns the y to continue at. */
  readonly onNewPage?: () => number;
  /**
   * Never add a page: stop before the first row that does not fit and report how many rows were drawn
   * (for a summary that must stay on its page).
   */
  readonly stopAtPageEnd?: (rowsDrawn: number) => void;
}

/** A wrapping cell narrower than this share of its column is drawn as one line, clear of wrap rounding. */
const ONE_LINE_SAFETY = 0.97;

/** Where text of width `w` starts inside its column, for the column's alignment. */
function alignedOffset(col: TableColumn, w: number, pad: number): number {
  return col.align === 'right' ? col.width - pad - w : col.align === 'center' ? (col.width - w) / 2 : pad;
}

/**
 * The width a column needs to print every one of `texts` whole at `fontSize` (regular face) with `pad` on
 * both sides, at least `min`: a spec's lane labels ("1271 nm A", "1271 nm B") must never be cut to one
 * indistinguishable "1271 …". Leaves the document's font size at `fontSize`.
 */
export function columnWidthFor(doc: PDFKit.PDFDocument, texts: readonly string[], fontSize: number, pad: number, min: number): number {
  doc.font(FONT).fontSize(fontSize);
  let widest = 0;
  for (const t of new Set(texts)) widest = Math.max(widest, doc.widthOfString(t));
  return Math.max(min, Math.ceil(widest + 2 * pad + 1));
}

/** Draw the table starting at doc.y; returns the y below it. Adds pages as needed. */
export function drawTable(
  doc: PDFKit.PDFDocument,
  columns: readonly TableColumn[],
  rows: readonly TableRow[],
  options: TableOptions,
): number {
  const fontSize = options.fontSize ?? 7.5;
  const pad = options.padding ?? 2.5;
  const totalWidth = columns.reduce((a, c) => a + c.width, 0);
  const lineH = fontSize * 1.25;
  const bottomLimit = (): number => doc.page.height - doc.page.margins.bottom;
  let y = doc.y;

  // Headers are never cut: one that does not fit its column wraps onto a second (or third) line.
  doc.font(FONT_BOLD).fontSize(fontSize);
  const headerLines = columns.map((c) => headerLinesOf(doc, c.header, c.width - 2 * pad));
  const headerLineCount = Math.max(1, ...headerLines.map((l) => l.length));
  const header = (): void => {
    const h = headerLineCount * lineH + 2 * pad;
    doc.save().rect(options.x, y, totalWidth, h).fill(COLORS.headerFill).restore();
    doc.font(FONT_BOLD).fontSize(fontSize).fillColor(COLORS.ink);
    let x = options.x;
    columns.forEach((c, i) => {
      headerLines[i]!.forEach((line, k) => {
        textAt(doc, line, x + alignedOffset(c, doc.widthOfString(line), pad), y + pad + 0.5 + k * lineH);
      });
      x += c.width;
    });
    y += h;
    doc
      .moveTo(options.x, y)
      .lineTo(options.x + totalWidth, y)
      .lineWidth(0.6)
      .stroke(COLORS.ink);
  };

  header();
  let drawn = 0;
  for (const row of rows) {
    const cells = row.map((c) => (typeof c === 'string' ? { text: c } : c));
    doc.font(FONT).fontSize(fontSize);
    let lines = 1;
    const prepared = cells.map((cell, i) => {
      const col = columns[i];
      const text = printable(cell.text);
      if (!col) return { text, lines: 1, oneLine: true };
      doc.font(cell.bold ? FONT_BOLD : FONT);
      if (col.wrap) {
        // Most wrapping cells fit on one line: measured once, drawn like a plain cell (pdfkit's line
        // wrapper lays text out twice per cell, height then draw — most of a long table's time).
        if (doc.widthOfString(text) <= (col.width - 2 * pad) * ONE_LINE_SAFETY) return { text, lines: 1, oneLine: true };
        const h = doc.heightOfString(text, { width: col.width - 2 * pad });
        const n = Math.max(1, Math.round(h / doc.currentLineHeight(true)));
        lines = Math.max(lines, Math.min(n, 6));
        return { text, lines: n, oneLine: false };
      }
      return { text: fitToWidth(doc, text, col.width - 2 * pad), lines: 1, oneLine: true };
    });
    const rowH = lines * lineH + 2 * pad;
    if (y + rowH > bottomLimit()) {
      if (options.stopAtPageEnd) break;
      doc.addPage();
      y = options.onNewPage ? options.onNewPage() : doc.page.margins.top;
      header();
    }
    let x = options.x;
    cells.forEach((cell, i) => {
      const col = columns[i];
      if (!col) return;
      if (cell.fill) doc.save().rect(x, y, col.width, rowH).fill(cell.fill).restore();
      doc
        .font(cell.bold ? FONT_BOLD : FONT)
        .fontSize(fontSize)
        .fillColor(cell.color ?? COLORS.ink);
      const p = prepared[i]!;
      if (col.wrap && !p.oneLine) {
        doc.text(p.text, x + pad, y + pad + 0.5, {
          width: col.width - 2 * pad,
          height: lines * lineH + 0.5,
          ellipsis: true,
          align: col.align ?? 'left',
          lineGap: lineH - doc.currentLineHeight(),
        });
      } else {
        textAt(doc, p.text, x + alignedOffset(col, doc.widthOfString(p.text), pad), y + pad + 0.5);
      }
      if (cell.link) doc.goTo(x, y, col.width, rowH, cell.link);
      x += col.width;
    });
    drawn++;
    y += rowH;
    doc
      .moveTo(options.x, y)
      .lineTo(options.x + totalWidth, y)
      .lineWidth(0.3)
      .stroke(COLORS.rule);
  }
  options.stopAtPageEnd?.(drawn);
  doc.fillColor(COLORS.ink);
  doc.x = options.x;
  doc.y = y + 4;
  return doc.y;
}

/** A header split at spaces into lines that fit `width` (a single word wider than the column stays whole). */
function headerLinesOf(doc: PDFKit.PDFDocument, header: string, width: number): string[] {
  if (doc.widthOfString(header) <= width) return [header];
  const lines: string[] = [];
  let line = '';
  for (const word of header.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && doc.widthOfString(candidate) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines;
}
