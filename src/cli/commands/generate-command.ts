/**
 * @module `lotqa generate` — writes a synthetic lot of station CSV files plus manifest.json, for
 * demos, tests and benchmarks. Thin shell over src/sim.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { loadProductSpec, loadStationProfile } from '../../domain/schema-registry.js';
import { generateLot, type GeneratedLot } from '../../sim/generate-lot.js';
import { generateHistory, type HistoryDrift } from '../../sim/generate-history.js';
import { SimOptionError } from '../../sim/sim-errors.js';
import { writeLotFiles } from '../../sim/write-lot-files.js';
import { parseDrift, parseShift, parseStationOffset, parseStuck, parseVariance } from '../../sim/injection-syntax.js';
import type { MeanShift, StationOffset, StuckGauge, VarianceBlowUp } from '../../sim/lot-options.js';

const SCHEMAS_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));

/** A shipped id (`qsfp112-400g-dr4`) or a path to a JSON file. */
function documentPath(value: string, folder: 'products' | 'profiles'): string {
  if (value.endsWith('.json') || value.includes('/') || value.includes('\\')) return resolve(value);
  const shipped = resolve(SCHEMAS_DIR, folder, `${value}.json`);
  return existsSync(shipped) ? shipped : resolve(value);
}

function integer(name: string, min: number) {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`);
    return v;
  };
}

function fraction(name: string) {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isFinite(v) || v < 0 || v > 1) throw new InvalidArgumentError(`${name} must be between 0 and 1`);
    return v;
  };
}

function nonNegative(name: string) {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0`);
    return v;
  };
}

function collect<T>(parse: (s: string) => T) {
  return (text: string, previous: T[] = []): T[] => {
    try {
      return [...previous, parse(text)];
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

interface GenerateFlags {
  product: string;
  profile: string;
  units: number;
  lot: string;
  seed: string;
  out: string;
  shift?: MeanShift[];
  variance?: VarianceBlowUp[];
  outliers: number;
  retestRate: number;
  retestPass: number;
  malformedRate: number;
  lotSigma: number;
  laneLotSigma: number;
  laneLotCornerShare: number;
  laneCorrelation: number;
  stationOffset?: StationOffset[];
  stuck?: StuckGauge[];
  drift?: HistoryDrift[];
  history?: number;
  stations: number;
  capability?: number;
  start?: string;
  spacing: number;
  json?: boolean;
}

/** Adds `lotqa generate` to the program. */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('write a synthetic lot: one station CSV per unit test in a profile layout, plus manifest.json')
    .requiredOption('--product <id|file>', 'product spec: shipped id (e.g. qsfp112-400g-dr4) or JSON file')
    .requiredOption('--profile <id|file>', 'station profile: shipped id (e.g. long-generic) or JSON file')
    .requiredOption('--units <n>', 'units (serials) in the lot', integer('--units', 1))
    .requiredOption('--lot <id>', 'lot id (letters, digits, . _ -)')
    .requiredOption('--out <dir>', 'folder to write into (created if needed)')
    .option('--seed <seed>', 'seed; same seed and options give byte-identical files', '1')
    .option(
      '--shift <param:lane:sigma[:corner]>',
      'mean shift in unit-to-unit σ; lane = channel number from 1, or * (repeatable)',
      collect(parseShift),
    )
    .option(
      '--variance <param:factor[:lane[:corner]]>',
      'multiply the unit-to-unit σ; lane = channel number from 1 (repeatable)',
      collect(parseVariance),
    )
    .option('--outliers <n>', 'units with one reading 6–8σ off', integer('--outliers', 0), 0)
    .option('--retest-rate <r>', 'share of units failing attempt 1 and retested', fraction('--retest-rate'), 0)
    .option('--retest-pass <p>', 'probability that a retest passes', fraction('--retest-pass'), 0.8)
    .option('--malformed-rate <r>', 'share of files written malformed', fraction('--malformed-rate'), 0)
    .option('--lot-sigma <s>', 'σ of the lot mean offset, in unit-to-unit σ', nonNegative('--lot-sigma'), 0.15)
    .option(
      '--lane-lot-sigma <k>',
      "σ of each lane's own lot offset (per lot × parameter × lane), in unit-to-unit σ",
      nonNegative('--lane-lot-sigma'),
      0,
    )
    .option(
      '--lane-lot-corner-share <s>',
      "share of the lane's lot-offset variance that is its own per corner (0: one offset for every corner)",
      fraction('--lane-lot-corner-share'),
      0,
    )
    .option(
      '--lane-correlation <r>',
      'correlation between the lanes of one unit (same parameter and corner)',
      fraction('--lane-correlation'),
      0,
    )
    .option(
      '--station-offset <STATION:param:sigma>',
      'a station reads a parameter off by sigma × σ (repeatable)',
      collect(parseStationOffset),
    )
    .option(
      '--stuck <param[:lane]>',
      'a stuck gauge: every unit reads one value (lane = channel number from 1; repeatable)',
      collect(parseStuck),
    )
    .option('--history <n>', 'write n consecutive lots <lot>-01 … into <out>/<lot>-01 …', integer('--history', 1))
    .option('--drift <param:sigma-per-lot>', 'with --history: the lot mean moves sigma × σ per lot (repeatable)', collect(parseDrift))
    .option('--stations <k>', 'number of test stations', integer('--stations', 1), 2)
    .option('--capability <cpk>', 'target Cpk of a healthy lot (worst corner and lane)', nonNegative('--capability'))
    .option('--start <iso>', 'first test time (ISO-8601); default derived from the seed')
    .option('--spacing <seconds>', 'seconds between units on one station', nonNegative('--spacing'), 90)
    .option('--json', 'print the manifest summary as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lotqa generate --product qsfp112-400g-dr4 --profile long-generic --units 500 --lot L2401 --seed 7 --out data/L2401\n  lotqa generate ... --shift tx_er:2:1.5 --variance tx_tdecq:2 --outliers 3 --retest-rate 0.02 --malformed-rate 0.01',
    )
    .action((flags: GenerateFlags) => {
      const spec = loadProductSpec(documentPath(flags.product, 'products'));
      const profile = loadStationProfile(documentPath(flags.profile, 'profiles'));
      const seed = /^-?\d+$/.test(flags.seed) ? Number(flags.seed) : flags.seed;
      const started = performance.now();
      if (flags.drift !== undefined && flags.history === undefined)
        throw new SimOptionError('--drift moves the lot mean from lot to lot: give --history <n> as well');
      if (flags.laneCorrelation >= 1) throw new SimOptionError('--lane-correlation must be below 1');
      const common = {
        units: flags.units,
        shifts: flags.shift ?? [],
        variance: flags.variance ?? [],
        outliers: flags.outliers,
        retestRate: flags.retestRate,
        retestPassProbability: flags.retestPass,
        malformedRate: flags.malformedRate,
        lotSigma: flags.lotSigma,
        stations: flags.stations,
        spacingSeconds: flags.spacing,
        ...(flags.capability !== undefined ? { process: { capability: flags.capability } } : {}),
        laneLotSigma: flags.laneLotSigma,
        laneLotCornerShare: flags.laneLotCornerShare,
        laneCorrelation: flags.laneCorrelation,
        stationOffsets: flags.stationOffset ?? [],
        stuck: flags.stuck ?? [],
      };
      if (flags.history !== undefined) {
        const lots: GeneratedLot[] = generateHistory({
          product: spec,
          seed,
          ...(flags.start !== undefined ? { startTime: flags.start } : {}),
          drift: flags.drift ?? [],
          lots: Array.from({ length: flags.history }, (_, k) => ({ ...common, lot: `${flags.lot}-${String(k + 1).padStart(2, '0')}` })),
        });
        const written = lots.map((l) => writeLotFiles(l, profile, resolve(flags.out, l.lot)));
        const summary = written.map((w, k) => ({ lot: lots[k]!.lot, outDir: w.outDir, files: w.manifest.summary.files, bytes: w.bytes }));
        if (flags.json) process.stdout.write(JSON.stringify({ lots: summary }, null, 2) + '\n');
        else
          process.stdout.write(
            summary.map((x) => `wrote ${x.files} files (${(x.bytes / 1e6).toFixed(1)} MB) for lot ${x.lot} to ${x.outDir}`).join('\n') +
              '\n',
          );
        return;
      }
      const lot = generateLot({
        ...common,
        spec,
        lot: flags.lot,
        seed,
        ...(flags.start !== undefined ? { startTime: flags.start } : {}),
      });
      const result = writeLotFiles(lot, profile, resolve(flags.out));
      const seconds = (performance.now() - started) / 1000;
      const { summary } = result.manifest;
      if (flags.json) {
        process.stdout.write(
          JSON.stringify({ outDir: result.outDir, manifest: result.manifestPath, bytes: result.bytes, seconds, ...summary }, null, 2) +
            '\n',
        );
        return;
      }
      process.stdout.write(
        [
          `wrote ${summary.files} files (${(result.bytes / 1e6).toFixed(1)} MB) for lot ${lot.lot} of ${spec.productId} in ${profile.id} layout to ${result.outDir}`,
          `  units ${lot.options.units}, retests ${summary.retests}, outlier units ${summary.outlierUnits}, malformed files ${summary.malformedFiles}, failed first pass ${summary.failedFirstPass}`,
          `  manifest: ${result.manifestPath} (${seconds.toFixed(1)} s)`,
        ].join('\n') + '\n',
      );
    });
}
