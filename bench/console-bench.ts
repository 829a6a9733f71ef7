/**
 * Console bench: time to interactive of the lot page and of a chart of a 10,000-unit DR8 lot, measured
 * in real Chromium (Debian's, through playwright-core) against a real `lotqa serve` on loopback.
 *   lot page: navigation start → load event (server-rendered HTML: interactive when loaded);
 *   chart:    navigation start → the chart drawn and its hover/click handlers attached.
 *   analysis: navigation start → the chart page's four analysis charts (lanes, histogram, stations, trend) drawn.
 * "cold" is the first view after the server starts; "warm" is the median of the next views. Target: < 1 s.
 * The lot page reads the lot's page summary (stored with the evaluation, migration 0010), never the
 * LotResult (~25-50 MB of JSON); a chart page reads only its cells (src/queries/lot-result-part.ts). A bench store
 * built before 0010 gets its summary here, as the console's first view would make it, before timing.
 *   npx tsx bench/console-bench.ts [units=10000] [runs=5]
 * The lot is built once (generate → ingest → baseline-free evaluation) and kept in .lotqa/console-bench/.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { findProduct, findProfile, listShippedProfiles } from '../src/domain/catalog.js';
import { createAccount } from '../src/pipeline/accounts.js';
import { collectStationFiles } from '../src/pipeline/collect-files.js';
import { ingestFiles } from '../src/pipeline/ingest-files.js';
import { signOffLot } from '../src/pipeline/sign-off-lot.js';
import { lotOverview } from '../src/queries/index.js';
import { lotPageSummary } from '../src/domain/lot-page-summary.js';
import { generateHistory, writeLotFiles } from '../src/sim/index.js';
import { openStore } from '../src/store/index.js';
import { chromiumPath } from '../tests/web/support/chromium.js';
import { startTestConsole } from '../tests/web/support/console-server.js';

const units = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
const LOT = `BENCH${units}`;
const dir = join('.lotqa', 'console-bench');
const dbPath = join(dir, `console-${units}.sqlite`);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

mkdirSync(dir, { recursive: true });
const store = openStore({ sqlitePath: dbPath });
await store.migrate();
if (!(await lotOverview(store, LOT))?.revision) {
  const spec = findProduct('osfp-800g-dr8');
  const t = performance.now();
  const [lot] = generateHistory({ product: spec, seed: 'console-bench', lots: [{ lot: LOT, units, retestRate: 0.02 }] });
  const data = join(dir, 'data');
  rmSync(data, { recursive: true, force: true });
  writeLotFiles(lot!, findProfile('wide-v2'), data);
  await ingestFiles(store, await collectStationFiles([data]), { product: spec, profiles: listShippedProfiles().map((e) => e.document) });
  await signOffLot(store, LOT, { policy: findPolicy('default'), spec, reports: null });
  rmSync(data, { recursive: true, force: true });
  process.stderr.write(`built lot ${LOT} (${units} units) in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
}
if (!(await store.accounts.getAccount('bench')))
  await createAccount(store, { username: 'bench', fullName: 'Bench', role: 'viewer', password: 'bench-password', by: 'bench' });

const overview = (await lotOverview(store, LOT))!;
const evaluation = (await store.getEvaluation(LOT, overview.revision!))!;
if (!(await store.pageSummaries.get(LOT, overview.revision!))) {
  await store.pageSummaries.save(evaluation.resultSha256, lotPageSummary(evaluation.result));
  process.stderr.write(`stored the page summary of ${LOT} (a bench store built before migration 0010)\n`);
}
// The chart the lot page's first reason names, else the first chart with signals, else the first chart.
const reason = evaluation.result.proposal.reasons.find((r) => r.parameter !== undefined && r.corner !== undefined);
const cell =
  (reason &&
    evaluation.result.cells.find(
      (c) => c.key.parameter === reason.parameter && c.key.corner === reason.corner && c.key.lane === (reason.lane ?? null) && c.chart,
    )) ??
  evaluation.result.cells.find((c) => c.chart && c.chart.signals.length > 0) ??
  evaluation.result.cells.find((c) => c.chart)!;

const server = await startTestConsole(store);
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.fill('input[name=username]', 'bench');
  await page.fill('input[name=password]', 'bench-password');
  await Promise.all([page.waitForURL(server.url), page.click('button[type=submit]')]);

  const lotUrl = `${server.url}lots/${encodeURIComponent(LOT)}`;
  const lane = cell.key.lane === null ? 'module' : String(cell.key.lane);
  const chartUrl = `${server.url}lots/${encodeURIComponent(LOT)}/chart?${new URLSearchParams({ parameter: cell.key.parameter, corner: cell.key.corner, lane }).toString()}`;
  const lotPage = async (p: Page): Promise<number> => {
    await p.goto(lotUrl, { waitUntil: 'load' });
    // Evaluated in the page (browser globals), written as a string so this Node file needs no DOM types.
    return p.evaluate<number>("performance.getEntriesByType('navigation')[0].loadEventEnd");
  };
  const chartPage = async (p: Page): Promise<number> => {
    await p.goto(chartUrl);
    await p.waitForSelector('body[data-chart-ready=true]', { timeout: 60_000 });
    const ready = Number(await p.evaluate<string>('document.body.dataset.chartReadyMs'));
    await p.waitForSelector('body[data-analysis-ready=true]', { timeout: 60_000 });
    analysisTimes.push(Number(await p.evaluate<string>('document.body.dataset.analysisReadyMs')));
    return ready;
  };
  const analysisTimes: number[] = [];
  const coldLot = await lotPage(page);
  const coldChart = await chartPage(page);
  const lotTimes: number[] = [];
  const chartTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    lotTimes.push(await lotPage(page));
    chartTimes.push(await chartPage(page));
  }
  const points = cell.chart!.points.length;
  console.log(
    JSON.stringify(
      {
        lot: LOT,
        units: overview.units,
        chart: `${cell.key.parameter} @ ${cell.key.corner} lane index ${cell.key.lane} (${points} points)`,
        lotPageMs: { cold: Math.round(coldLot), warmMedian: Math.round(median(lotTimes)), runs: lotTimes.map(Math.round) },
        chartMs: { cold: Math.round(coldChart), warmMedian: Math.round(median(chartTimes)), runs: chartTimes.map(Math.round) },
        analysisChartsMs: {
          cold: Math.round(analysisTimes[0]!),
          warmMedian: Math.round(median(analysisTimes.slice(1))),
          runs: analysisTimes.slice(1).map(Math.round),
        },
        loadavg: readFileSync('/proc/loadavg', 'utf8').trim(),
        targetMs: 1000,
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await server.app.close();
  await store.close();
}
