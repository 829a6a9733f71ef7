/**
 * The console's analysis charts (lane means vs baseline, histogram + capability, stations, batch trend)
 * and "show the work" explanations, driven in-process (`inject`) on the console fixture (five baseline
 * lots; CLEAN accepted, SHIFT and HELD2 held for a +3σ launch-power shift on lane index 2): every route
 * authorised, unauthorised, with a forged token, with bad input and for an unknown chart; and the numbers
 * checked against the stored LotResult, an independent recomputation, or a published value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { lotPageSummary } from '../../src/domain/lot-page-summary.js';
import type { LotResult } from '../../src/domain/lot-result.js';
import { createAccount, issueApiToken } from '../../src/pipeline/accounts.js';
import { DEFAULT_ACROSS_CORNERS_SHARE } from '../../src/evaluate/lane-across-corners.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { normalQuantile } from '../../src/spc/distributions.js';
import { openStore, type Store } from '../../src/store/index.js';
import { buildConsoleApp } from '../../src/web/console-app.js';
import { meanInterval } from '../../src/web/lot-charts.js';
import { explainStatistic, reasonExplainButton, STATISTIC_KINDS, STATISTICS } from '../../src/web/statistic-explanations.js';
import { LoginThrottle } from '../../src/web/web-security.js';
import { buildConsoleFixture } from './support/console-fixture.js';

const HOST = 'charts.test:3300';
const ORIGIN = `http://${HOST}`;
let dir: string;
let store: Store;
let app: FastifyInstance;
let viewer: string;
let token: string;
let shift: LotResult;

interface Problem {
  message: string;
}
interface Explanation {
  statistic: string;
  result: string;
  formula: string[];
  inputs: { symbol: string; value: string }[];
  degreesOfFreedom: string;
  references: string[];
  verifiedBy: string;
}

function cookieOf(res: LightMyRequestResponse, name: string): string | undefined {
  const set = res.headers['set-cookie'];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  return list
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1)
    .split(';')[0];
}

async function login(username: string, password: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login', headers: { host: HOST } });
  const csrf = cookieOf(form, 'lotqa_login_csrf')!;
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { host: HOST, origin: ORIGIN, cookie: `lotqa_login_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, username, password, next: '/' }).toString(),
  });
  expect(res.statusCode, res.body).toBe(303);
  return `lotqa_session=${cookieOf(res, 'lotqa_session')!}`;
}

const get = (url: string, cookie?: string | null, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { host: HOST, ...(cookie ? { cookie } : {}), ...headers } });

const CELL = 'parameter=tx_avg_power&corner=room&lane=2';
const chartUrl = (kind: string, cell = CELL, lot = 'SHIFT') => `/api/lots/${lot}/charts/${kind}?${cell}`;
const ROUTES = [
  chartUrl('lanes'),
  chartUrl('histogram'),
  chartUrl('stations'),
  chartUrl('trend'),
  `/api/lots/SHIFT/explain?statistic=cpk&${CELL}`,
  `/lots/SHIFT/explain?statistic=cpk&${CELL}`,
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-charts-'));
  store = openStore({ sqlitePath: join(dir, 'console.sqlite') });
  await store.migrate();
  expect(await buildConsoleFixture(store, join(dir, 'data'), 40)).toEqual({ CLEAN: 'ACCEPT', SHIFT: 'HOLD' });
  await createAccount(store, { username: 'vic', fullName: 'Vic Viewer', role: 'viewer', password: 'vic-password', by: 'test' });
  token = await issueApiToken(store, 'vic', 'charts reader');
  app = await buildConsoleApp(store, { allowedHosts: [HOST], throttle: new LoginThrottle(50, 60_000), reports: null, prewarm: false });
  viewer = await login('vic', 'vic-password');
  const e = await store.latestEvaluation('SHIFT');
  shift = e!.result;
}, 120_000);
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const cellOf = (lane: number | null) =>
  shift.cells.find((c) => c.key.parameter === 'tx_avg_power' && c.key.corner === 'room' && c.key.lane === lane)!;

describe('access', () => {
  it.each(ROUTES)('%s: 401 (API) or the login page without a session', async (url) => {
    const res = await get(url);
    if (url.startsWith('/api/')) {
      expect(res.statusCode).toBe(401);
      expect(res.json<Problem>().message).toMatch(/log in first/);
    } else {
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/^\/login\?next=/);
    }
  });

  it.each(ROUTES)('%s: 200 for a viewer (the least role) and for a viewer API token; 401 for a forged token', async (url) => {
    expect((await get(url, viewer)).statusCode).toBe(200);
    expect((await get(url, null, { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    const forged = await get(url, null, { authorization: 'Bearer lqt_forged' });
    expect(forged.statusCode).toBe(401);
  });

  it('lists the new routes in the OpenAPI document, with the role they need and their response schema', async () => {
    const doc = (await get('/api/docs', viewer)).json<{
      paths: Record<
        string,
        { get: { description: string; parameters: { name: string }[]; responses: Record<string, { content?: unknown }> } }
      >;
    }>();
    const charts = doc.paths['/api/lots/{lot}/charts/{kind}']!.get;
    expect(charts.description).toMatch(/viewer role/);
    expect(charts.parameters.map((p) => p.name)).toEqual(['lot', 'kind', 'parameter', 'corner', 'lane']);
    expect(charts.responses['200']!.content).toBeDefined();
    expect(doc.paths['/api/lots/{lot}/explain']!.get.parameters.map((p) => p.name)).toContain('statistic');
  });
});

describe('bad input and unknown charts', () => {
  it('an unknown chart kind is 404 naming the kinds', async () => {
    const res = await get(chartUrl('pie'), viewer);
    expect(res.statusCode).toBe(404);
    expect(res.json<Problem>().message).toMatch(/no chart kind "pie" \(lanes, histogram, stations, trend\)/);
  });

  it('an unknown lot, parameter or lane is 404 with a message', async () => {
    expect((await get(chartUrl('lanes', CELL, 'NOPE'), viewer)).json<Problem>().message).toMatch(/unknown lot 'NOPE'/);
    const p = await get(chartUrl('histogram', 'parameter=nope&corner=room&lane=2'), viewer);
    expect(p.statusCode).toBe(404);
    expect(p.json<Problem>().message).toMatch(/no chart of nope @ room, lane 2/);
    expect((await get(chartUrl('stations', 'parameter=tx_avg_power&corner=room&lane=99'), viewer)).statusCode).toBe(404);
  });

  it('a bad lane, a missing parameter or an unknown statistic is 400 naming it', async () => {
    const lane = await get(chartUrl('lanes', 'parameter=tx_avg_power&corner=room&lane=x'), viewer);
    expect(lane.statusCode).toBe(400);
    expect(lane.json<Problem>().message).toMatch(/lane/);
    const missing = await get(chartUrl('lanes', 'corner=room&lane=2'), viewer);
    expect(missing.statusCode).toBe(400);
    expect(missing.json<Problem>().message).toMatch(/parameter/);
    const stat = await get(`/api/lots/SHIFT/explain?statistic=magic&${CELL}`, viewer);
    expect(stat.statusCode).toBe(400);
    expect(stat.json<Problem>().message).toMatch(/statistic/);
  });

  it('escapes what a request puts into the explanation page', async () => {
    const res = await get(
      `/lots/SHIFT/explain?statistic=cpk&parameter=${encodeURIComponent('<script>x</script>')}&corner=room&lane=2`,
      viewer,
    );
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('<script>x');
    expect(res.body).toContain('&lt;script&gt;x');
  });
});

describe('the charts hold the LotResult’s numbers', () => {
  it('lanes: each lane’s mean and 95 % t interval of its chart points, against the baseline mean', async () => {
    const d = (await get(chartUrl('lanes'), viewer)).json<{
      baselineVersion: number;
      lanes: {
        lane: number;
        laneName: string;
        n: number;
        mean: number;
        sd: number;
        low: number;
        high: number;
        baselineMean: number;
        baselineSigma: number;
        meanShiftSigma: number;
      }[];
    }>();
    expect(d.baselineVersion).toBe(shift.baseline!.version);
    expect(d.lanes.map((l) => l.laneName)).toEqual(['1', '2', '3', '4']);
    for (const l of d.lanes) {
      const c = cellOf(l.lane);
      expect(l.n).toBe(c.chart!.points.length);
      // The stored consistency test's own shift: x̄ = μ_b + shift·σ_b (independent of the chart points).
      expect(l.mean).toBeCloseTo(c.consistency!.baselineMean + c.consistency!.meanShiftSigma * c.consistency!.baselineSigma, 5);
      expect(l.baselineMean).toBe(c.consistency!.baselineMean);
      expect(l.high - l.mean).toBeCloseTo(l.mean - l.low, 9);
    }
    // The shifted lane (index 2) stands out against its baseline more than the others.
    const shifts = d.lanes.map((l) => Math.abs(l.meanShiftSigma));
    expect(shifts.indexOf(Math.max(...shifts))).toBe(2);
  });

  it('the mean interval uses the published t table value t(0.975, 9) = 2.262157 (NIST/SEMATECH e-Handbook 1.3.6.7.2)', () => {
    // Ten values with x̄ = 5.5 and s = √(55/6) = 3.02765; published two-sided 97.5 % t quantile with 9 df: 2.262157.
    const m = meanInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])!;
    expect(m.mean).toBe(5.5);
    expect(m.sd).toBeCloseTo(3.0276504, 6);
    expect(m.t).toBeCloseTo(2.262157, 5);
    expect(m.high! - m.mean).toBeCloseTo((2.262157 * 3.0276504) / Math.sqrt(10), 5);
    expect(meanInterval([3])).toMatchObject({ n: 1, mean: 3, low: null });
    expect(meanInterval([])).toBeNull();
  });

  it('histogram: the stored bins (adding up to the exact readings), spec limits and capability', async () => {
    const d = (await get(chartUrl('histogram'), viewer)).json<{
      edges: number[];
      counts: number[];
      lsl: number | null;
      usl: number | null;
      capability: { n: number; cpk: number; cpkLower: number; ppk: number };
    }>();
    const c = cellOf(2);
    expect(d.edges).toEqual(c.histogram!.edges);
    expect(d.counts.reduce((a, b) => a + b, 0)).toBe(c.chart!.points.length);
    expect(d.edges.length).toBe(d.counts.length + 1);
    expect(d.lsl).toBe(c.lsl.value);
    expect(d.capability).toMatchObject({
      n: c.capability!.n,
      cpk: c.capability!.cpk,
      cpkLower: c.capability!.cpkLower,
      ppk: c.capability!.ppk,
      // A normal chart: the decision judged it by normal theory, so the judged Cpk is the one above.
      judgedBy: 'normal-theory',
      judgedCpk: c.capability!.cpk,
      judgedCpkLower: c.capability!.cpkLower,
    });
  });

  it('stations: the points split by station add back up to the chart (count and mean), with the stored station effects', async () => {
    const d = (await get(chartUrl('stations'), viewer)).json<{
      stations: { station: string; n: number; mean: number; againstOthersSigma: number | null }[];
    }>();
    const points = cellOf(2).chart!.points;
    expect(d.stations.reduce((a, s) => a + s.n, 0)).toBe(points.length);
    const pooled = d.stations.reduce((a, s) => a + s.n * s.mean, 0) / points.length;
    expect(pooled).toBeCloseTo(points.reduce((a, b) => a + b, 0) / points.length, 9);
    const effects = shift.stationEffects?.find((e) => e.parameter === 'tx_avg_power' && e.corner === 'room');
    for (const s of d.stations)
      expect(s.againstOthersSigma).toBe(effects?.stations.find((x) => x.station === s.station)?.againstOthersSigma ?? null);
  });

  it('trend: the stored series; the EWMA is the recurrence E_i = λz_i + (1 − λ)E_(i−1) of the stored z (recomputed here)', async () => {
    const res = await get(chartUrl('trend'), viewer);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<{
      lots: string[];
      z: number[];
      ewma: number[];
      ewmaLimit: number[];
      ewmaLambda: number;
      cusumUpper: number[];
      cusumK: number;
    }>();
    expect(d.lots.at(-1)).toBe('SHIFT');
    let e = 0;
    let cp = 0;
    d.z.forEach((z, i) => {
      e = d.ewmaLambda * z + (1 - d.ewmaLambda) * e;
      cp = Math.max(0, z - d.cusumK + cp);
      expect(d.ewma[i]).toBeCloseTo(e, 6);
      expect(d.cusumUpper[i]).toBeCloseTo(cp, 6);
    });
  });

  it('trend of a lot the trend does not cover is 404 saying why', async () => {
    const res = await get(chartUrl('trend', 'parameter=tx_avg_power&corner=room&lane=2', 'B1'), viewer);
    expect(res.statusCode).toBe(404);
    expect(res.json<Problem>().message.length).toBeGreaterThan(10);
  });
});

describe('show the work', () => {
  it('the catalogue gives every statistic a formula, a published reference and the test that verifies it', () => {
    for (const k of STATISTIC_KINDS) {
      expect(STATISTICS[k].formula.length).toBeGreaterThan(0);
      expect(STATISTICS[k].references.join(' ')).toMatch(/NIST|Montgomery|Bissell|Welch|Page/);
      expect(STATISTICS[k].verifiedBy).toMatch(/^tests\//);
    }
  });

  it('Cpk: the stored value and bound, df 0.62(N − 1), and the inputs reproduce the bound (Bissell 1990, recomputed here)', async () => {
    const e = (await get(`/api/lots/SHIFT/explain?statistic=cpk&${CELL}`, viewer)).json<Explanation>();
    const cap = cellOf(2).capability!;
    const input = (s: string) => Number(e.inputs.find((i) => i.symbol === s)!.value);
    expect(e.result).toContain(String(Number(cap.cpk!.toPrecision(4))));
    const nu = 0.62 * (cap.n - 1);
    expect(e.degreesOfFreedom).toContain(String(Number(nu.toPrecision(4))));
    expect(input('N')).toBe(cap.n);
    // Bissell's one-sided lower bound from the explanation's own inputs.
    const z = normalQuantile(cap.confidence);
    expect(input('z₁₋α')).toBeCloseTo(z, 4);
    const lower = cap.cpk! - z * Math.sqrt(1 / (9 * cap.n) + cap.cpk! ** 2 / (2 * nu));
    expect(lower).toBeCloseTo(cap.cpkLower!, 6);
    // Cpk from x̄, σ_w and the limits shown.
    const [mean, sw, lsl, usl] = ['x̄', 'σ_w', 'LSL', 'USL'].map(input) as [number, number, number, number];
    expect(Math.min(usl - mean, mean - lsl) / (3 * sw)).toBeCloseTo(cap.cpk!, 3);
    expect(e.references.join(' ')).toMatch(/Bissell/);
  });

  it('Cpk and Ppk say which route the decision judged the chart by: normal theory here', () => {
    for (const k of ['cpk', 'ppk'] as const) {
      const e = explainStatistic(k, { result: shift, cell: cellOf(2), naming: {} });
      expect(e.notes).toContain('The lot decision judged this chart’s Cpk by normal theory (the formula above).');
    }
  });

  it('Cpk of a chart the decision judged on the Box–Cox scale: the judged figure first, the normal-theory one for comparison', () => {
    // A stored result whose chart the Box–Cox route judged (figures as evaluate-lot stores them).
    const cell = structuredClone(cellOf(2));
    Object.assign(cell.capability!, { judgedBy: 'box-cox', judgedCpk: 1.52, judgedCpkLower: 1.31 });
    const cap = cell.capability!;
    const e = explainStatistic('cpk', { result: shift, cell, naming: {} });
    expect(e.result).toMatch(/^Cpk \(judged, Box–Cox scale\) = 1\.52; lower 95 % bound 1\.31\. Normal theory: Cpk = /);
    expect(e.result).toContain(`Normal theory: Cpk = ${Number(cap.cpk!.toPrecision(4))}`);
    expect(e.notes.join(' ')).toMatch(/judged this chart’s Cpk on the Box–Cox scale .*ISO 22514-4.*Cpk = 1\.52, lower 95 % bound 1\.31/);
    const ppk = explainStatistic('ppk', { result: shift, cell, naming: {} });
    expect(ppk.notes.join(' ')).toMatch(/Box–Cox scale/);
  });

  it('mean shift: the Welch test as stored, with its df; control limits: centre ± 3σ̂', async () => {
    const e = (await get(`/api/lots/SHIFT/explain?statistic=mean-shift&${CELL}`, viewer)).json<Explanation>();
    const k = cellOf(2).consistency!;
    expect(e.degreesOfFreedom).toContain(String(Number(k.welch!.df![0]!.toPrecision(5))));
    expect(e.references.join(' ')).toMatch(/1\.3\.5\.3/);
    const l = (await get(`/api/lots/SHIFT/explain?statistic=control-limits&${CELL}`, viewer)).json<Explanation>();
    const c = cellOf(2).chart!;
    const input = (s: string) => Number(l.inputs.find((i) => i.symbol === s)!.value);
    expect(input('centre') + 3 * input('σ̂')).toBeCloseTo(c.ucl, 4);
    for (const statistic of ['variance-ratio', 'station-shift', 'lane-mean', 'ewma', 'cusum', 'ppk']) {
      const res = await get(`/api/lots/SHIFT/explain?statistic=${statistic}&${CELL}`, viewer);
      expect(res.statusCode, `${statistic}: ${res.body}`).toBe(200);
    }
  });

  it("the held lot's lane-shift reason: its estimate, margin and adjusted p, the per-lane shifts and the family", async () => {
    const reason = shift.proposal.reasons.find((r) => r.code === 'lane-shift' && r.corner === 'room')!;
    expect(reason.lane).toBe(2);
    const e = (await get(`/api/lots/SHIFT/explain?statistic=lane-shift&${CELL}`, viewer)).json<Explanation>();
    expect(e.result).toContain(`θ̂ = ${Number(reason.value!.toPrecision(4))} σ`);
    expect(e.result).toMatch(/adjusted p = /);
    expect(e.inputs.map((i) => i.symbol)).toEqual(['Δ_1', 'Δ_2', 'Δ_3', 'Δ_4', 'δ', 'se', 'p', 'p_adj', 'α', 'α share', 'family']);
    // The per-corner lane tests share α with the across-corner ones: the two shares add up to 1.
    const across = findPolicy('default').consistency.laneAcrossCornersAlphaShare ?? DEFAULT_ACROSS_CORNERS_SHARE;
    expect(reason.test!.alphaShare).toBeCloseTo(1 - across, 12);
    expect(e.degreesOfFreedom).toMatch(/Satterthwaite/);
    // The df, standard error and p of the test are stored with the reason and shown as stored.
    const t = reason.test!;
    expect(t.method).toMatch(/minimum-effect t/);
    expect(t.df).toHaveLength(1);
    expect(e.degreesOfFreedom).toContain(`ν = ${Number(t.df![0]!.toPrecision(5))}`);
    const input = (s: string) => e.inputs.find((i) => i.symbol === s)?.value;
    expect(Number(input('se'))).toBeCloseTo(t.standardError!, 3);
    expect(input('α')).toBe(String(t.alpha));
    expect(t.adjustedP).toBeLessThanOrEqual(t.alpha);
    expect(t.adjustedP).toBeGreaterThanOrEqual(t.p);
    // Independent recomputation of the minimum-effect p from the stored θ̂, δ, se and ν: the Student t CDF by
    // Simpson's rule on its unnormalised density (no library t distribution).
    const tCdf = (x: number, nu: number) => {
      const f = (u: number) => (1 + (u * u) / nu) ** (-(nu + 1) / 2);
      const simpson = (a: number, b: number, steps = 20_000) => {
        const h = (b - a) / steps;
        let sum = f(a) + f(b);
        for (let i = 1; i < steps; i++) sum += f(a + i * h) * (i % 2 ? 4 : 2);
        return (sum * h) / 3;
      };
      return simpson(-400, x) / simpson(-400, 400);
    };
    const a = Math.abs(reason.value!);
    const delta = reason.threshold!;
    const pRecomputed = tCdf((delta - a) / t.standardError!, t.df![0]!) + tCdf((-delta - a) / t.standardError!, t.df![0]!);
    expect(pRecomputed).toBeCloseTo(t.p, 6);
    const lot = await get('/lots/SHIFT', viewer);
    expect(lot.body).toMatch(/class="explain"\s+data-explain="\/lots\/SHIFT\/explain\?statistic=lane-shift&amp;parameter=tx_avg_power/);
  });

  it('a result stored before lotqa kept the test (no `test` on its reasons) still explains, and says how to see the df', () => {
    const old = { ...shift, proposal: { ...shift.proposal, reasons: shift.proposal.reasons.map(({ test: _t, ...r }) => r) } };
    const e = explainStatistic('lane-shift', { result: old, cell: cellOf(2), naming: {} });
    expect(e.degreesOfFreedom).toMatch(/before lotqa kept the df.*re-evaluate/);
    expect(e.inputs.map((i) => i.symbol)).toEqual(['Δ_1', 'Δ_2', 'Δ_3', 'Δ_4', 'δ', 'family']);
  });

  it('a station shift of a per-module parameter (no lanes) opens on its module cell, as does one asked of any lane', async () => {
    const module = shift.stationEffects!.find((e) => e.parameter === 'module_power')!;
    expect(module.stations.length).toBeGreaterThanOrEqual(2);
    const station = module.stations[0]!.station;
    const url = (lane: string) =>
      `/api/lots/SHIFT/explain?statistic=station-shift&parameter=module_power&corner=${module.corner}&lane=${lane}&station=${station}`;
    const res = await get(url('module'), viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Explanation>().result).toContain(station);
    // A per-lane parameter's station shift is the same statistic whichever lane's cell is asked.
    const perLane = (lane: string) =>
      get(`/api/lots/SHIFT/explain?statistic=station-shift&parameter=tx_avg_power&corner=room&lane=${lane}&station=${station}`, viewer);
    expect((await perLane('module')).json<Explanation>().result).toBe((await perLane('3')).json<Explanation>().result);
    // Other statistics still need the exact cell.
    const cpk = await get(`/api/lots/SHIFT/explain?statistic=cpk&parameter=module_power&corner=${module.corner}&lane=0`, viewer);
    expect(cpk.statusCode).toBe(404);
  });

  it("a station-shift reason's button names the module, not lane 0 (reasons of a per-module parameter have no lane)", () => {
    const button = reasonExplainButton('L1', {
      code: 'station-shift',
      severity: 'HOLD',
      message: 'ATE-2 reads module_power @ room 2.1 σ high',
      parameter: 'module_power',
      corner: 'room',
      lane: null,
      station: 'ATE-2',
    });
    expect(button && button.text).toContain('lane=module');
    expect(button && button.text).toContain('station=ATE-2');
  });

  it('the HTML fragment shows formula, inputs, df and references; the lot page offers it on its reasons', async () => {
    const res = await get(`/lots/SHIFT/explain?statistic=cpk&${CELL}`, viewer);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/Formula[\s\S]*Inputs[\s\S]*Degrees of freedom[\s\S]*Verified against/);
    const lot = await get('/lots/SHIFT', viewer);
    expect(lot.body).toContain('/assets/explain.js');
    // The decision panel points to the reasons instead of repeating them as one paragraph.
    const reasons = shift.proposal.reasons.length;
    expect(lot.body).toContain(`The acceptance policy&#39;s ${reasons} reasons are listed below, each with its chart.`);
    expect(lot.body.split(shift.proposal.reasons[0]!.message.replaceAll("'", '&#39;')).length - 1).toBe(1);
    const chart = await get(`/lots/SHIFT/chart?${CELL}`, viewer);
    for (const kind of ['lanes', 'histogram', 'stations', 'trend']) expect(chart.body).toContain(`/api/lots/SHIFT/charts/${kind}?`);
    expect(chart.body).toContain('statistic=control-limits');
    expect(chart.body).not.toMatch(/<script>(?!<\/script>)/); // external scripts only (CSP)
  });
});

describe('the lot page reads a stored summary, not the LotResult (time to interactive)', () => {
  it('the evaluation stored the page summary of its result, under the result hash', async () => {
    const e = (await store.latestEvaluation('SHIFT'))!;
    const stored = (await store.pageSummaries.get('SHIFT', e.revision))!;
    expect(stored.resultSha256).toBe(e.resultSha256);
    expect(stored.summary).toEqual(lotPageSummary(e.result));
    expect(stored.summary.charts.length).toBe(e.result.cells.filter((c) => c.chart).length);
    expect(stored.summary.failingCount).toBe(e.result.units.filter((u) => u.final !== 'pass').length);
    // Kilobytes, not the result's size.
    expect(JSON.stringify(stored.summary).length).toBeLessThan(JSON.stringify(e.result).length / 5);
  });

  it('a result evaluated before the summaries existed gets its summary on its first view, and the page is the same', async () => {
    const e = (await store.latestEvaluation('CLEAN'))!;
    const before = (await get('/lots/CLEAN', viewer)).body;
    await store.reads.db.deleteFrom('lot_page_summaries').where('lot', '=', 'CLEAN').execute();
    expect(await store.pageSummaries.get('CLEAN', e.revision)).toBeNull();
    const page = await get('/lots/CLEAN', viewer);
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(before);
    const again = (await store.pageSummaries.get('CLEAN', e.revision))!;
    expect(again.resultSha256).toBe(e.resultSha256);
    expect(again.summary).toEqual(lotPageSummary(e.result));
  });
});
