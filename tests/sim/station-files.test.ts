import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLot } from '../../src/sim/generate-lot.js';
import { renderLotFiles, writeLotFiles, type LotManifest } from '../../src/sim/write-lot-files.js';
import { MALFORMATION_KINDS } from '../../src/sim/lot-options.js';
import { loadProductSpec, loadStationProfile } from '../../src/domain/schema-registry.js';
import { fileNameProfile, longMwProfile, testSpec, wideProfile } from './support/test-spec.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lotqa-sim-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function folderHash(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) h.update(name).update(readFileSync(join(dir, name)));
  return h.digest('hex');
}

const options = { spec: testSpec, lot: 'D1', units: 60, seed: 99, retestRate: 0.05, outliers: 2, malformedRate: 0.1 } as const;

describe('determinism', () => {
  it('same seed and options → byte-identical files and manifest', () => {
    const a = tempDir();
    const b = tempDir();
    writeLotFiles(generateLot(options), longMwProfile, a);
    writeLotFiles(generateLot(options), longMwProfile, b);
    expect(readdirSync(a).length).toBeGreaterThan(60);
    expect(folderHash(a)).toBe(folderHash(b));
  });

  it('a different seed → different files', () => {
    const a = renderLotFiles(generateLot(options), wideProfile);
    const b = renderLotFiles(generateLot({ ...options, seed: 100 }), wideProfile);
    const hash = (files: typeof a) =>
      createHash('sha256')
        .update(Buffer.concat(files.map((f) => f.bytes)))
        .digest('hex');
    expect(hash(a)).not.toBe(hash(b));
  });
});

/** Minimal reader of the long mW profile: preamble, `;`, decimal comma, mW → dBm, 1-based lanes. */
function readLongMw(text: string) {
  const lines = text.trimEnd().split('\n');
  const headerAt = lines.findIndex((l) => !l.includes('='));
  const header = (lines[headerAt] ?? '').split(';');
  const col = (name: string) => header.indexOf(name);
  const preamble = Object.fromEntries(lines.slice(0, headerAt).map((l) => l.split('=') as [string, string]));
  const cornerOf = Object.fromEntries(Object.entries(longMwProfile.cornerAliases));
  const paramOf = longMwProfile.long?.parameterAliases ?? {};
  return {
    preamble,
    rows: lines.slice(headerAt + 1).map((l) => {
      const cells = l.split(';');
      const raw = cells[col('Value')] ?? '';
      const censored = raw.startsWith('<');
      const value = Number(raw.replace('<', '').replace(',', '.'));
      const unit = cells[col('Unit')] ?? '';
      const laneText = cells[col('Ch')] ?? '';
      return {
        parameter: paramOf[cells[col('Test')] ?? ''] ?? cells[col('Test')] ?? '',
        corner: cornerOf[cells[col('Temp')] ?? ''] ?? '',
        lane: laneText === '' ? null : Number(laneText) - 1,
        censored,
        canonical:
          unit === 'mW'
            ? cells[col('Test')] === 'P_MODULE'
              ? value / 1000
              : 10 * Math.log10(value)
            : unit === 'mA'
              ? value / 1000
              : value,
      };
    }),
  };
}

describe('station layouts', () => {
  it('round-trips mW / decimal comma / 1-based lanes to the canonical values within 1e-6 relative', () => {
    const lot = generateLot({ ...options, malformedRate: 0 });
    const files = renderLotFiles(lot, longMwProfile);
    let checked = 0;
    files.forEach((file, k) => {
      const run = lot.runs[k];
      if (run === undefined) throw new Error('one file per run expected');
      const { preamble, rows } = readLongMw(file.bytes.toString('utf8'));
      expect(preamble.Serial).toBe(run.serial);
      expect(preamble.Attempt).toBe(String(run.attempt));
      expect(rows).toHaveLength(lot.model.slots.length);
      for (const row of rows) {
        const index = lot.model.slotIndex.get(`${row.parameter}|${row.corner}|${row.lane ?? '-'}`);
        expect(index, `${row.parameter} ${row.corner} ${row.lane}`).toBeDefined();
        const expected = run.values[index ?? 0] ?? NaN;
        expect(Math.abs(row.canonical - expected)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(expected), 1e-3));
        expect(row.censored).toBe(run.censoring[index ?? 0] === 1);
        checked++;
      }
    });
    expect(checked).toBe(lot.runs.length * lot.model.slots.length);
    expect(files[0]?.bytes.toString('utf8')).toMatch(/;mW;/);
  });

  it('writes wide files with one row per lane × corner, the first header aliases, module values on every lane row', () => {
    const lot = generateLot({ ...options, malformedRate: 0, retestRate: 0 });
    const [first] = renderLotFiles(lot, wideProfile);
    const lines = first?.bytes.toString('utf8').trimEnd().split('\n') ?? [];
    expect(lines[0]).toBe(
      'SerialNumber,LotID,Tester,StartTime,Attempt,TempC,Lane,Wavelength (nm),Tx Power (dBm),OMA (dBm),TDECQ (dB),ER (dB),RX Sens (dBm),Power (W),Icc (mA),Vcc (V)',
    );
    expect(lines).toHaveLength(1 + 3 * 4);
    const room = lines
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[5] === '25');
    expect(new Set(room.map((c) => c[13])).size).toBe(1);
    expect(room[0]?.[13]).toBe(lot.runs[0]?.values[lot.model.slotIndex.get('module_power|room|-') ?? 0]?.toFixed(4));
    const cold = lines
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[5] === '0');
    expect(cold.every((c) => c[13] === '' && c[14] === '')).toBe(true); // module power is not measured cold
  });

  it('names files from the profile pattern so the pattern gives the identity back', () => {
    const lot = generateLot({ ...options, malformedRate: 0 });
    const pattern = new RegExp(fileNameProfile.fileNamePattern ?? '');
    for (const [k, file] of renderLotFiles(lot, fileNameProfile).entries()) {
      const g = pattern.exec(file.name)?.groups;
      const run = lot.runs[k];
      expect(g?.serial).toBe(run?.serial);
      expect(g?.attempt).toBe(String(run?.attempt));
      expect(g?.station).toBe(run?.station);
    }
  });
});

describe('manifest', () => {
  it('lists every file with its faults, and each malformed entry matches the broken file', () => {
    const dir = tempDir();
    const lot = generateLot({ ...options, units: 200, malformedRate: 0.2, malformedKinds: MALFORMATION_KINDS });
    writeLotFiles(lot, longMwProfile, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as LotManifest;
    expect(manifest.lot).toBe('D1');
    expect(manifest.product).toBe('test-dr4');
    expect(manifest.quantity).toBe(200);
    expect(manifest.files).toHaveLength(lot.runs.length);
    expect(readdirSync(dir).length).toBe(lot.runs.length + 1);
    const malformed = manifest.files.filter((f) => f.faults.some((x) => x.kind === 'malformed'));
    expect(malformed).toHaveLength(Math.round(0.2 * lot.runs.length));
    const kinds = new Set<string>();
    for (const entry of manifest.files) {
      const bytes = readFileSync(join(dir, entry.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
      const fault = entry.faults.find((x) => x.kind === 'malformed');
      const text = bytes.toString('utf8');
      const lines = text.split('\n');
      const header = lines.find((l) => !l.includes('=')) ?? '';
      if (fault === undefined || fault.kind !== 'malformed') {
        expect(text.endsWith('\n')).toBe(true);
        for (const l of lines.slice(lines.indexOf(header) + 1, -1)) expect(l.split(';').length).toBe(header.split(';').length);
        continue;
      }
      kinds.add(fault.malformation);
      const line = fault.line === null ? '' : (lines[fault.line - 1] ?? '');
      switch (fault.malformation) {
        case 'empty':
          expect(bytes.length).toBe(0);
          break;
        case 'binary-garbage':
          expect(bytes.includes(0)).toBe(true);
          break;
        case 'nan':
          expect(line.split(';')).toContain('NaN');
          break;
        case 'non-numeric':
          expect(line.split(';').some((c) => ['ERR', 'n/a', '#VALUE!', '--', 'FAIL'].includes(c))).toBe(true);
          break;
        case 'truncated':
          expect(text.endsWith('\n')).toBe(false);
          expect(lines).toHaveLength(fault.line ?? -1);
          break;
        case 'ragged-row':
          expect(line.split(';').length).toBe(header.split(';').length - 1);
          break;
        case 'unknown-parameter':
          expect(line).toContain('TX_UNKNOWN_PROBE');
          break;
        case 'bad-timestamp':
          expect(line).toBe('Start=2025-13-45T25:61:00Z');
          break;
      }
    }
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    expect(manifest.summary.retests).toBe(lot.runs.filter((r) => r.attempt === 2).length);
    expect(manifest.files.filter((f) => f.attempt === 2).length).toBe(manifest.summary.retests);
  });
});

describe('shipped specs and profiles', () => {
  // Part of the repository: a missing folder is a failure, never a reason to skip.
  const products = resolve('schemas/products');
  const profiles = resolve('schemas/profiles');
  it('generates every shipped product in every shipped profile', () => {
    const productFiles = readdirSync(products).filter((f) => f.endsWith('.json'));
    const profileFiles = readdirSync(profiles).filter((x) => x.endsWith('.json'));
    expect(productFiles.length).toBeGreaterThanOrEqual(4);
    expect(profileFiles.length).toBeGreaterThanOrEqual(3);
    for (const p of productFiles) {
      const spec = loadProductSpec(join(products, p));
      const lot = generateLot({ spec, lot: 'X1', units: 30, seed: 5, retestRate: 0.1 });
      for (const f of profileFiles) {
        const files = renderLotFiles(lot, loadStationProfile(join(profiles, f)));
        expect(files.length, `${p} × ${f}`).toBeGreaterThanOrEqual(lot.runs.length);
      }
    }
  });

  // How fast: bench/ (a timed assertion here would fail on a loaded machine, not on a slow change).
  it('writes a DR8 lot from four stations: one file per unit attempt, every reading slot filled', () => {
    const spec = loadProductSpec(join(products, 'osfp-800g-dr8.json'));
    const units = 300;
    const lot = generateLot({ spec, lot: 'BIG', units, seed: 1, stations: 4 });
    const result = writeLotFiles(lot, loadStationProfile(join(profiles, 'long-generic.json')), tempDir());
    expect(result.manifest.files).toHaveLength(units);
    expect(lot.model.slots.length).toBeGreaterThan(200);
  });
});
