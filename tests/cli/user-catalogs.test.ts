/**
 * A user's own product spec and station profile, written in a folder outside the project, used end to end
 * as a factory would: ingest → baseline → run → report → verify, once naming the files by path and once
 * through a catalog folder (found by id, the profile found by auto-detection). Nothing is copied into
 * the project's schemas/. The station files are the user's vendor format (INI sections), laid out here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lotqaInProcess } from '../support/lotqa-in-process.js';

const ROOT = resolve(import.meta.dirname, '../..');
const schemasBefore = readdirSync(join(ROOT, 'schemas'), { recursive: true }).sort();
let dir: string;
let user: string;

/** `lotqa args…` in this process (tests/support/lotqa-in-process.ts), in the test folder, on `store`. */
function lotqa(args: string[], env: Record<string, string> = {}, store = 'store.sqlite') {
  return lotqaInProcess(args, {
    cwd: dir,
    env: {
      LOTQA_SQLITE_PATH: join(dir, store),
      LOTQA_REPORTS_DIR: join(dir, `reports-${store}`),
      DATABASE_URL: '',
      LOTQA_CATALOG_DIRS: '',
      LOTQA_CONFIG: join(dir, 'lotqa.config.json'), // names the company; --config wins where a test passes one
      ...env,
    },
  });
}

/** The user's product: a two-lane 100G module tested at room and hot, with its own serial rule. */
const PRODUCT = {
  kind: 'lotqa/product-spec',
  version: 'ACME-DS-100 rev C',
  productId: 'acme-100g-sr2',
  partNumber: 'AC-100SR2',
  description: 'ACME 100G two-lane module (user spec, not shipped with lotqa)',
  formFactor: 'QSFP28',
  laneCount: 2,
  corners: [
    { id: 'room', name: 'room', caseTemperatureC: 25 },
    { id: 'hot', name: 'hot', caseTemperatureC: 70 },
  ],
  standards: [{ id: 'ACME-DS-100', title: 'ACME 100G SR2 datasheet' }],
  identity: { serial: { pattern: '^AC[0-9]{5}$', description: 'AC and five digits' } },
  parameters: [
    {
      id: 'tx_avg_power',
      name: 'average launch power',
      unit: 'dBm',
      scope: 'lane',
      lsl: -4,
      usl: 3,
      physicalRange: { min: -40, max: 10 },
      critical: true,
      source: 'ACME-DS-100 §3.1',
      provenance: 'illustrative',
    },
    {
      id: 'tx_er',
      name: 'extinction ratio',
      unit: 'dB',
      scope: 'lane',
      lsl: 3,
      physicalRange: { min: 0, max: 20 },
      critical: true,
      showCpkOnCertificate: true,
      source: 'ACME-DS-100 §3.2',
      provenance: 'illustrative',
    },
    {
      id: 'module_power',
      name: 'module power',
      unit: 'W',
      scope: 'module',
      usl: 3.5,
      physicalRange: { min: 0, max: 40 },
      critical: true,
      source: 'ACME-DS-100 §5',
      provenance: 'illustrative',
    },
  ],
};

/** The user's station: INI sections, [Data] … [End], a [Summary] with the station's verdict. */
const PROFILE = {
  kind: 'lotqa/station-profile',
  id: 'acme-ini-v1',
  description: 'ACME tester export with [Header], [Data], [End], [Summary] sections',
  format: 'wide',
  delimiter: ',',
  decimal: '.',
  preamble: true,
  layout: { metadata: { sections: true }, tableStart: { line: '[Data]' }, tableEnd: { line: '[End]' } },
  identity: {
    serial: { preamble: ['Header.Serial'] },
    lot: { preamble: ['Header.Lot'] },
    station: { preamble: ['Header.Station'] },
    testTime: { preamble: ['Header.TestDate'] },
    corner: { column: ['Corner'] },
    lane: { column: ['Lane'] },
  },
  unitResult: { preamble: ['Summary.Result'] },
  cornerAliases: { '25': 'room', '70': 'hot' },
  laneBase: 1,
  wide: {
    columns: [
      { header: ['TxPower_dBm'], parameter: 'tx_avg_power', unit: 'dBm' },
      { header: ['ER_dB'], parameter: 'tx_er', unit: 'dB' },
      { header: ['ModulePower_W'], parameter: 'module_power', unit: 'W' },
    ],
  },
};

/** Deterministic normal deviates (mulberry32 + Box–Muller), so every run writes the same files. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Writes one lot of `units` station files in the user's format, all well inside the limits. */
function writeLot(folder: string, lot: string, units: number, seed: number, firstSerial: number): void {
  const z = normals(seed);
  mkdirSync(folder, { recursive: true });
  for (let u = 0; u < units; u++) {
    const serial = `AC${String(firstSerial + u).padStart(5, '0')}`;
    const time = new Date(Date.UTC(2025, 3, 1, 8) + (seed * 1000 + u) * 60_000).toISOString().replace('.000', '');
    const power = (2.5 + 0.05 * z()).toFixed(3);
    const rows: string[] = [];
    for (const corner of ['25', '70'])
      for (const lane of [1, 2]) rows.push(`${corner},${lane},${(0.5 + 0.15 * z()).toFixed(3)},${(4.6 + 0.12 * z()).toFixed(3)},${power}`);
    const text = [
      '[Header]',
      `Serial = ${serial}`,
      `Lot = ${lot}`,
      'Station = ACME-7',
      `TestDate = ${time}`,
      '',
      '[Data]',
      'Corner,Lane,TxPower_dBm,ER_dB,ModulePower_W',
      ...rows,
      '[End]',
      '',
      '[Summary]',
      'Result = PASS',
      '',
    ].join('\r\n');
    writeFileSync(join(folder, `${serial}.csv`), text);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-user-catalog-'));
  user = join(dir, 'acme'); // the user's own folder, outside the project
  mkdirSync(join(user, 'specs'), { recursive: true });
  writeFileSync(join(user, 'specs', 'acme-100g-sr2.json'), JSON.stringify(PRODUCT, null, 2));
  writeFileSync(join(user, 'specs', 'acme-ini-v1.json'), JSON.stringify(PROFILE, null, 2));
  // A customer certificate names a real company, never lotqa's placeholder.
  const company = { name: 'Acme Optics GmbH', address: ['Lichtweg 1', '12345 Optikstadt'] };
  writeFileSync(join(user, 'lotqa.config.json'), JSON.stringify({ catalogDirs: ['specs'], company }));
  writeFileSync(join(dir, 'lotqa.config.json'), JSON.stringify({ company }));
  for (const [i, lot] of ['UL01', 'UL02', 'UL03', 'UL04'].entries()) writeLot(join(dir, 'drop', lot), lot, 40, i + 1, 100 * (i + 1));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const coc = (reports: string, lot: string): string => {
  const folder = join(reports, lot); // a lot's folder holds its current documents
  return join(
    folder,
    readdirSync(folder).find((f) => f.startsWith('coc-'))!,
  );
};

describe("a user's own product spec and station profile, outside the project", () => {
  it('by path: ingest → baseline → run → report → verify', async () => {
    const spec = join(user, 'specs', 'acme-100g-sr2.json');
    const profile = join(user, 'specs', 'acme-ini-v1.json');
    const ingest = await lotqa(['ingest', 'drop/UL01', 'drop/UL02', 'drop/UL03', '--product', spec, '--profile', profile, '--json']);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ files: 120, stored: 120, rejected: 0, units: 120, quarantinedRows: 0 });
    const baseline = await lotqa(['baseline', 'create', '--product', spec, '--lots', 'UL01,UL02,UL03']);
    expect(baseline.code, baseline.stderr).toBe(0);
    expect(baseline.stdout).toContain('of acme-100g-sr2 is active');
    const run = await lotqa(['run', 'drop/UL04', '--product', spec, '--profile', profile, '--customer', 'Hyperscaler A']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/UL04 r1 .*ACCEPT/);
    const report = await lotqa(['report', 'UL04', '--product', spec]);
    expect(report.code, report.stderr).toBe(0);
    const verify = await lotqa(['verify', coc(join(dir, 'reports-store.sqlite'), 'UL04')]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/VALID: issued, unaltered, current/);
  });

  it('through catalogDirs: found by id, the profile by auto-detection, the certificate with its Cpk column', async () => {
    const store = 'catalog.sqlite';
    const config = join(user, 'lotqa.config.json'); // "catalogDirs": ["specs"], relative to the config file
    const ingest = await lotqa(
      ['--config', config, 'ingest', 'drop/UL01', 'drop/UL02', 'drop/UL03', '--product', 'acme-100g-sr2', '--json'],
      {},
      store,
    );
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ stored: 120, quarantinedRows: 0, profilesUsed: { 'acme-ini-v1': 120 } });
    // the environment names the same folder for the other commands
    const env = { LOTQA_CATALOG_DIRS: join(user, 'specs') };
    expect((await lotqa(['baseline', 'create', '--product', 'acme-100g-sr2', '--lots', 'UL01,UL02,UL03'], env, store)).code).toBe(0);
    const run = await lotqa(['run', 'drop/UL04', '--product', 'acme-100g-sr2'], env, store);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = await lotqa(['report', 'UL04', '--coc'], env, store);
    expect(report.code, report.stderr).toBe(0);
    const pdf = coc(join(dir, `reports-${store}`), 'UL04');
    expect(execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })).toMatch(/Cpk/);
    const verify = await lotqa(['verify', pdf], env, store);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // without the catalog the report still has the spec: the store kept the very document the lot was
    // evaluated under, by its hash, so the re-written certificate keeps its Cpk column (and is the issued one)
    const kept = await lotqa(['report', 'UL04', '--coc'], {}, store);
    expect(kept.code, kept.stdout + kept.stderr).toBe(0);
    expect(execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })).toMatch(/Cpk/);
    expect((await lotqa(['verify', pdf], {}, store)).code).toBe(0);
  });

  it('checks everything before storing: an unknown product, or a profile that cannot deliver it, stores nothing', async () => {
    const store = 'refused.sqlite';
    const r = await lotqa(['run', 'drop/UL04', '--product', 'acme-100g-sr2'], {}, store);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown product 'acme-100g-sr2'");
    // the user's profile without its module-power column cannot deliver what the product measures
    const partial = { ...PROFILE, id: 'acme-ini-partial', wide: { columns: PROFILE.wide.columns.slice(0, 2) } };
    writeFileSync(join(user, 'partial-profile.json'), JSON.stringify(partial));
    const p = await lotqa(
      ['run', 'drop/UL04', '--product', join(user, 'specs', 'acme-100g-sr2.json'), '--profile', join(user, 'partial-profile.json')],
      {},
      store,
    );
    expect(p.code).not.toBe(0);
    expect(p.stderr).toContain('product acme-100g-sr2 measures module_power but the profile has no column in /wide/columns for it');
    // Refused before the store was even created: no file, and `lots` says there is no store.
    expect(existsSync(join(dir, store))).toBe(false);
    const lots = await lotqa(['lots', '--json'], {}, store);
    expect(lots.code).toBe(2);
    expect(lots.stderr).toMatch(/there is no lotqa store at .*refused\.sqlite/);
  });

  it('copies nothing into the project’s schemas/', () => {
    expect(readdirSync(join(ROOT, 'schemas'), { recursive: true }).sort()).toEqual(schemasBefore);
  });
});
