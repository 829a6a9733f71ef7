/**
 * @module The demo factory history: five qualified lots become the baseline, then three new lots are run
 * through the whole pipeline — a clean lot (accepted), a lot with an in-spec 1σ launch-power shift on one
 * lane (held for an engineer), and a lot whose extinction-ratio spread fails units (rejected).
 * Everything is generated from a seed, so the demo is the same on every machine.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { CertificateContext } from '../domain/decision.js';
import type { Disposition } from '../domain/lot-result.js';
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import { generateHistory, writeLotFiles, type HistoryLot } from '../sim/index.js';
import { openStore } from '../store/index.js';
import { collectStationFiles } from './collect-files.js';
import { ingestFiles, type IngestSummary } from './ingest-files.js';
import { createBaseline } from './lot-stages.js';
import { signOffLot, type LotSignOff } from './sign-off-lot.js';

export interface DemoOptions {
  readonly outDir: string;
  readonly spec: ProductSpec;
  /** Station profiles the demo's stations write in (rotated over the lots). */
  readonly profiles: readonly StationProfile[];
  readonly policy: AcceptancePolicy;
  readonly context: CertificateContext;
  readonly units: number;
  readonly seed: string;
  readonly reports: boolean;
  readonly onStep?: (message: string) => void;
  readonly onIngestProgress?: (done: number, total: number) => void;
}

export interface DemoLot {
  readonly lot: string;
  readonly story: string;
  readonly expected: Disposition;
}

export interface DemoResult {
  readonly database: string;
  readonly dataDir: string;
  readonly ingest: IngestSummary;
  readonly baselineVersion: number;
  readonly lots: readonly (DemoLot & { readonly signOff: LotSignOff })[];
}

export const BASELINE_LOTS = ['Q2601', 'Q2602', 'Q2603', 'Q2604', 'Q2605'];

export function demoLots(spec: ProductSpec): (DemoLot & { readonly options: Omit<HistoryLot, 'lot' | 'units'> })[] {
  const power = spec.parameters.find((p) => p.id === 'tx_avg_power') ? 'tx_avg_power' : spec.parameters[0]!.id;
  const er = spec.parameters.find((p) => p.id === 'tx_er') ? 'tx_er' : spec.parameters[0]!.id;
  const lane = Math.min(3, spec.laneCount - 1);
  return [
    { lot: 'L2610', story: 'clean lot from the same process', expected: 'ACCEPT', options: { retestRate: 0.01 } },
    {
      lot: 'L2611',
      story: `in-spec +1σ ${power} shift on lane ${lane + 1} (all corners)`,
      expected: 'HOLD',
      options: { retestRate: 0.01, shifts: [{ parameter: power, lane, sigma: 1 }] },
    },
    {
      lot: 'L2612',
      story: `${er} spread ×3: units fail the ER limit`,
      expected: 'REJECT',
      options: { variance: [{ parameter: er, factor: 3 }] },
    },
  ];
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const outDir = resolve(o.outDir);
  const dataDir = join(outDir, 'data');
  const database = join(outDir, 'lotqa-demo.sqlite');
  // The demo owns its folder: a fresh history each time, so it always tells the same story.
  rmSync(dataDir, { recursive: true, force: true });
  for (const f of [database, `${database}-wal`, `${database}-shm`]) rmSync(f, { force: true });
  mkdirSync(dataDir, { recursive: true });

  const newLots = demoLots(o.spec);
  o.onStep?.(`generating ${BASELINE_LOTS.length + newLots.length} lots × ${o.units} units of ${o.spec.productId}`);
  const history = generateHistory({
    product: o.spec,
    seed: o.seed,
    startTime: '2026-06-01T06:00:00Z',
    lots: [
      ...BASELINE_LOTS.map((lot) => ({ lot, units: o.units, retestRate: 0.01 })),
      ...newLots.map((l) => ({ lot: l.lot, units: o.units, ...l.options })),
    ],
  });
  history.forEach((lot, i) => writeLotFiles(lot, o.profiles[i % o.profiles.length]!, join(dataDir, lot.options.lot)));

  const store = openStore({ sqlitePath: database });
  try {
    await store.migrate();
    const files = await collectStationFiles([dataDir]);
    o.onStep?.(`ingesting ${files.length} station files (profiles detected from their headers)`);
    const ingest = await ingestFiles(store, files, {
      product: o.spec,
      profiles: o.profiles,
      ...(o.onIngestProgress ? { onFile: (d: number, t: number) => o.onIngestProgress!(d, t) } : {}),
    });
    o.onStep?.(`freezing the baseline from qualified lots ${BASELINE_LOTS.join(', ')}`);
    const baseline = await createBaseline(store, {
      productId: o.spec.productId,
      lots: BASELINE_LOTS,
      createdBy: 'lotqa demo',
      spec: o.spec,
    });
    const lots = [];
    for (const l of newLots) {
      o.onStep?.(`evaluating lot ${l.lot}: ${l.story}`);
      const signOff = await signOffLot(store, l.lot, { policy: o.policy, reports: o.reports ? { outDir, context: o.context } : null });
      lots.push({ lot: l.lot, story: l.story, expected: l.expected, signOff });
    }
    return { database, dataDir, ingest, baselineVersion: baseline.version, lots };
  } finally {
    await store.close();
  }
}
