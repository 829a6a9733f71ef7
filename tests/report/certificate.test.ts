import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { renderCertificate, certificateRows } from '../../src/report/coc-pdf.js';
import { readCertificateEvidence, compareEvidence, certificateNumber, EVIDENCE_ATTACHMENT } from '../../src/report/certificate-evidence.js';
import { resultSha256 } from '../../src/report/result-hash.js';
import { lotContentHash } from '../../src/domain/lot-content.js';
import { NoCertificateError, DecisionMismatchError, PlaceholderCompanyError } from '../../src/report/report-errors.js';
import { PLACEHOLDER_COMPANY } from '../../src/report/coc-pdf.js';
import { SUMMARY_ATTACHMENT } from '../../src/report/certificate-summary.js';
import { isCertifiedUnit, type LotResult } from '../../src/domain/lot-result.js';
import { buildLotResult, decisionFor, FIXTURE_CONTEXT, FIXTURE_STATIONS } from './support/lot-result-fixture.js';
import { pdfPages, pdfStructure } from './support/pdf-text.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('Certificate of Conformance', () => {
  let result: LotResult;
  let pdf: Buffer;
  let pages: string[];
  let text: string;

  beforeAll(async () => {
    result = buildLotResult();
    pdf = await renderCertificate(result, decisionFor(result), FIXTURE_CONTEXT, { cpkParameters: ['tx_tdecq'] });
    pages = await pdfPages(pdf);
    text = pages.join('\n');
  });

  it('is byte-identical when rendered twice from the same result and decision', async () => {
    const again = await renderCertificate(result, decisionFor(result), FIXTURE_CONTEXT, { cpkParameters: ['tx_tdecq'] });
    expect(sha(again)).toBe(sha(pdf));
  });

  it('holds on page 1 the disposition, company, product, lot, quantity, customer, PO, date, standards and approver', () => {
    const p1 = pages[0]!;
    const certified = result.certification!.units;
    expect(p1).toContain('CERTIFICATE OF CONFORMANCE');
    expect(p1).toContain('ACCEPTED');
    expect(p1).toContain('Lumen Photonics Manufacturing Co., Ltd.');
    expect(p1).toContain('LQ-OSFP-800G-DR8');
    expect(p1).toContain(`${result.lot} / r1`);
    expect(p1).toMatch(new RegExp(`${certified} units \\(200 tested, ${200 - result.yields.finalPassed} nonconforming`));
    expect(p1).toContain('Hyperscale Networks Inc.');
    expect(p1).toContain('PO-7731-0042');
    expect(p1).toContain('Date of issue');
    expect(p1).toContain('2024-06-12');
    expect(p1).toContain('IEEE 802.3df-2024');
    expect(p1).toContain('Approved by: A. Engineer');
    expect(p1).toContain('No. ' + certificateNumber(result.lot, result.revision, resultSha256(result)));
    expect(p1).toMatch(/supplied to Hyperscale Networks Inc\.\s+under\s+purchase\s+order\s+PO-7731-0042/);
  });

  it('says visibly that an unsigned certificate is an unsigned draft', () => {
    expect(pages[0]).toContain('UNSIGNED DRAFT');
    pages.forEach((p) => expect(p).toContain('unsigned draft'));
  });

  it('prints statistics over the certified units only, in the resolution the spec declares', () => {
    const rows = certificateRows(result);
    expect(rows).toHaveLength(33); // 11 parameters × 3 corners, every lane with the same limits
    const certified = result.units.map((u) => isCertifiedUnit(result, u));
    expect(certified.filter((c) => !c).length).toBeGreaterThan(0); // the fixture has failing units and PAT outliers
    const tdecqHot = rows.find((r) => r.parameter === 'tx_tdecq' && r.corner === 'hot')!;
    const cells = result.cells.filter((c) => c.key.parameter === 'tx_tdecq' && c.key.corner === 'hot');
    // Independent recomputation from the chart points of the certified units (point i is unit i here).
    const values = cells.flatMap((c) => c.chart!.points.filter((_, i) => certified[i]));
    expect(tdecqHot.n).toBe(values.length);
    expect(tdecqHot.max).toBe(Math.max(...values));
    expect(tdecqHot.min).toBe(Math.min(...values));
    expect(tdecqHot.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 10);
    // The failing TDECQ readings (3.62, 3.51 dB > 3.4 USL) belong to removed units: not in the max.
    expect(tdecqHot.max!).toBeLessThanOrEqual(3.4);
    const line = text.split('\n').find((l) => /^\s*Transmitter and dispersion eye closure.*70 °C/.test(l) || /^\s*for PAM4.*70 °C/.test(l));
    const printed =
      line ?? text.split('\n').find((l) => l.includes('70 °C') && l.includes('3.40') && l.includes(tdecqHot.max!.toFixed(2)))!;
    expect(printed).toContain(tdecqHot.max!.toFixed(2));
    expect(printed).toMatch(/\d\.\d\d \(≥\d\.\d\d\)/);
    // 1317.5 nm with 2 declared decimals prints 1317.50, never "1318".
    expect(text).toMatch(/Centre wavelength\s+0 °C\s+all\s+nm\s+1304\.50\s+1317\.50/);
    expect(text).not.toMatch(/\b1318\b/);
    expect(text).toContain('-2.90 (info)');
  });

  it('states a conditional limit as the range it took and its rule in words, never as code', () => {
    const row = certificateRows(result).find((r) => r.parameter === 'tx_oma_minus_tdecq' && r.corner === 'room')!;
    expect(row.lsl.rule!.words).toBe('-2.2 if extinction ratio ≥ 5 dB, otherwise -1.9');
    expect(row.lsl.text).toBe('-2.20');
    expect(text).toMatch(/-2\.20 \[a\]/);
    expect(text).toContain('[a] Conditional limit. LSL of OMAouter minus TDECQ: -2.2 if extinction ratio ≥ 5 dB, otherwise -1.9');
    expect(text).not.toMatch(/if\(|max\(|tx_er/);
  });

  it('carries no internal notes: no spec provenance, no parameter ids', () => {
    expect(text).not.toMatch(/datasheet|verified|provenance|tx_tdecq|\[S\d\]/i);
  });

  it('counts in words a customer reads: "8 optical lanes", "1 PAT outlier", never "unit(s)"', () => {
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).not.toMatch(/\w\(s\)/);
    expect(flat).toContain('8 optical lanes per unit');
  });

  it('says truthfully what was done with PAT outliers', async () => {
    const excluded = result.certification!.excludedPatOutliers;
    expect(excluded).toBeGreaterThan(0);
    const flat = (t: string): string => t.replace(/\s+/g, ' ');
    expect(flat(pages[0]!)).toMatch(
      new RegExp(`screened out: ${excluded} such unit${excluded === 1 ? ' is' : 's are'} excluded and not covered`),
    );
    const reportOnly = buildLotResult({ units: 60, parameters: 3, patAction: 'report-only' });
    const t = flat((await pdfPages(await renderCertificate(reportOnly, decisionFor(reportOnly), FIXTURE_CONTEXT))).join('\n'));
    const included = reportOnly.units.filter((u) => u.patOutlier && u.final === 'pass').length;
    expect(included).toBeGreaterThan(0);
    expect(t).toMatch(
      new RegExp(
        `evaluated for information only: ${included} unit${included === 1 ? '' : 's'} inside the specification but outside the PAT limits ${included === 1 ? 'is' : 'are'} included`,
      ),
    );
    expect(t).not.toMatch(/held for engineering review/);
  });

  it('lists every certified serial number in Appendix A', () => {
    const appendix = pages.slice(pages.findIndex((p) => p.includes('Appendix A'))).join('\n');
    const certified = result.units.filter((u) => isCertifiedUnit(result, u)).map((u) => u.serial);
    expect(appendix).toContain(`serial numbers of the ${certified.length} certified units`);
    for (const serial of certified) expect(appendix).toContain(serial);
    for (const u of result.units.filter((x) => !isCertifiedUnit(result, x))) expect(appendix).not.toContain(u.serial);
  });

  it('without a customer or PO does not claim a purchase order', async () => {
    const bytes = await renderCertificate(result, decisionFor(result), { ...FIXTURE_CONTEXT, customer: null, purchaseOrder: null });
    const t = (await pdfPages(bytes)).join('\n');
    expect(t).toMatch(/Customer\s+not stated/);
    expect(t).not.toMatch(/purchase order above|supplied under/);
  });

  it('refuses the placeholder company unless it is a watermarked draft', async () => {
    const placeholder = { ...FIXTURE_CONTEXT, company: { name: PLACEHOLDER_COMPANY, address: ['1 Fab Road'] } };
    await expect(renderCertificate(result, decisionFor(result), placeholder)).rejects.toBeInstanceOf(PlaceholderCompanyError);
    const draft = await renderCertificate(result, decisionFor(result), placeholder, { draft: true });
    const t = await pdfPages(draft);
    expect(t[0]).toContain('DRAFT for review: not an issued certificate');
    t.forEach((p) => expect(p).toContain('DRAFT')); // the diagonal watermark is text on every page
    expect(readCertificateEvidence(draft).issue?.status).toBe('draft');
  });

  it('attaches the lot summary for the customer’s systems', async () => {
    const { attachments } = await pdfStructure(pdf);
    const summary = JSON.parse(Buffer.from(attachments[SUMMARY_ATTACHMENT]!.content).toString('utf8')) as {
      serials: unknown[];
      parameters: unknown[];
    };
    expect(summary).toMatchObject({
      format: 'lotqa/lot-summary',
      lot: result.lot,
      disposition: 'ACCEPT',
      customer: 'Hyperscale Networks Inc.',
      purchaseOrder: 'PO-7731-0042',
      quantity: { tested: 200, certified: result.certification!.units },
    });
    expect(summary.serials).toHaveLength(result.certification!.units);
    expect(summary.parameters).toHaveLength(33);
  });

  it('shows the stored Cpk only for the parameters the spec marks', () => {
    const wavelength = text.split('\n').find((l) => /Centre wavelength\s+0 °C/.test(l))!;
    expect(wavelength).not.toMatch(/\(≥/);
  });

  it('prints for a normal lot the normal-theory Cpk of the worst lane, unmarked, with no Box–Cox footnote', async () => {
    // The result as evaluated now, stating that normal theory judged every chart: the table is the one a
    // result stored before the route was recorded gives.
    const judged: LotResult = structuredClone(result);
    for (const c of judged.cells)
      if (c.capability)
        Object.assign(c.capability, { judgedBy: 'normal-theory', judgedCpk: c.capability.cpk, judgedCpkLower: c.capability.cpkLower });
    const again = await renderCertificate(judged, decisionFor(judged), FIXTURE_CONTEXT, { cpkParameters: ['tx_tdecq'] });
    const againText = (await pdfPages(again)).join('\n');
    // The cells of each row, not pdftotext's column spacing: that follows everything else on the page (the
    // two results' hashes differ), so the same cells can come out a few spaces apart.
    const tableLines = (t: string) =>
      t
        .split('\n')
        .filter((l) => /\bPASS\s*$/.test(l))
        .map((l) => l.trim().replace(/\s+/g, ' '));
    expect(tableLines(againText)).toEqual(tableLines(text));
    expect(againText).not.toContain('Box–Cox');
    const hot = judged.cells.filter((c) => c.key.parameter === 'tx_tdecq' && c.key.corner === 'hot');
    const worst = hot.reduce((a, b) => (b.capability!.cpk! < a.capability!.cpk! ? b : a)).capability!;
    const line = tableLines(againText).find((l) => l.includes(`${worst.cpk!.toFixed(2)} (≥${worst.cpkLower!.toFixed(2)})`));
    expect(line).toBeDefined();
    expect(line).not.toContain('*');
  });

  it('states the sampling plan, the approver, the hashes and page x of y', () => {
    expect(text).toContain('100 % final test of every unit');
    expect(text).toContain(resultSha256(result));
    expect(text).toContain(lotContentHash(result.fileHashes));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${pages.length}`));
  });

  it('keeps station names and internal signals off the page unless configured', async () => {
    for (const st of FIXTURE_STATIONS) expect(text).not.toContain(st);
    expect(text).not.toMatch(/nelson|signal/i);
    const withStations = await renderCertificate(result, decisionFor(result), { ...FIXTURE_CONTEXT, showStations: true });
    const t2 = (await pdfPages(withStations)).join('\n');
    for (const st of FIXTURE_STATIONS) expect(t2).toContain(st);
  });

  it('refuses HOLD and REJECT lots', async () => {
    for (const d of ['HOLD', 'REJECT'] as const) {
      await expect(renderCertificate(result, decisionFor(result, d), FIXTURE_CONTEXT)).rejects.toBeInstanceOf(NoCertificateError);
    }
  });

  it('refuses a decision taken about another result', async () => {
    const other = buildLotResult({ seed: 7, units: 20, parameters: 1 });
    await expect(renderCertificate(result, decisionFor(other), FIXTURE_CONTEXT)).rejects.toBeInstanceOf(DecisionMismatchError);
  });

  it('carries its evidence, readable back from the bytes and as an attached JSON file', async () => {
    const ev = readCertificateEvidence(pdf);
    expect(ev.resultSha256).toBe(resultSha256(result));
    expect(ev.fileCount).toBe(200);
    expect(ev.specVersion).toBe('2024.1');
    expect(ev.baselineVersion).toBe(4);
    expect(ev.signer).toBe('A. Engineer');
    expect(compareEvidence(ev, result, decisionFor(result))).toEqual({ matches: true, differences: [] });
    const { attachments } = await pdfStructure(pdf);
    const att = attachments[EVIDENCE_ATTACHMENT]!;
    expect(JSON.parse(Buffer.from(att.content).toString('utf8'))).toEqual(ev);
    expect(ev.issue).toEqual({
      certificateRevision: 1,
      customer: 'Hyperscale Networks Inc.',
      purchaseOrder: 'PO-7731-0042',
      shipTo: null,
      documentId: expect.stringMatching(/^LQ-[0-9A-F]{16}$/) as unknown,
      status: 'unsigned',
    });
  });

  it('reports a mismatch when the stored result no longer matches the certificate', () => {
    const ev = readCertificateEvidence(pdf);
    const tampered = structuredClone(result);
    tampered.cells[0]!.summary.max = 1999;
    tampered.fileHashes = tampered.fileHashes.slice(1);
    const cmp = compareEvidence(ev, tampered, decisionFor(tampered));
    expect(cmp.matches).toBe(false);
    expect(cmp.differences.map((d) => d.field)).toEqual(
      expect.arrayContaining(['resultSha256', 'fileCount', 'fileListSha256', 'certificateNumber']),
    );
  });

  it('renders a 500-character serial, a Hebrew customer and a right-to-left lot name as plain text', async () => {
    const longSerial = 'SN-' + 'X'.repeat(497);
    const odd = buildLotResult({ units: 20, parameters: 2, oddSerial: longSerial, lot: 'LOT-שלום-=cmd|"/c calc"!A0' });
    const ctx = { ...FIXTURE_CONTEXT, customer: 'חברת הרשתות בע"מ ' + 'ש'.repeat(300), purchaseOrder: '=HYPERLINK("x")' };
    const bytes = await renderCertificate(odd, decisionFor(odd), ctx);
    const t = (await pdfPages(bytes)).join('\n');
    expect(t).toContain('=HYPERLINK("x")');
    expect(t).toContain('…');
    expect(t).toMatch(/[\u0590-\u05FF]/); // Hebrew glyphs are embedded and extractable
    expect(readCertificateEvidence(bytes).lot).toBe(odd.lot);
  });
});
