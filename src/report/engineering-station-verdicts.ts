/**
 * @module Engineering report section: where the stations' own verdicts disagree with lotqa's and their
 * limits with the spec's (LotResult.stationEvidence). A station failing units lotqa passes may be testing
 * against an old limit; a station passing units lotqa fails may be judging the wrong thing. Evidence for
 * an engineer: nothing here changed a verdict or the disposition.
 */
import type { LotResult } from '../domain/lot-result.js';
import { COLORS, FONT } from './pdf-document.js';
import { drawTable } from './table-drawing.js';
import { printable } from './text-safety.js';
import { agreeing, counted } from './counted.js';

export interface StationSectionLayout {
  readonly left: number;
  readonly width: number;
  /** Most rows per table before "… n more". */
  readonly maxRows: number;
  /** Draws a section heading at y. */
  readonly section: (title: string, y: number) => void;
  /** Redraws the page title after a page break; returns the y to continue at. */
  readonly continued: () => number;
}

/** The page's subtitle: the per-lot counts in one line. */
export function stationEvidenceSubtitle(result: LotResult): string {
  const ev = result.stationEvidence;
  if (!ev) return '';
  return `${counted(ev.runsWithVerdict, 'run')} with a station verdict; units where the station disagrees with lotqa: ${ev.disagreeingUnits.firstPass} at first pass, ${ev.disagreeingUnits.final} at the final attempt; ${counted(ev.limits.length, 'station limit')} ${agreeing(ev.limits.length, 'differs', 'differ')} from the spec`;
}

export function drawStationEvidence(doc: PDFKit.PDFDocument, result: LotResult, layout: StationSectionLayout): void {
  const ev = result.stationEvidence;
  if (!ev) return;
  const { left, width, maxRows } = layout;
  const note = (text: string): void => {
    doc
      .font(FONT)
      .fontSize(7.5)
      .fillColor(COLORS.muted)
      .text(text, left, doc.y + 2, { width });
    doc.fillColor(COLORS.ink);
  };

  layout.section(`Station limits that differ from the spec (${ev.limits.length})`, doc.y + 4);
  doc.y += 2;
  drawTable(
    doc,
    [
      { header: 'Station', width: 80 },
      { header: 'Parameter', width: 110 },
      { header: 'Side', width: 45 },
      { header: 'Station limit', width: 70, align: 'right' },
      { header: 'Spec limit', width: 70, align: 'right' },
      { header: 'Where', width: width - 375, wrap: true },
    ],
    ev.limits.length > 0
      ? ev.limits
          .slice(0, maxRows)
          .map((l) => [
            printable(l.station),
            l.parameter,
            l.side,
            { text: `${l.stationLimit} ${l.unit}`, color: COLORS.reject, bold: true },
            l.specLimit === null ? 'none' : `${l.specLimit} ${l.unit}`,
            printable(l.message),
          ])
      : [['none: every station limit reported matches the spec', '', '', '', '', '']],
    { x: left, onNewPage: layout.continued },
  );
  if (ev.limits.length > maxRows) note(`… ${ev.limits.length - maxRows} more in lot-result.json (stationEvidence.limits).`);

  layout.section(`Units where the station's verdict disagrees with lotqa's (${ev.verdicts.length})`, doc.y + 8);
  doc.y += 2;
  drawTable(
    doc,
    [
      { header: 'Serial', width: 150 },
      { header: 'Station', width: 80 },
      { header: 'Test time', width: 120 },
      { header: 'Attempt', width: 50 },
      { header: 'Station says', width: 70 },
      { header: 'lotqa says', width: width - 470 },
    ],
    ev.verdicts.length > 0
      ? ev.verdicts
          .slice(0, maxRows)
          .map((v) => [
            printable(v.serial),
            printable(v.station),
            v.testTime,
            v.attempt,
            { text: v.stationSays.toUpperCase(), bold: true, color: v.stationSays === 'fail' ? COLORS.reject : COLORS.ink },
            { text: v.lotqaSays, color: v.lotqaSays === 'fail' ? COLORS.reject : COLORS.ink },
          ])
      : [['none: the stations agree with lotqa on every unit they judged', '', '', '', '', '']],
    { x: left, onNewPage: layout.continued },
  );
  if (ev.verdicts.length > maxRows) note(`… ${ev.verdicts.length - maxRows} more in lot-result.json (stationEvidence.verdicts).`);

  if (ev.notCompared.length > 0) {
    layout.section(`Not compared (${ev.notCompared.length})`, doc.y + 8);
    for (const line of ev.notCompared.slice(0, 20)) note(printable(line));
    if (ev.notCompared.length > 20) note(`… ${ev.notCompared.length - 20} more in lot-result.json (stationEvidence.notCompared).`);
  }
}
