/**
 * The synthetic factory writes what its profiles read: a lot generated in every shipped station profile —
 * including the layouts around the table (a fixed report block at the top, INI sections with [Data] …
 * [End] markers, comment lines, a summary row and a footer) — is read back by lotqa's own parser, every file stored and
 * every generated reading found with its identity. Before the layout lines were written, the
 * fixed-header-block and ini-sections lots were refused whole (no serial found / no matching header).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLot } from '../../src/sim/generate-lot.js';
import { renderLotFiles } from '../../src/sim/write-lot-files.js';
import { loadProductSpec, loadStationProfile } from '../../src/domain/schema-registry.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { measurementCount } from '../../src/domain/measurement-columns.js';
import { fixedBlockLines } from '../../src/sim/layout-lines.js';
import { SimProfileError } from '../../src/sim/sim-errors.js';
import type { StationProfile } from '../../src/domain/station-profile.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const profilesDir = resolve('schemas/profiles');
const profileFiles = readdirSync(profilesDir).filter((f) => f.endsWith('.json'));
const profiles = profileFiles.map((f) => loadStationProfile(join(profilesDir, f)));
const spec = loadProductSpec(resolve('schemas/products/qsfp112-400g-dr4.json'));

describe('generated station files read back by the parser', () => {
  it('covers the layouts around the table (the shipped profiles include a fixed block and INI sections)', () => {
    expect(profiles.some((p) => p.layout?.fixedBlock !== undefined)).toBe(true);
    expect(profiles.some((p) => p.layout?.tableStart !== undefined && p.layout.tableEnd !== undefined)).toBe(true);
  });

  it.each(profiles.map((p) => [p.id, p] as const))('%s: every file stored, every reading and identity found', async (_id, profile) => {
    const lot = generateLot({ spec, lot: 'RB1', units: 6, seed: 11, retestRate: 0 });
    const dir = mkdtempSync(join(tmpdir(), `lotqa-readback-${profile.id}-`));
    dirs.push(dir);
    const files = renderLotFiles(lot, profile);
    let readings = 0;
    const serials = new Set<string>();
    for (const f of files) {
      const path = join(dir, f.name);
      writeFileSync(path, f.bytes);
      // Detected among all shipped profiles, as `lotqa ingest` does without --profile.
      const outcome = await parseStationFile(path, { product: spec, profiles });
      expect(outcome.kind === 'rejected' ? `${f.name}: ${outcome.file.reason} ${outcome.file.message}` : 'parsed').toBe('parsed');
      if (outcome.kind !== 'parsed') continue;
      expect(outcome.file.quarantine).toEqual([]);
      readings += measurementCount(outcome.file);
      for (const run of outcome.file.runs) {
        expect(run.lot).toBe('RB1');
        serials.add(run.serial);
      }
    }
    expect(serials).toEqual(new Set(lot.runs.map((r) => r.serial)));
    // Every generated reading slot of every run (no malformation, nothing censored away).
    expect(readings).toBe(lot.runs.length * lot.model.slots.length);
  });

  it('writes the comment, summary row and footer a layout declares, and the parser keeps them apart from the readings', async () => {
    const profile = profiles.find((p) => p.id === 'long-commented-footer')!;
    const lot = generateLot({ spec, lot: 'RB2', units: 1, seed: 12, retestRate: 0 });
    const [file] = renderLotFiles(lot, profile);
    const dir = mkdtempSync(join(tmpdir(), 'lotqa-readback-footer-'));
    dirs.push(dir);
    const path = join(dir, file!.name);
    writeFileSync(path, file!.bytes);
    const outcome = await parseStationFile(path, { product: spec, profile, profiles });
    expect(outcome.kind).toBe('parsed');
    if (outcome.kind !== 'parsed') return;
    expect(outcome.file.quarantine).toEqual([]);
    expect(outcome.file.otherLines?.map((l) => [l.line, l.kind])).toEqual([
      [1, 'comment'],
      [3 + lot.model.slots.length, 'summary'],
      [4 + lot.model.slots.length, 'marker'],
    ]);
    expect(outcome.file.stationMetadata?.filter((m) => m.place === 'after-table')).toEqual([
      { key: 'Test program', value: 'lotqa generate', line: 5 + lot.model.slots.length, section: null, place: 'after-table' },
    ]);
  });

  it('refuses a fixed block it cannot write so that the profile reads it back, naming the field', () => {
    const fixed = profiles.find((p) => p.layout?.fixedBlock !== undefined)!;
    const block = fixed.layout!.fixedBlock!;
    const odd: StationProfile = {
      ...fixed,
      layout: {
        ...fixed.layout,
        fixedBlock: { ...block, fields: [{ key: 'Serial', line: 2, pattern: 'S/N:\\s*(?<value>[A-Z]{2}\\d+)|SER (\\S+)' }] },
      },
    };
    expect(() => fixedBlockLines(odd, new Map([['Serial', 'QD1']]))).toThrow(SimProfileError);
    expect(() => fixedBlockLines(odd, new Map([['Serial', 'QD1']]))).toThrow(/fixed-block value "Serial" on line 2/);
  });
});
