/**
 * @module Engineering report section: station effects — per critical parameter × corner, each station's
 * mean (of the units' mean over lanes) and how far it reads from the other stations in within-lot σ, so a
 * quality engineer can tell a tester problem from a product shift (issue 14 item 5). Stations named in a
 * station-shift HOLD reason are drawn in the hold colour.
 */
import type { LotResult } from '../domain/lot-result.js';
import { COLORS, FONT } from './pdf-document.js';
import { formatValue } from './number-format.js';
import { drawTable, type TableRow } from './table-drawing.js';

/** Most stations shown side by side (the LotResult holds them all). */
const MAX_STATIONS = 6;

/** The rows of the station table: one per parameter × corner; exported for tests and the console. */
export function stationEffectRows(result: LotResult): { header: string[]; rows: { cells: string[]; held: boolean[] }[] } {
  const effects = result.stationEffects ?? [];
  const stations = [...new Set(effects.flatMap((e) => e.stations.map((s) => s.station)))].sort().slice(0, MAX_STATIONS);
  const held = new Set(
    result.proposal.reasons.filter((r) => r.code === 'station-shift').map((r) => `${r.parameter}\u0000${r.corner}\u0000${r.station}`),
  );
  return {
    header: ['Parameter · corner', ...stations],
    rows: effects.map((e) => ({
      cells: [
        `${e.parameter} · ${e.corner}`,
        ...stations.map((st) => {
          const s = e.stations.find((x) => x.station === st);
          if (!s) return '—';
          const d = s.againstOthersSigma;
          return `${formatValue(s.mean)}${d === null ? '' : ` (${d >= 0 ? '+' : ''}${d.toFixed(2)}σ)`} n=${s.units}`;
        }),
      ],
      held: [false, ...stations.map((st) => held.has(`${e.parameter}\u0000${e.corner}\u0000${st}`))],
    })),
  };
}

/** Draws the section at doc.y; nothing when the lot was tested on one station. */
export function drawStationEffects(doc: PDFKit.PDFDocument, result: LotResult, left: number, width: number, onNewPage: () => number): void {
  const { header, rows } = stationEffectRows(result);
  if (rows.length === 0 || header.length < 3) {
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(COLORS.muted)
      .text('Tested on one station: no station comparison.', left, doc.y + 6);
    return;
  }
  doc
    .font(FONT)
    .fontSize(7.5)
    .fillColor(COLORS.muted)
    .text(
      "Per critical parameter × corner: each station's mean of the units' mean over lanes, and in brackets how far it reads from the other stations in within-lot σ (baseline σ). Highlighted: a station named in a HOLD reason.",
      left,
      doc.y + 2,
      { width },
    );
  doc.y += 4;
  const first = 150;
  const rest = (width - first) / (header.length - 1);
  drawTable(
    doc,
    header.map((h, i) => ({ header: h, width: i === 0 ? first : rest, ...(i === 0 ? {} : { align: 'right' as const }) })),
    rows.map((r): TableRow => r.cells.map((c, i) => (r.held[i] ? { text: c, color: COLORS.hold, bold: true } : c))),
    { x: left, onNewPage },
  );
}
