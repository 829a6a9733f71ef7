/**
 * The console's HTTP surface driven in-process (`inject`): every API route authorised, unauthorised,
 * with the wrong role and with bad input; the defences (Host, Origin, CSRF, rate limit, headers,
 * cookies); the pages; and a signed acceptance with a deviation through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { createAccount, issueApiToken } from '../../src/pipeline/accounts.js';
import { openStore, type Store } from '../../src/store/index.js';
import { buildConsoleApp } from '../../src/web/console-app.js';
import { LoginThrottle } from '../../src/web/web-security.js';
import { buildConsoleFixture } from './support/console-fixture.js';
import { consoleClient, cookieOf, HOST, ORIGIN, type Problem, type Session } from './support/console-session.js';

let dir: string;
let store: Store;
let app: FastifyInstance;
const { login, get, post } = consoleClient(() => app);

/** The JSON bodies the tests read, as far as they read them. */
interface LotJson {
  reasons: { code: string; parameter: string; corner: string; lane: number }[];
}
interface ChartJson {
  laneName: string;
  y: number[];
  serial: string[];
  station: number[];
  stations: string[];
  attempt: number[];
  lcl: number;
  ucl: number;
}
interface UnitJson {
  serial: string;
  attempts: { file: { name: string }; readings: { line: number }[] }[];
}
interface OpenApiJson {
  openapi: string;
  paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { required: string[] } }> } } }>;
}
let admin: Session;
let viewer: Session;
let engineer: Session;
let approver: Session;
let token: string;
let certificatePdf: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-console-'));
  store = openStore({ sqlitePath: join(dir, 'console.sqlite') });
  await store.migrate();
  expect(await buildConsoleFixture(store, join(dir, 'data'), 40, [{ lot: 'HELD2', units: 40, shift: 3 }])).toEqual({
    CLEAN: 'ACCEPT',
    SHIFT: 'HOLD',
    HELD2: 'HOLD',
  });
  const people = [
    ['ada', 'Ada Admin', 'admin'],
    ['vic', 'Vic Viewer', 'viewer'],
    ['eve', 'Eve Engineer', 'engineer'],
    ['rita', 'Rita Approver', 'approver'],
  ] as const;
  for (const [username, fullName, role] of people)
    await createAccount(store, { username, fullName, role, password: `${username}-password`, by: 'test' });
  token = await issueApiToken(store, 'vic', 'MES reader');
  app = await buildConsoleApp(store, {
    allowedHosts: [HOST],
    throttle: new LoginThrottle(5, 60_000),
    reports: {
      outDir: join(dir, 'reports'),
      context: {
        company: { name: 'Console Test Photonics Ltd.', address: ['1 Test Way'] },
        customer: 'Acme',
        purchaseOrder: 'PO-1',
        showStations: false,
      },
      engineering: false,
    },
  });
  admin = await login('ada', 'ada-password');
  viewer = await login('vic', 'vic-password');
  engineer = await login('eve', 'eve-password');
  approver = await login('rita', 'rita-password');
}, 120_000);
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const CHART = '/api/lots/SHIFT/chart?parameter=tx_avg_power&corner=room&lane=2';
const GET_ROUTES = ['/api/session', '/api/lots', '/api/lots/SHIFT', CHART, '/api/lots/SHIFT/audit', '/api/audit?q=SHIFT', '/api/docs'];

describe('reading routes', () => {
  it.each(GET_ROUTES)('%s: 401 with a message without a session or token', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(401);
    expect(res.json<Problem>().message).toMatch(/log in first/);
  });

  it.each(GET_ROUTES)('%s: 200 for a viewer and for an API token', async (url) => {
    expect((await get(url, viewer)).statusCode).toBe(200);
    expect((await get(url, null, { authorization: `Bearer ${token}` })).statusCode).toBe(200);
  });

  it('refuses an unknown API token', async () => {
    const res = await get('/api/lots', null, { authorization: 'Bearer lqt_forged' });
    expect(res.statusCode).toBe(401);
    expect(res.json<Problem>().message).toMatch(/token is not valid/);
  });

  it('lists held lots first, filters by state, and rejects a state that does not exist', async () => {
    const lots = (await get('/api/lots', viewer)).json<{ lot: string; state: string }[]>();
    expect(lots.slice(0, 2).map((l) => l.state)).toEqual(['on-hold', 'on-hold']);
    expect(lots.slice(0, 2).map((l) => l.lot)).toContain('SHIFT');
    expect(lots.map((l) => l.lot)).toContain('CLEAN');
    expect((await get('/api/lots?state=accepted', viewer)).json<{ lot: string }[]>().every((l) => l.lot !== 'SHIFT')).toBe(true);
    const bad = await get('/api/lots?state=bogus', viewer);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().message).toMatch(/state/);
  });

  it("a lot's reasons each name a chart, and the chart has its points with serial, station, time and attempt", async () => {
    const lot = (await get('/api/lots/SHIFT', viewer)).json<LotJson>();
    const reason = lot.reasons.find((r) => r.code === 'lane-shift')!;
    expect(reason).toMatchObject({ parameter: 'tx_avg_power', lane: 2 });
    const chart = (
      await get(`/api/lots/SHIFT/chart?parameter=${reason.parameter}&corner=${reason.corner}&lane=${reason.lane}`, viewer)
    ).json<ChartJson>();
    expect(chart.laneName).toBe('3'); // lane index 2 is channel 3 for a person
    expect(chart.y.length).toBe(chart.serial.length);
    expect(chart.y.length).toBeGreaterThanOrEqual(38);
    expect(chart.stations[chart.station[0]!]).toEqual(expect.any(String));
    expect(chart.attempt.every((a: number) => a >= 1)).toBe(true);
    expect(chart.lcl).toBeLessThan(chart.ucl);
    // The chart is the LotResult's own: the same centre line the decision was made on.
    const unit = (await get(`/api/lots/SHIFT/units/${encodeURIComponent(chart.serial[0]!)}`, viewer)).json<UnitJson>();
    expect(unit.serial).toBe(chart.serial[0]);
    expect(unit.attempts.at(-1)!.readings.length).toBeGreaterThan(10);
    expect(unit.attempts[0]!.file.name).toMatch(/\.csv$/i);
    expect(unit.attempts[0]!.readings[0]!.line).toBeGreaterThan(0);
  });

  it('bad chart and unit requests are 4xx with a message', async () => {
    const lane = await get('/api/lots/SHIFT/chart?parameter=tx_avg_power&corner=room&lane=x', viewer);
    expect(lane.statusCode).toBe(400);
    expect(lane.json<Problem>().message).toMatch(/lane/);
    const missing = await get('/api/lots/SHIFT/chart?parameter=tx_avg_power&corner=room', viewer);
    expect(missing.statusCode).toBe(400);
    const cell = await get('/api/lots/SHIFT/chart?parameter=nope&corner=room&lane=0', viewer);
    expect(cell.statusCode).toBe(404);
    expect(cell.json<Problem>().message).toMatch(/no chart of nope/);
    expect((await get('/api/lots/NOPE', viewer)).json<Problem>().message).toMatch(/unknown lot 'NOPE'/);
    expect((await get('/api/lots/SHIFT/units/NOPE', viewer)).statusCode).toBe(404);
    expect((await get('/api/lots/NOPE/audit', viewer)).statusCode).toBe(404);
  });

  it('serves an OpenAPI 3.1 document naming every route', async () => {
    const doc = (await get('/api/docs', viewer)).json<OpenApiJson>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/lots',
        '/api/lots/{lot}',
        '/api/lots/{lot}/chart',
        '/api/lots/{lot}/units/{serial}',
        '/api/lots/{lot}/decisions',
      ]),
    );
    expect(doc.paths['/api/lots/{lot}/decisions']!.post.requestBody.content['application/json']!.schema.required).toEqual(
      expect.arrayContaining(['disposition', 'reason', 'password']),
    );
  });
});

describe('defences', () => {
  it('answers only to its own host name (DNS rebinding)', async () => {
    const res = await get('/api/lots', viewer, { host: 'evil.example:3300' });
    expect(res.statusCode).toBe(421);
  });

  it('sends security headers and httpOnly SameSite=Strict cookies', async () => {
    const res = await get('/', viewer);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const form = await app.inject({ method: 'GET', url: '/login', headers: { host: HOST } });
    expect(String(form.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('sends a page request without a session to the login page', async () => {
    const res = await get('/lots/SHIFT');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Flots%2FSHIFT');
  });

  it('refuses a POST without the CSRF token, from another origin, or with no origin at all', async () => {
    const body = { disposition: 'REJECT', reason: 'x', password: 'rita-password' };
    const noToken = await post('/api/lots/SHIFT/decisions', body, null, { cookie: approver.cookie });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json<Problem>().message).toMatch(/CSRF/);
    const foreign = await post('/api/lots/SHIFT/decisions', body, approver, { origin: 'http://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json<Problem>().message).toMatch(/Origin/);
    const none = await app.inject({
      method: 'POST',
      url: '/api/lots/SHIFT/decisions',
      headers: { host: HOST, cookie: approver.cookie, 'x-csrf-token': approver.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(none.statusCode).toBe(403);
    expect((await store.listDecisions('SHIFT')).map((d) => d.disposition)).toEqual(['HOLD']);
  });

  it('limits failed logins: the sixth try within the window is refused even with the right password', async () => {
    for (let i = 0; i < 5; i++) await expect(login('eve', 'wrong-password')).rejects.toThrow();
    const form = await app.inject({ method: 'GET', url: '/login', headers: { host: HOST } });
    const c = cookieOf(form, 'lotqa_login_csrf')!;
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { host: HOST, origin: ORIGIN, cookie: `lotqa_login_csrf=${c}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: c, username: 'eve', password: 'eve-password' }).toString(),
    });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('refuses a login form posted without its CSRF cookie', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { host: HOST, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=ada&password=ada-password&_csrf=guess',
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('deciding a held lot with an electronic signature', () => {
  const body = {
    disposition: 'ACCEPT',
    reason: 'in-spec shift on lane 3; process owner informed',
    deviation: 'DEV-2026-014',
    password: 'rita-password',
  };

  it('401 without a session, 403 for a viewer and an engineer (wrong role), 400 on bad input', async () => {
    expect((await post('/api/lots/SHIFT/decisions', body)).statusCode).toBe(401);
    for (const s of [viewer, engineer]) {
      const res = await post('/api/lots/SHIFT/decisions', body, s);
      expect(res.statusCode).toBe(403);
      expect(res.json<Problem>().message).toMatch(/needs the approver role/);
    }
    const noPassword = await post('/api/lots/SHIFT/decisions', { disposition: 'ACCEPT', reason: 'x' }, approver);
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.json<Problem>().message).toMatch(/password/);
    const hold = await post('/api/lots/SHIFT/decisions', { ...body, disposition: 'HOLD' }, approver);
    expect(hold.statusCode).toBe(400);
    expect((await post('/api/lots/NOPE/decisions', body, approver)).statusCode).toBe(404);
  });

  it('refuses a wrong password at signing and records nothing', async () => {
    const res = await post('/api/lots/SHIFT/decisions', { ...body, password: 'not-it' }, approver);
    expect(res.statusCode).toBe(403);
    expect(res.json<Problem>().message).toMatch(/signature refused: wrong password/);
    expect((await store.listDecisions('SHIFT')).map((d) => d.disposition)).toEqual(['HOLD']);
  });

  it('records the signed acceptance, shows it on the lot and in the audit trail, and never a second one', async () => {
    const res = await post('/api/lots/SHIFT/decisions', body, approver);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<{ signatures: unknown[]; certificate: { documentId: string } }>();
    expect(d).toMatchObject({ disposition: 'ACCEPT', decidedBy: 'rita' });
    expect(d.signatures).toEqual([
      expect.objectContaining({
        signer: 'rita',
        fullName: 'Rita Approver',
        meaning: 'acceptance-with-deviation',
        method: 'password-reentered-console',
      }),
    ]);
    const page = await get('/lots/SHIFT', viewer);
    expect(page.body).toContain('Signed: Rita Approver (rita, approver) — acceptance with deviation');
    const audit = await get('/lots/SHIFT/audit', viewer);
    expect(audit.body).toMatch(/r1 ACCEPT:\s+in-spec shift on lane 3; process owner informed \[deviation: DEV-2026-014\]/);
    expect(audit.body).toContain('Signed: Rita Approver');
    // The accepting signature issued the certificate, and the certificate names the signer.
    expect(d.certificate).toMatchObject({ issued: true, documentId: expect.any(String) as unknown });
    const pdf = await get(`/lots/SHIFT/documents/certificate/${encodeURIComponent(d.certificate.documentId)}`, viewer);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    certificatePdf = pdf.rawPayload;
    const again = await post('/api/lots/SHIFT/decisions', body, approver);
    expect(again.statusCode).toBe(422);
    expect(again.json<Problem>().message).toMatch(/already decided/);
  });

  it('lets an admin create an account through the API (token callers need no CSRF), not a viewer', async () => {
    const account = { username: 'nora', fullName: 'Nora New', role: 'viewer', password: 'nora-password' };
    expect((await post('/api/accounts', account, viewer)).statusCode).toBe(403);
    const adminToken = await issueApiToken(store, 'ada', 'provisioning');
    const res = await app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { host: HOST, authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify(account),
    });
    expect(res.statusCode, res.body).toBe(200);
    const short = await post('/api/accounts', { ...account, username: 'nina', password: 'short' }, admin);
    expect(short.statusCode).toBe(400);
    expect(short.json<Problem>().message).toMatch(/password/);
  });
});

describe("a held lot's review", () => {
  it('engineers assign an owner, comment and link an 8D; viewers cannot; bad input is 400', async () => {
    const add = (s: Session | null, body: unknown) => post('/api/lots/HELD2/review', body, s);
    expect((await add(null, { kind: 'comment', text: 'x' })).statusCode).toBe(401);
    expect((await add(viewer, { kind: 'comment', text: 'x' })).statusCode).toBe(403);
    expect((await add(engineer, { kind: 'owner', text: 'nobody-here' })).json<Problem>().message).toMatch(/not an account/);
    expect((await add(engineer, { kind: 'verdict', text: 'x' })).statusCode).toBe(400);
    expect((await add(engineer, { kind: 'comment', text: '   ' })).statusCode).toBe(400);
    for (const body of [
      { kind: 'owner', text: 'eve' },
      { kind: 'comment', text: 'lane 3 bias current drifts <b>up</b> after the laser lot change' },
      { kind: 'reference', text: '8D-2026-118' },
    ])
      expect((await add(engineer, body)).statusCode).toBe(200);
    const page = (await get('/lots/HELD2', viewer)).body;
    expect(page).toMatch(/Owner:\s*eve/);
    expect(page).toContain('8D-2026-118');
    expect(page).toContain('&lt;b&gt;up&lt;/b&gt;');
    expect(page).not.toContain('id="review-form"'); // a viewer reads the review, cannot add to it
    const audit = (await get('/api/lots/HELD2/audit', viewer)).json<{ events: { kind: string; actor: string }[] }>();
    expect(audit.events.filter((e) => e.kind === 'review-note').map((e) => e.actor)).toEqual(['eve', 'eve', 'eve']);
  });
});

describe("a policy's two-person rule", () => {
  it('the first approver proposes (shown on the lot), a second approver decides with both signatures', async () => {
    const policy = findPolicy('default');
    const twoPerson = await buildConsoleApp(store, {
      allowedHosts: [HOST],
      policyFor: () => ({ ...policy, signOff: { ...policy.signOff, twoPersonRule: true } }),
    });
    try {
      const via = async (username: string) => {
        const saved = app;
        app = twoPerson;
        try {
          return await login(username, `${username}-password`);
        } finally {
          app = saved;
        }
      };
      const rita = await via('rita');
      const body = { disposition: 'REJECT', reason: 'lane 3 drift, 8D-118', password: 'rita-password' };
      const send = (s: Session, b: unknown) =>
        twoPerson.inject({
          method: 'POST',
          url: '/api/lots/HELD2/decisions',
          headers: { host: HOST, origin: ORIGIN, 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
          payload: JSON.stringify(b),
        });
      const first = await send(rita, body);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({
        status: 'awaiting-second-signature',
        decidedBy: null,
        signatures: [{ signer: 'rita', meaning: 'rejection' }],
      });
      const page = await twoPerson.inject({ method: 'GET', url: '/lots/HELD2', headers: { host: HOST, cookie: rita.cookie } });
      expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
      expect(page.body).toContain('Awaiting a second signature');
      // Separation of duties: the same approver again is refused (403, naming the rule), and nothing is decided.
      const again = await send(rita, body);
      expect([again.statusCode, again.json<Problem>().message]).toEqual([
        403,
        expect.stringMatching(/^the two-person rule needs a second approver: rita already signed this REJECT proposal at /),
      ]);
      expect((await store.listDecisions('HELD2')).map((d) => d.disposition)).toEqual(['HOLD']);
      const ada = await via('ada');
      const second = await send(ada, { ...body, reason: 'agreed', password: 'ada-password' });
      expect(second.json()).toMatchObject({ status: 'decided', disposition: 'REJECT', decidedBy: 'rita, ada' });
      expect(second.json<{ signatures: { signer: string }[] }>().signatures.map((s) => s.signer)).toEqual(['rita', 'ada']);
    } finally {
      await twoPerson.close();
    }
  });
});

describe('verifying an uploaded certificate', () => {
  const upload = (pdf: Buffer, s: Session | null, type = 'application/pdf') =>
    app.inject({
      method: 'POST',
      url: '/api/verify',
      headers: { host: HOST, origin: ORIGIN, 'content-type': type, ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) },
      payload: pdf,
    });

  it('says an issued certificate is issued and unaltered', async () => {
    const res = await upload(certificatePdf, viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      verdict: 'valid',
      lot: 'SHIFT',
      revision: 1,
      dataUnchanged: true,
    });
    // Which lotqa evaluated the certified revision, as `lotqa verify` prints it.
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(res.json<{ evaluatedBy: unknown }>().evaluatedBy).toMatchObject({ version });
  });

  it('says a re-saved copy (one byte more) is not the issued file', async () => {
    const res = await upload(Buffer.concat([certificatePdf, Buffer.from('\n')]), viewer);
    expect(res.json<{ verdict: string }>().verdict).toBe('altered');
  });

  it('401 without a session, 400 for a file that is not a PDF, 403 without CSRF', async () => {
    expect((await upload(certificatePdf, null)).statusCode).toBe(401);
    const notPdf = await upload(Buffer.from('hello'), viewer);
    expect(notPdf.statusCode).toBe(400);
    expect(notPdf.json<Problem>().message).toMatch(/not a PDF/);
    const noCsrf = await upload(certificatePdf, { cookie: viewer.cookie, csrf: 'wrong' });
    expect(noCsrf.statusCode).toBe(403);
    const lotResult = await get('/lots/CLEAN/documents/lot-result.json', viewer);
    const other = await upload(Buffer.concat([Buffer.from('%PDF-1.7\n'), lotResult.rawPayload]), viewer);
    expect(other.json()).toMatchObject({ verdict: 'unknown', lot: null });
    expect(other.json<{ findings: unknown[] }>().findings.length).toBeGreaterThan(0);
  });
});

describe('pages', () => {
  it('the lot list puts the held lot first and escapes what it shows', async () => {
    const res = await get('/', viewer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body.indexOf('/lots/SHIFT')).toBeGreaterThan(0);
    const xss = await get('/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E', viewer);
    expect(xss.body).not.toContain('<script>alert(1)</script>');
    expect(xss.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('downloads the LotResult and the units CSV', async () => {
    const json = await get('/lots/CLEAN/documents/lot-result.json', viewer);
    expect(json.statusCode).toBe(200);
    expect(json.json<{ kind: string }>().kind).toBe('lotqa/lot-result');
    const csv = await get('/lots/CLEAN/documents/units.csv', viewer);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="CLEAN-r1-units.csv"/);
    expect((await get('/lots/CLEAN/documents/../../etc/passwd', viewer)).statusCode).toBe(404);
  });

  it('serves uPlot from node_modules and the chart page that loads it', async () => {
    expect((await get('/assets/uplot/uPlot.iife.min.js')).statusCode).toBe(200);
    const page = await get('/lots/SHIFT/chart?parameter=tx_avg_power&corner=room&lane=2', viewer);
    expect(page.body).toContain('/assets/uplot/uPlot.iife.min.js');
    expect(page.body).toContain('data-src="/api/lots/SHIFT/chart?parameter=tx_avg_power&amp;corner=room&amp;lane=2"');
  });
});
