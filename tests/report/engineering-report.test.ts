import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { renderEngineeringReport, chartGroups } from '../../src/report/engineering-pdf.js';
import { resultSha256 } from '../../src/report/result-hash.js';
import type { LotResult } from '../../src/domain/lot-result.js';
import { chartPointSerials } from '../../src/domain/lot-result.js';
import { buildLotResult, decisionFor } from './support/lot-result-fixture.js';
import { pdfPages, pdfStructure } from './support/pdf-text.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('engineering lot report', () => {
  let result: LotResult;
  let pdf: Buffer;
  let pages: string[];

  beforeAll(async () => {
    // 3 per-lane parameters + module power, 8 lanes, 3 corners: 12 chart pages.
    result = buildLotResult({ units: 120, parameters: 3 });
    pdf = await renderEngineeringReport(result, decisionFor(result, 'HOLD', 'B. Quality'));
    pages = await pdfPages(pdf);
  });

  it('is byte-identical when rendered twice', async () => {
    const again = await renderEngineeringReport(result, decisionFor(result, 'HOLD', 'B. Quality'));
    expect(sha(again)).toBe(sha(pdf));
  });

  it('has a summary, one page per parameter × corner, the Pareto and the signal list', () => {
    expect(chartGroups(result)).toHaveLength(12);
    expect(pages.length).toBeGreaterThanOrEqual(1 + 12 + 1 + 1);
    expect(pages[0]).toContain(`Engineering lot report — ${result.lot} r1`);
    expect(pages[0]).toContain('HOLD');
    expect(pages[0]).toContain('B. Quality');
    expect(pages[0]).toContain(resultSha256(result));
    expect(pages[0]).toMatch(/First-pass\s+\d+\s+\d+\.\d %/);
    expect(pages[1]).toContain('Centre wavelength — Cold (0 °C)');
    expect(pages[1]).toContain('LSL 1304.5 · USL 1317.5 nm');
    for (let lane = 0; lane < 8; lane++) expect(pages[1]).toContain(`Lane ${lane}`);
    expect(pages[12]).toContain('Module power dissipation — Hot (70 °C)');
    expect(pages[13]).toContain('Failure Pareto');
    expect(pages.slice(14).join('\n')).toContain('Signals and investigations');
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${pages.length}`));
  });

  it('prints the stored capability and baseline numbers of each lane', () => {
    const cell = result.cells.find((c) => c.key.parameter === 'tx_avg_power' && c.key.corner === 'hot' && c.key.lane === 3)!;
    const page = pages.find((p) => p.includes('Average launch power — Hot (70 °C)'))!;
    const row = page.split('\n').find((l) => /^\s*L3\s+120\s/.test(l))!;
    expect(row).toContain(cell.summary.mean!.toFixed(3));
    expect(row).toContain(
      `${cell.capability!.cpk!.toFixed(2)} [${cell.capability!.cpkLower!.toFixed(2)}, ${cell.capability!.cpkUpper!.toFixed(2)}]`,
    );
    expect(row).toContain(cell.consistency!.meanShiftSigma.toFixed(2));
  });

  it('lists run-rule signals with the serials of their units', () => {
    const signalText = pages.slice(14).join('\n');
    const withSignal = result.cells.find((c) => (c.chart?.signals.length ?? 0) > 0)!;
    expect(signalText).toContain(chartPointSerials(result, withSignal.chart!, withSignal.chart!.signals[0]!.indices)[0]!);
    expect(signalText).toMatch(/nelson 2/);
  });

  it('has bookmarks for every parameter and corner', async () => {
    const { outline } = await pdfStructure(pdf);
    expect(outline[0]).toBe('Summary');
    expect(outline).toContain('Control charts');
    expect(outline).toContain('  Centre wavelength (tx_wavelength)');
    expect(outline.filter((t) => t.startsWith('    ')).length).toBe(12);
    expect(outline).toContain('Failure Pareto');
    expect(outline).toContain('Signals and investigations');
  });

  it('bounds long lists and says where the complete list is', async () => {
    const bytes = await renderEngineeringReport(result, null, { maxListRows: 5 });
    const text = (await pdfPages(bytes)).join('\n');
    const signals = result.cells.reduce((a, c) => a + (c.chart?.signals.length ?? 0), 0);
    expect(text).toContain(`… ${signals - 5} more signals not listed here`);
  });

  it('shows the policy proposal when the lot is not decided yet', async () => {
    const undecided = await renderEngineeringReport(buildLotResult({ units: 20, parameters: 1 }), null);
    const first = (await pdfPages(undecided))[0]!;
    expect(first).toContain('PROPOSED by policy');
  });

  it('draws a 1,000-unit lot as an envelope and says so', async () => {
    const big = buildLotResult({ units: 1000, parameters: 1, lanes: 2 });
    const bytes = await renderEngineeringReport(big, null);
    const text = (await pdfPages(bytes))[1]!;
    expect(text).toMatch(/1000 points per chart drawn as a min–max envelope/);
  });
});
