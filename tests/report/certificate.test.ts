import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { renderCertificate, certificateRows } from '../../src/report/coc-pdf.js';
import { readCertificateEvidence, compareEvidence, certificateNumber, EVIDENCE_ATTACHMENT } from '../../src/report/certificate-evidence.js';
import { resultSha256 } from '../../src/report/result-hash.js';
import { lotContentHash } from '../../src/domain/lot-content.js';
import { NoCertificateError, DecisionMismatchError } from '../../src/report/report-errors.js';
import type { LotResult } from '../../src/domain/lot-result.js';
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

  it('names the lot, part number, customer, purchase order, quantity and standards', () => {
    expect(text).toContain('CERTIFICATE OF CONFORMANCE');
    expect(text).toContain(`${result.lot} / r1`);
    expect(text).toContain('LQ-OSFP-800G-DR8');
    expect(text).toContain('Hyperscale Networks Inc.');
    expect(text).toContain('PO-7731-0042');
    expect(text).toMatch(
      new RegExp(
        `${result.yields.finalPassed} conforming units certified \\(200 tested, ${200 - result.yields.finalPassed} nonconforming removed\\)`,
      ),
    );
    expect(text).toContain('IEEE 802.3df-2024');
    expect(text).toContain('Certificate No. ' + certificateNumber(result.lot, result.revision, resultSha256(result)));
  });

  it('prints each parameter × corner with limits, units and the stored min / mean / max pooled over lanes', () => {
    const rows = certificateRows(result);
    expect(rows).toHaveLength(33); // 11 parameters × 3 corners
    const tdecqHot = rows.find((r) => r.parameter === 'tx_tdecq' && r.corner === 'hot')!;
    const cells = result.cells.filter((c) => c.key.parameter === 'tx_tdecq' && c.key.corner === 'hot');
    expect(tdecqHot.min).toBe(Math.min(...cells.map((c) => c.summary.min!)));
    expect(tdecqHot.max).toBe(Math.max(...cells.map((c) => c.summary.max!)));
    expect(tdecqHot.outOfSpec).toBe(cells.reduce((a, c) => a + c.failures, 0));
    // The row as printed: name, corner, unit, USL 3.4, n, min, mean, max (4 significant digits), Cpk with bound.
    const line = text.split('\n').find((l) => /^\s*TDECQ\s+70 °C/.test(l))!;
    expect(line).toMatch(/dB\s+—\s+3\.4\s+1600\s+/);
    expect(line).toContain(tdecqHot.max!.toFixed(3));
    expect(line).toMatch(/\d\.\d\d \(≥\d\.\d\d\)/);
    expect(line).toMatch(/2\s+PASS\*/);
    expect(text).toMatch(/Centre wavelength\s+0 °C\s+nm\s+1304\.5\s+1317\.5/);
    expect(text).toContain('-2.9 (info)');
  });

  it('shows Cpk only for the parameters the spec marks', () => {
    const wavelength = text.split('\n').find((l) => /Centre wavelength\s+0 °C/.test(l))!;
    expect(wavelength).not.toMatch(/\(≥/);
  });

  it('states the sampling plan, the disposition, approver, date, hash and page x of y', () => {
    expect(text).toContain('100 % final test of every unit');
    expect(text).toContain('ACCEPT');
    expect(text).toContain('Approved by: A. Engineer');
    expect(text).toContain('2024-06-12');
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
