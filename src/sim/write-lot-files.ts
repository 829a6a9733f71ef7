/**
 * @module WriteLotFiles — writes a generated lot as station CSV files in a profile's layout, plus
 * `manifest.json` beside them: the lot, product, seed, options as applied, and every file with its
 * serial, attempt, verdict, SHA-256 and injected faults. Each file is built in memory and written
 * with one call; names and bytes depend only on the lot and the profile.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StationProfile } from '../domain/station-profile.js';
import type { GeneratedLot, GeneratedRun, InjectedFault } from './generate-lot.js';
import { SeededRandom } from './seeded-random.js';
import { stationLayout } from './station-csv.js';
import { malform, type MalformedFault } from './malformations.js';
import type { ResolvedLotOptions } from './lot-options.js';
import { SimProfileError } from './sim-errors.js';

export type FileFault = InjectedFault | MalformedFault;

/** One written file as the manifest lists it. */
export interface ManifestFile {
  readonly file: string;
  readonly serial: string;
  readonly attempt: number;
  readonly station: string;
  readonly testTime: string;
  /** Product corner id when the profile writes one file per corner, else null. */
  readonly corner: string | null;
  /** Verdict of the run against the spec limits (before any malformation). */
  readonly passed: boolean;
  readonly failed: readonly { readonly parameter: string; readonly corner: string; readonly lane: number | null }[];
  readonly sha256: string;
  readonly bytes: number;
  readonly faults: readonly FileFault[];
}

export interface LotManifest {
  readonly kind: 'lotqa/sim-manifest';
  readonly lot: string;
  readonly product: string;
  readonly productVersion: string;
  readonly profile: string;
  /** Units (serials) in the lot. */
  readonly quantity: number;
  readonly seed: number | string;
  readonly options: ResolvedLotOptions;
  readonly summary: {
    readonly files: number;
    readonly runs: number;
    readonly retests: number;
    readonly outlierUnits: number;
    readonly malformedFiles: number;
    readonly failedFirstPass: number;
  };
  readonly files: readonly ManifestFile[];
}

export interface WriteLotResult {
  readonly outDir: string;
  readonly manifestPath: string;
  readonly manifest: LotManifest;
  readonly bytes: number;
}

/** A file ready to write: name and exact bytes. */
export interface RenderedFile {
  readonly name: string;
  readonly bytes: Buffer;
  readonly entry: Omit<ManifestFile, 'sha256' | 'bytes'>;
}

/** Renders every file of the lot in memory (no I/O); `writeLotFiles` writes what this returns. */
export function renderLotFiles(lot: GeneratedLot, profile: StationProfile): RenderedFile[] {
  const layout = stationLayout(lot, profile);
  const out: RenderedFile[] = [];
  const seen = new Set<string>();
  for (const run of lot.runs) {
    const tables = layout.render(run);
    tables.forEach((table, t) => {
      if (seen.has(table.name)) {
        throw new SimProfileError(
          `two files would both be named "${table.name}"; profile "${profile.id}"'s fileNamePattern must include the serial and attempt (and corner when corners are in separate files)`,
        );
      }
      seen.add(table.name);
      const faults: FileFault[] = [...run.faults];
      let bytes: Buffer;
      if (run.malformation !== null && t === 0) {
        const random = new SeededRandom(lot.options.seed, 'lot', lot.lot, 'malform', table.name);
        const broken = malform(run.malformation, table, layout.join, random, profile.decimal);
        bytes = broken.bytes;
        faults.push(broken.fault);
      } else {
        bytes = Buffer.from(layout.join(table));
      }
      out.push({ name: table.name, bytes, entry: manifestEntry(lot, run, table.name, table.corner, faults) });
    });
  }
  return out;
}

function manifestEntry(
  lot: GeneratedLot,
  run: GeneratedRun,
  file: string,
  corner: string | null,
  faults: FileFault[],
): Omit<ManifestFile, 'sha256' | 'bytes'> {
  return {
    file,
    serial: run.serial,
    attempt: run.attempt,
    station: run.station,
    testTime: run.testTime,
    corner,
    passed: run.passed,
    failed: run.failedSlots.map((i) => {
      const s = lot.model.slots[i];
      return { parameter: s?.parameter ?? '', corner: s?.corner ?? '', lane: s?.lane ?? null };
    }),
    faults,
  };
}

/** The manifest of a rendered lot. */
export function lotManifest(lot: GeneratedLot, profile: StationProfile, files: readonly RenderedFile[]): LotManifest {
  const entries: ManifestFile[] = files.map((f) => ({
    ...f.entry,
    sha256: createHash('sha256').update(f.bytes).digest('hex'),
    bytes: f.bytes.length,
  }));
  return {
    kind: 'lotqa/sim-manifest',
    lot: lot.lot,
    product: lot.productId,
    productVersion: lot.options.productVersion,
    profile: profile.id,
    quantity: lot.options.units,
    seed: lot.options.seed,
    options: lot.options,
    summary: {
      files: entries.length,
      runs: lot.runs.length,
      retests: lot.runs.filter((r) => r.attempt > 1).length,
      outlierUnits: lot.runs.filter((r) => r.attempt === 1 && r.faults.some((f) => f.kind === 'outlier')).length,
      malformedFiles: entries.filter((e) => e.faults.some((f) => f.kind === 'malformed')).length,
      failedFirstPass: lot.runs.filter((r) => r.attempt === 1 && !r.passed).length,
    },
    files: entries,
  };
}

/**
 * Writes the lot's station files and `manifest.json` into `outDir` (created if needed). Existing
 * files of the same names are overwritten; nothing else in the folder is touched.
 */
export function writeLotFiles(lot: GeneratedLot, profile: StationProfile, outDir: string): WriteLotResult {
  const files = renderLotFiles(lot, profile);
  mkdirSync(outDir, { recursive: true });
  let bytes = 0;
  for (const f of files) {
    writeFileSync(join(outDir, f.name), f.bytes);
    bytes += f.bytes.length;
  }
  const manifest = lotManifest(lot, profile, files);
  const manifestPath = join(outDir, 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { outDir, manifestPath, manifest, bytes };
}
