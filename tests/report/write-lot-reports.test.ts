import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { writeLotReports } from '../../src/report/write-lot-reports.js';
import { resultSha256, sha256Hex } from '../../src/report/result-hash.js';
import { readCertificateEvidence } from '../../src/report/certificate-evidence.js';
import { writeLotResultJson } from '../../src/report/lot-result-json.js';
import { writeUnitResultsCsv } from '../../src/report/unit-results-csv.js';
import { signalCounts } from '../../src/report/signal-table.js';
import { updateLotFolder } from '../../src/report/report-folder.js';
import { PLACEHOLDER_COMPANY } from '../../src/report/coc-pdf.js';
import { buildLotResult, decisionFor, FIXTURE_CONTEXT, lotResultErrors } from './support/lot-result-fixture.js';
import { hasTool } from './support/pdf-text.js';
import Papa from 'papaparse';
import { childScriptArgs } from '../support/child-process-args.js';

const out = mkdtempSync(join(tmpdir(), 'lotqa-reports-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('writing a lot’s reports', () => {
  it('writes JSON, unit and signal CSVs, CoC and engineering PDF into the lot’s folder', async () => {
    const r = buildLotResult({ units: 40, parameters: 2 });
    const w = await writeLotReports({
      result: r,
      decision: decisionFor(r),
      context: FIXTURE_CONTEXT,
      outDir: out,
      preview: hasTool('pdftoppm'),
    });
    expect(w.dir).toBe(join(out, 'L24-0611-A'));
    expect(readdirSync(w.dir)).toEqual(
      expect.arrayContaining(['lot-result.json', 'units.csv', 'signals.csv', 'coc-L24-0611-A-r1.pdf', 'engineering-L24-0611-A-r1.pdf']),
    );
    const json = readFileSync(w.json, 'utf8');
    expect(lotResultErrors(JSON.parse(json))).toEqual([]);
    // The JSON file is the canonical form: its SHA-256 is the certified result hash.
    expect(sha256Hex(json)).toBe(resultSha256(r));
    expect(readCertificateEvidence(readFileSync(w.coc!)).resultSha256).toBe(resultSha256(r));
    if (hasTool('pdftoppm'))
      expect(readdirSync(w.dir).some((f) => /^engineering-.*-1\.png$/.test(f) || /^engineering-.*-01\.png$/.test(f))).toBe(true);
  });

  it('lists every run-rule signal in signals.csv: the same count as the CLI and the report', async () => {
    const r = buildLotResult({ units: 120, parameters: 3, lot: 'L-SIG' });
    const w = await writeLotReports({ result: r, decision: null, outDir: out, engineering: false });
    const csv = Papa.parse<Record<string, string>>(readFileSync(w.signalsCsv, 'utf8'), { header: true, skipEmptyLines: true });
    const total = r.cells.reduce((a, c) => a + (c.chart?.signals.length ?? 0), 0);
    expect(csv.data).toHaveLength(total);
    expect(signalCounts(r).signals).toBe(total);
    // Lanes as the station names them: 1 … 8, never 0.
    expect(new Set(csv.data.map((row) => row.lane))).not.toContain('0');
    const row = csv.data.find((x) => x.rule === '2')!;
    expect(row.serials!.split(' ')).toHaveLength(Number(row.points));
  });

  it('writes no certificate for a HOLD lot, nor for the placeholder company unless it is a draft', async () => {
    const r = buildLotResult({ units: 20, parameters: 1, lot: 'L-HOLD', disposition: 'HOLD' });
    const w = await writeLotReports({ result: r, decision: decisionFor(r, 'HOLD'), context: FIXTURE_CONTEXT, outDir: out });
    expect(w.coc).toBeNull();
    expect(w.cocSkipped).toMatch(/HOLD/);
    expect(readdirSync(w.dir).some((f) => f.startsWith('coc-'))).toBe(false);
    expect(existsSync(w.engineering!)).toBe(true);

    const a = buildLotResult({ units: 20, parameters: 1, lot: 'L-PLACEHOLDER' });
    const placeholder = { ...FIXTURE_CONTEXT, company: { name: PLACEHOLDER_COMPANY, address: [] } };
    const refused = await writeLotReports({ result: a, decision: decisionFor(a), context: placeholder, outDir: out, engineering: false });
    expect(refused.coc).toBeNull();
    expect(refused.cocSkipped).toMatch(/placeholder.*--draft/);
    const draft = await writeLotReports({ result: a, decision: decisionFor(a), context: placeholder, outDir: out, draft: true });
    expect(draft.cocStatus).toBe('draft');
    expect(draft.coc).toMatch(/coc-L-PLACEHOLDER-r1-DRAFT\.pdf$/);
  });

  it('after a decision, the HOLD-time report moves to superseded/ and old previews are cleared', async () => {
    const r = buildLotResult({ units: 30, parameters: 1, lot: 'L-DECIDE', disposition: 'HOLD' });
    const held = await writeLotReports({ result: r, decision: decisionFor(r, 'HOLD'), context: FIXTURE_CONTEXT, outDir: out });
    const holdPdf = readFileSync(held.engineering!);
    writeFileSync(join(held.dir, 'engineering-L-DECIDE-r1-1.png'), 'old preview');
    // Same revision, now accepted by an engineer: the engineering report changes, a certificate appears.
    const accepted = { ...decisionFor(r, 'ACCEPT', 'J. Chen'), decidedAt: '2024-06-13T08:00:00.000Z' };
    const w = await writeLotReports({ result: r, decision: accepted, context: FIXTURE_CONTEXT, outDir: out });
    const files = readdirSync(w.dir);
    expect(files).toEqual(expect.arrayContaining(['coc-L-DECIDE-r1.pdf', 'engineering-L-DECIDE-r1.pdf', 'superseded']));
    expect(files.some((f) => f.endsWith('.png'))).toBe(false);
    expect(w.superseded).toHaveLength(1);
    const old = readdirSync(join(w.dir, 'superseded'));
    expect(old).toEqual([`engineering-L-DECIDE-r1.${sha256Hex(holdPdf).slice(0, 8)}.pdf`]);
    expect(readFileSync(join(w.dir, 'superseded', old[0]!)).equals(holdPdf)).toBe(true);
    // The lot result did not change, so it was not superseded; a retry changes nothing.
    const again = await writeLotReports({ result: r, decision: accepted, context: FIXTURE_CONTEXT, outDir: out });
    expect(again.superseded).toEqual([]);
    expect(readdirSync(join(w.dir, 'superseded'))).toHaveLength(1);
  });

  it('a new revision supersedes every document of the previous one', async () => {
    const r1 = buildLotResult({ units: 30, parameters: 1, lot: 'L-REV' });
    const w1 = await writeLotReports({ result: r1, decision: decisionFor(r1), context: FIXTURE_CONTEXT, outDir: out });
    const r2 = buildLotResult({ units: 31, parameters: 1, lot: 'L-REV', revision: 2 });
    const w2 = await writeLotReports({ result: r2, decision: decisionFor(r2), context: FIXTURE_CONTEXT, outDir: out });
    expect(w2.dir).toBe(w1.dir);
    const current = readdirSync(w2.dir).filter((f) => f !== 'superseded');
    expect(current.sort()).toEqual(['coc-L-REV-r2.pdf', 'engineering-L-REV-r2.pdf', 'lot-result.json', 'signals.csv', 'units.csv']);
    const old = readdirSync(join(w2.dir, 'superseded'));
    expect(old).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^coc-L-REV-r1\.[0-9a-f]{8}\.pdf$/),
        expect.stringMatching(/^engineering-L-REV-r1\.[0-9a-f]{8}\.pdf$/),
        // The superseded result is named by its own hash: the one its certificate carries.
        `lot-result.${resultSha256(r1).slice(0, 8)}.json`,
      ]),
    );
  });

  it('keeps a hostile lot name inside the output folder', async () => {
    const r = buildLotResult({ units: 10, parameters: 1, lot: '../../escape' });
    const w = await writeLotReports({ result: r, decision: null, outDir: out, engineering: false });
    expect(w.dir.startsWith(out + sep)).toBe(true);
    expect(existsSync(join(out, '..', '..', 'escape'))).toBe(false);
  });
});

describe('report files written atomically', () => {
  const CHILD = resolve(import.meta.dirname, 'support/folder-write-child.ts');

  /** Runs the writer in a child process and SIGKILLs it at `stop`; resolves when it is dead. */
  async function crashWhile(dir: string, seed: number, stop: 'staged' | 'renamed'): Promise<void> {
    const marker = join(dir, '..', `marker-${stop}-${seed}`);
    const child = spawn(process.execPath, await childScriptArgs(CHILD, [dir, String(seed), stop, marker]), { stdio: 'ignore' });
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    for (let i = 0; i < 600 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(marker, 'utf8')).toBe('stopped');
    child.kill('SIGKILL');
    await exited;
  }

  const documentsOf = (seed: number) => {
    const r = buildLotResult({ units: 300, parameters: 3, seed });
    return { json: writeLotResultJson(r), csv: writeUnitResultsCsv(r) };
  };

  it('a crash after the new files are written but before any rename leaves the old complete files', async () => {
    const dir = mkdtempSync(join(out, 'crash-a-'));
    const old = documentsOf(1);
    await updateLotFolder(dir, [
      { name: 'lot-result.json', data: old.json },
      { name: 'units.csv', data: old.csv },
    ]);
    await crashWhile(dir, 2, 'staged');
    expect(readFileSync(join(dir, 'lot-result.json'), 'utf8')).toBe(old.json);
    expect(readFileSync(join(dir, 'units.csv'), 'utf8')).toBe(old.csv);
    // What the crash left: the complete new result in a temporary file, which the next write removes.
    const temps = readdirSync(dir).filter((f) => f.startsWith('.lotqa-tmp-'));
    expect(temps.some((f) => f.startsWith('.lotqa-tmp-lot-result.json-'))).toBe(true);
    // A young temporary file may belong to another writer of the same lot: only an old one is removed.
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    for (const t of temps) utimesSync(join(dir, t), hourAgo, hourAgo);
    const next = documentsOf(3);
    await updateLotFolder(dir, [
      { name: 'lot-result.json', data: next.json },
      { name: 'units.csv', data: next.csv },
    ]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.lotqa-tmp-'))).toEqual([]);
    expect(readFileSync(join(dir, 'lot-result.json'), 'utf8')).toBe(next.json);
  });

  it('a crash between renames leaves every name complete (new or old), never empty or cut', async () => {
    const dir = mkdtempSync(join(out, 'crash-b-'));
    const old = documentsOf(4);
    await updateLotFolder(dir, [
      { name: 'lot-result.json', data: old.json },
      { name: 'units.csv', data: old.csv },
    ]);
    await crashWhile(dir, 5, 'renamed');
    const fresh = documentsOf(5);
    const json = readFileSync(join(dir, 'lot-result.json'), 'utf8');
    expect(json).toBe(fresh.json); // renamed before the crash: the whole new file
    expect((JSON.parse(json) as { kind: string }).kind).toBe('lotqa/lot-result');
    expect(readFileSync(join(dir, 'units.csv'), 'utf8')).toBe(old.csv); // not yet renamed: the whole old file
    // The old result was kept in superseded/ before its name was replaced.
    expect(readdirSync(join(dir, 'superseded'))).toContain(`lot-result.${sha256Hex(old.json).slice(0, 8)}.json`);
  });
});

describe('two writers of the same lot at once', () => {
  it('both finish, the folder holds one complete set, nothing is left half-written', async () => {
    const r = buildLotResult({ units: 60, parameters: 2, lot: 'L-RACE' });
    const write = () => writeLotReports({ result: r, decision: decisionFor(r), context: FIXTURE_CONTEXT, outDir: out });
    const [a, b] = await Promise.all([write(), write()]);
    expect(a.dir).toBe(b.dir);
    const files = readdirSync(a.dir);
    expect(files.filter((f) => f.startsWith('.lotqa-tmp-'))).toEqual([]);
    expect(sha256Hex(readFileSync(join(a.dir, 'lot-result.json'), 'utf8'))).toBe(resultSha256(r));
    expect(readCertificateEvidence(readFileSync(a.coc!)).resultSha256).toBe(resultSha256(r));
  });
});
