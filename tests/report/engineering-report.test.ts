import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { renderEngineeringReport, chartGroups } from '../../src/report/engineering-pdf.js';
import { resultSha256 } from '../../src/report/result-hash.js';
import { signalCounts, signalTable } from '../../src/report/signal-table.js';
import type { LotResult } from '../../src/domain/lot-result.js';
import { buildLotResult, decisionFor } from './support/lot-result-fixture.js';
import { counted } from '../../src/report/counted.js';
import { pdfPages, pdfStructure } from './support/pdf-text.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Internal links of a page: the named destination and the 1-based page it resolves to. */
async function pageLinks(pdf: Uint8Array, pageNumber: number): Promise<{ dest: string; target: number }[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const page = await doc.getPage(pageNumber);
  const out: { dest: string; target: number }[] = [];
  for (const a of (await page.getAnnotations()) as { subtype: string; dest?: unknown }[]) {
    if (a.subtype !== 'Link' || typeof a.dest !== 'string') continue;
    const explicit = (await doc.getDestination(a.dest)) as [{ num: number; gen: number }, ...unknown[]] | null;
    if (explicit) out.push({ dest: a.dest, target: (await doc.getPageIndex(explicit[0])) + 1 });
  }
  await doc.destroy();
  return out;
}

describe('engineering lot report', () => {
  let result: LotResult;
  let pdf: Buffer;
  let pages: string[];

  beforeAll(async () => {
    // 7 per-lane parameters (one with a conditional limit on another) + module power, 8 lanes, 3 corners: 24 chart pages.
    result = buildLotResult({ units: 120, parameters: 7 });
    pdf = await renderEngineeringReport(result, decisionFor(result, 'HOLD', 'B. Quality'));
    pages = await pdfPages(pdf);
  });

  it('is byte-identical when rendered twice', async () => {
    const again = await renderEngineeringReport(result, decisionFor(result, 'HOLD', 'B. Quality'));
    expect(sha(again)).toBe(sha(pdf));
  });

  it('page 1: the decision, its reasons and where to look, with the page of each section', () => {
    const p1 = pages[0]!;
    expect(p1).toContain(`Engineering lot report — ${result.lot} r1`);
    expect(p1).toContain('HOLD');
    expect(p1).toContain('B. Quality');
    expect(p1).toContain(resultSha256(result));
    expect(p1).toMatch(/First-pass\s+\d+\s+\d+\.\d %/);
    expect(p1).toContain('Where to look');
    expect(p1).toContain('Reasons for the decision');
    expect(p1).toContain('SPC_SHIFT');
    // "p. N" in front of each section names the page it is on.
    const findings = Number(/p\. (\d+)\s+Run-rule signals/.exec(p1)![1]);
    const pareto = Number(/p\. (\d+)\s+Failure Pareto/.exec(p1)![1]);
    expect(pages[findings - 1]).toMatch(/Run-rule signals: \d+ signals? on/);
    expect(pages[pareto - 1]).toContain('Failure Pareto');
    // The reason about lane 4 (index 3) hot launch power links to that chart's page.
    const row = p1.split('\n').find((l) => l.includes('SPC_SHIFT'))!;
    const chartPage = Number(/p\. (\d+)\s*$/.exec(row.trimEnd())![1]);
    expect(pages[chartPage - 1]).toContain('Average launch power — Hot (70 °C)');
    expect(row).toContain('lane 4'); // index 3 is the station's channel 4
  });

  it('the fixture names each lane as a person does: 0-based lane index, laneName and the message agree', () => {
    const shift = result.proposal.reasons.find((r) => r.code === 'SPC_SHIFT')!;
    expect([shift.lane, shift.laneName]).toEqual([3, '4']);
    expect(shift.message).toContain('on lane 4 at 70 °C');
    const laned = [...result.proposal.reasons, ...result.investigations].filter((r) => typeof r.lane === 'number');
    expect(laned.length).toBeGreaterThan(1);
    for (const r of laned) {
      expect(r.laneName, r.message).toBe(String(r.lane! + 1));
      expect(r.message).toContain(`lane ${r.laneName}`);
    }
  });

  it('page 1 links are real internal links to the right pages', async () => {
    const links = await pageLinks(pdf, 1);
    const byDest = new Map(links.map((l) => [l.dest, l.target]));
    expect(pages[byDest.get('findings')! - 1]).toContain('Findings');
    expect(pages[byDest.get('pareto')! - 1]).toContain('Failure Pareto');
    expect(pages[byDest.get('chart:tx_avg_power:hot')! - 1]).toContain('Average launch power — Hot (70 °C)');
  });

  it('run-rule signals: one row per chart × rule with counts that add up to the CLI’s count; PAT outliers right after', () => {
    const counts = signalCounts(result);
    const total = result.cells.reduce((a, c) => a + (c.chart?.signals.length ?? 0), 0);
    expect(counts.signals).toBe(total);
    expect(signalTable(result).reduce((a, r) => a + r.count, 0)).toBe(total);
    expect(signalTable(result)).toHaveLength(counts.chartRules);
    const findings = pages.findIndex((p) => /Run-rule signals: \d+ signals? on/.test(p));
    expect(findings).toBe(1); // right after page 1
    // Counts read as written by a person: "1 chart", "243 charts", never "chart(s)".
    expect(pages.join(' ')).not.toMatch(/\w\(s\)/);
    expect(pages[findings]).toContain(
      `Run-rule signals: ${counted(total, 'signal')} on ${counted(counts.chartRules, 'chart × rule combination')}`,
    );
    const top = signalTable(result)[0]!;
    const line = pages[findings]!.split('\n').find((l) => l.includes(top.cell.key.parameter) && l.includes(top.ruleName))!;
    expect(line).toMatch(new RegExp(`\\b${top.count}\\s+${top.up}\\s+${top.down}\\s+${top.units}\\b`));
    const patPage = pages.findIndex((p) => /PAT outliers: \d+ units?, \d+ reading/.test(p));
    expect(patPage).toBeLessThanOrEqual(2);
    const patUnit = result.units.find((u) => u.patOutlier)!;
    expect(pages.slice(patPage, patPage + 2).join('\n')).toContain(patUnit.serial);
  });

  it('one page per parameter × corner with I and MR charts of every lane, named as the station names them', () => {
    expect(chartGroups(result)).toHaveLength(24);
    const page = pages.find((p) => p.includes('Centre wavelength — Cold (0 °C)'))!;
    expect(page).toContain('LSL 1304.50 · USL 1317.50 nm');
    for (let lane = 1; lane <= 8; lane++) expect(page).toContain(`Lane ${lane}`);
    expect(page).not.toContain('Lane 0');
    expect(page).toContain('moving range (MR, below)');
    expect((page.match(/\bMR\b/g) ?? []).length).toBeGreaterThanOrEqual(8);
  });

  it('draws a conditional limit per unit and states it in words', () => {
    const page = pages.find((p) => p.includes('OMAouter minus TDECQ — Room (25 °C)'))!;
    expect(page).toContain('LSL -2.2 if extinction ratio ≥ 5 dB, otherwise -1.9');
    expect(page).toContain('(stepped: the conditional limit of each unit)');
    const constant = pages.find((p) => p.includes('Centre wavelength — Cold (0 °C)'))!;
    expect(constant).not.toContain('stepped');
  });

  it('prints the stored capability and baseline numbers of each lane', () => {
    const cell = result.cells.find((c) => c.key.parameter === 'tx_avg_power' && c.key.corner === 'hot' && c.key.lane === 3)!;
    const page = pages.find((p) => p.includes('Average launch power — Hot (70 °C)'))!;
    const row = page.split('\n').find((l) => /^\s*L4\s+120\s/.test(l))!; // lane index 3 = lane 4
    expect(row).toContain(cell.summary.mean!.toFixed(3));
    expect(row).toContain(
      `${cell.capability!.cpk!.toFixed(2)} [${cell.capability!.cpkLower!.toFixed(2)}, ${cell.capability!.cpkUpper!.toFixed(2)}]`,
    );
    expect(row).toContain(cell.consistency!.meanShiftSigma.toFixed(2));
  });

  it('labels the Pareto truly: first-attempt failures, with the final-attempt count beside', () => {
    const page = pages.find((p) => p.includes('Units failing at their first attempt and at their final attempt'))!;
    const top = result.pareto[0]!;
    const finals = result.cells.find(
      (c) => c.key.parameter === top.parameter && c.key.corner === top.corner && c.key.lane === top.lane,
    )!.failures;
    expect(page).toMatch(new RegExp(`${top.units} first attempt · final ${finals}`));
    expect(page).not.toContain('Final-attempt failing units by');
  });

  it('never cuts a table header', () => {
    const text = pages.join('\n');
    expect(text).toContain('Attempts');
    expect(text).not.toMatch(/Attemp…|Paramet…|Signa…/);
  });

  it('has bookmarks for the sections and every parameter and corner', async () => {
    const { outline } = await pdfStructure(pdf);
    expect(outline[0]).toBe('Summary');
    expect(outline).toContain('Findings: signals and PAT outliers');
    expect(outline).toContain('Failure Pareto and failing units');
    expect(outline).toContain('Control charts');
    expect(outline).toContain('  Centre wavelength (tx_wavelength)');
    expect(outline.filter((t) => t.startsWith('    ')).length).toBe(24);
  });

  it('bounds the signal table and says where the complete list is', async () => {
    const bytes = await renderEngineeringReport(result, null, { maxSignalRows: 5 });
    const text = (await pdfPages(bytes)).join('\n');
    expect(text).toContain(
      `… ${signalCounts(result).chartRules - 5} more chart × rule combinations not listed here; the complete list is in signals.csv`,
    );
    expect(text).toContain('PROPOSED by policy');
  });
});
