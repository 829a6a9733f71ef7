import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { writeLotReports } from '../../src/report/write-lot-reports.js';
import { resultSha256, sha256Hex } from '../../src/report/result-hash.js';
import { readCertificateEvidence } from '../../src/report/certificate-evidence.js';
import { buildLotResult, decisionFor, FIXTURE_CONTEXT, lotResultErrors } from './support/lot-result-fixture.js';
import { hasTool } from './support/pdf-text.js';

const out = mkdtempSync(join(tmpdir(), 'lotqa-reports-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('writing a lot’s reports', () => {
  it('writes JSON, CSV, CoC and engineering PDF under <lot>/r<rev>', async () => {
    const r = buildLotResult({ units: 40, parameters: 2 });
    const w = await writeLotReports({
      result: r,
      decision: decisionFor(r),
      context: FIXTURE_CONTEXT,
      outDir: out,
      preview: hasTool('pdftoppm'),
    });
    expect(w.dir).toBe(join(out, 'L24-0611-A', 'r1'));
    expect(readdirSync(w.dir)).toEqual(
      expect.arrayContaining(['lot-result.json', 'units.csv', 'coc-L24-0611-A-r1.pdf', 'engineering-L24-0611-A-r1.pdf']),
    );
    const json = readFileSync(w.json, 'utf8');
    expect(lotResultErrors(JSON.parse(json))).toEqual([]);
    // The JSON file is the canonical form: its SHA-256 is the certified result hash.
    expect(sha256Hex(json)).toBe(resultSha256(r));
    expect(readCertificateEvidence(readFileSync(w.coc!)).resultSha256).toBe(resultSha256(r));
    if (hasTool('pdftoppm'))
      expect(readdirSync(w.dir).some((f) => /^engineering-.*-1\.png$/.test(f) || /^engineering-.*-01\.png$/.test(f))).toBe(true);
  });

  it('writes no certificate for a HOLD lot', async () => {
    const r = buildLotResult({ units: 20, parameters: 1, lot: 'L-HOLD', disposition: 'HOLD' });
    const w = await writeLotReports({ result: r, decision: decisionFor(r, 'HOLD'), context: FIXTURE_CONTEXT, outDir: out });
    expect(w.coc).toBeNull();
    expect(w.cocSkipped).toMatch(/HOLD/);
    expect(readdirSync(w.dir).some((f) => f.startsWith('coc-'))).toBe(false);
    expect(existsSync(w.engineering!)).toBe(true);
  });

  it('keeps a hostile lot name inside the output folder', async () => {
    const r = buildLotResult({ units: 10, parameters: 1, lot: '../../escape' });
    const w = await writeLotReports({ result: r, decision: null, outDir: out, engineering: false });
    expect(w.dir.startsWith(out + sep)).toBe(true);
    expect(existsSync(join(out, '..', '..', 'escape'))).toBe(false);
  });
});
