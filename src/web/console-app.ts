/**
 * @module `lotqa serve`: the quality engineer's console — one fastify app over the same store, read
 * model and stage functions as the CLI. {@link buildConsoleApp} makes the app (tests drive it with
 * `inject`); {@link startConsole} listens. Every page and API call needs a session or an API token;
 * see `web-security.ts` for the defences.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { AccountRole } from '../domain/e-signature.js';
import type { LaneNaming } from '../domain/lanes.js';
import { LotqaError } from '../errors/lotqa-error.js';
import { authenticate, createAccount, randomSecret, tokenSha256 } from '../pipeline/accounts.js';
import { issueReports, verifyCertificate, type IssueReportsOptions } from '../pipeline/report-stage.js';
import { decideWithSignature } from '../pipeline/signed-decision.js';
import { unitReadingsWithColumns } from '../pipeline/reading-columns.js';
import { findProfile } from '../domain/catalog.js';
import type { StationProfile } from '../domain/station-profile.js';
import { listLotOverviews, lotAuditTrail, lotOverview, searchAudit, type LotOverview } from '../queries/index.js';
import { writeLotResultJson } from '../report/lot-result-json.js';
import { writeUnitResultsCsv } from '../report/unit-results-csv.js';
import type { Store } from '../store/store.js';
import {
  AccountBody,
  AuditQuery,
  ChartQuery,
  ChartResponse,
  DecisionBody,
  DecisionResponse,
  ErrorResponse,
  LotDetailResponse,
  LotListQuery,
  LotParams,
  LotSummaryResponse,
  SessionResponse,
  ReviewNoteBody,
  UnitParams,
  VerifyResponse,
  WebhookBody,
} from './api-schemas.js';
import { escapeHtml } from './html.js';
import { attachmentsPanel, registerAttachmentRoutes, type ConsoleRouteKit } from './attachment-routes.js';
import { registerBaselineRoutes } from './baseline-routes.js';
import { chartData, ChartSourceCache, findCell, LotResultCache, lotPageSummaryOf, type CellRef } from './lot-views.js';
import { registerChartRoutes } from './chart-routes.js';
import { openApiDocument, type ApiRouteDoc } from './openapi.js';
import { mountQueueBoard, QUEUE_BOARD_PATH } from './queue-board.js';
import type { LotqaQueues } from '../queue/lotqa-queues.js';
import {
  auditPage,
  auditSearchPage,
  chartPage,
  errorPage,
  loginPage,
  lotListPage,
  lotPage,
  sortLots,
  unitPage,
  verifyPage,
} from './pages.js';
import {
  CSRF_HEADER,
  LOGIN_CSRF_COOKIE,
  LoginThrottle,
  SESSION_COOKIE,
  SessionStore,
  cookiesOf,
  hasRole,
  hostAllowed,
  isSignatureRefusal,
  originAllowed,
  sameSecret,
  securityHeaders,
  setCookie,
  type Principal,
} from './web-security.js';
import { counted } from '../domain/counted.js';
import { COUNTED_ASSET_JS } from './counted-asset.js';

export interface ConsoleOptions {
  /** host[:port] values the Host header may carry (DNS-rebinding defence). */
  readonly allowedHosts: readonly string[];
  /** Served over TLS: cookies get `Secure`, HSTS is sent. @defaultValue false */
  readonly tls?: boolean;
  /** Lane labels of a product (spec labels, else 1-based channel numbers). */
  readonly laneNaming?: (productId: string) => LaneNaming;
  /** Where and how certificates are issued after a signed decision; null: decisions only. */
  readonly reports?: Omit<IssueReportsOptions, 'revision'> | null;
  readonly throttle?: LoginThrottle;
  /** The acceptance policy of an id (the catalogs), for its two-person rule; absent: one signature decides. */
  readonly policyFor?: (policyId: string) => Pick<AcceptancePolicy, 'signOff'>;
  /** Read the results of held lots at start, so their first view is fast. @defaultValue true */
  readonly prewarm?: boolean;
  /** Key and certificate (PEM) to serve HTTPS. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer } | null;
  /** The station profile of an id (the catalogs), to name each reading's column; absent: the shipped profiles. */
  readonly profileFor?: (profileId: string) => StationProfile;
  /** Largest file attached to a lot's review. @defaultValue LOTQA_ATTACHMENT_MAX_MB, else 20 MB */
  readonly maxAttachmentBytes?: number;
  /** The configured policy: its two-person rule applies to baseline approvals. Absent: one signature approves. */
  readonly baselinePolicy?: Pick<AcceptancePolicy, 'signOff'> | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Least role the route needs; absent: public (login page, assets). */
    role?: AccountRole;
  }
}

class HttpError extends LotqaError {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const UPLOT_DIR = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
const ASSETS: Record<string, { file: string; type: string }> = {
  'console.css': { file: join(here, 'assets', 'console.css'), type: 'text/css; charset=utf-8' },
  'chart.js': { file: join(here, 'assets', 'chart.js'), type: 'text/javascript; charset=utf-8' },
  'lot.js': { file: join(here, 'assets', 'lot.js'), type: 'text/javascript; charset=utf-8' },
  'verify.js': { file: join(here, 'assets', 'verify.js'), type: 'text/javascript; charset=utf-8' },
  'attachments.js': { file: join(here, 'assets', 'attachments.js'), type: 'text/javascript; charset=utf-8' },
  'baselines.js': { file: join(here, 'assets', 'baselines.js'), type: 'text/javascript; charset=utf-8' },
  'analysis-charts.js': { file: join(here, 'assets', 'analysis-charts.js'), type: 'text/javascript; charset=utf-8' },
  'explain.js': { file: join(here, 'assets', 'explain.js'), type: 'text/javascript; charset=utf-8' },
  'uplot/uPlot.iife.min.js': { file: join(UPLOT_DIR, 'uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uplot/uPlot.min.css': { file: join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

const isApi = (url: string): boolean => url.startsWith('/api/');

function parseLane(lane: string): number | null {
  return lane === 'module' ? null : Number(lane);
}

function lotSummary(o: LotOverview): Static<typeof LotSummaryResponse> {
  return {
    lot: o.lot,
    productId: o.productId,
    units: o.units,
    state: o.state,
    revision: o.revision,
    proposal: o.proposal,
    decision: o.decision ? { disposition: o.decision.disposition, decidedBy: o.decision.decidedBy, decidedAt: o.decision.decidedAt } : null,
    firstPassYield: o.firstPassYield,
    finalYield: o.finalYield,
    ageHours: o.ageHours,
  };
}

function filterLots(lots: readonly LotOverview[], q: Static<typeof LotListQuery>): LotOverview[] {
  const needle = (q.q ?? '').trim().toLowerCase();
  return sortLots(
    lots.filter(
      (l) =>
        (!needle || l.lot.toLowerCase().includes(needle) || l.productId.toLowerCase().includes(needle)) &&
        (!q.state || l.state === q.state),
    ),
    q.sort || undefined,
  );
}

/** Largest certificate PDF `POST /api/verify` reads (a CoC is a few hundred kB). */
const MAX_CERTIFICATE_BYTES = 50_000_000;

/** Builds the console app (not listening). */
// Async so a future route may await its setup; today everything is registered synchronously.
// eslint-disable-next-line @typescript-eslint/require-await
export async function buildConsoleApp(store: Store, options: ConsoleOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1_000_000,
    trustProxy: false,
    ...(options.https ? { https: { key: options.https.key, cert: options.https.cert } } : {}),
  }) as unknown as FastifyInstance;
  const sessions = new SessionStore();
  const throttle = options.throttle ?? new LoginThrottle();
  const results = new LotResultCache();
  const chartSources = new ChartSourceCache();
  const allowed = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const tls = options.tls ?? Boolean(options.https);
  const naming = options.laneNaming ?? (() => ({}));
  const profileFor = options.profileFor ?? findProfile;
  const apiRoutes: ApiRouteDoc[] = [];

  app.decorateRequest('principal', null);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: MAX_CERTIFICATE_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  // 1. Every request: headers, the Host check, who is asking, and whether the route lets them in.
  app.addHook('onRequest', async (request, reply) => {
    securityHeaders(reply, tls, request.url.startsWith(QUEUE_BOARD_PATH));
    if (!hostAllowed(request, allowed)) throw new HttpError(421, `this console does not answer to host "${request.headers.host ?? ''}"`);
    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const account = await store.accounts.accountOfToken(tokenSha256(auth.slice(7).trim()));
      if (!account || !account.active) throw new HttpError(401, 'the API token is not valid');
      request.principal = { username: account.username, fullName: account.fullName, role: account.role, via: 'token', csrf: null };
    } else {
      request.principal = sessions.get(cookiesOf(request).get(SESSION_COOKIE));
    }
    // The queue board's routes are bull-board's own: the whole prefix is for admins.
    const needed =
      request.url === QUEUE_BOARD_PATH || request.url.startsWith(`${QUEUE_BOARD_PATH}/`) ? 'admin' : request.routeOptions.config.role;
    if (needed === undefined) return;
    if (!request.principal) {
      if (isApi(request.url)) throw new HttpError(401, 'log in first (or send an API token)');
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    if (!hasRole(request.principal, needed))
      throw new HttpError(403, `this needs the ${needed} role; ${request.principal.username} is ${request.principal.role}`);
  });

  // 2. State-changing requests made with a cookie: same origin and the session's CSRF token.
  app.addHook('preHandler', (request, _reply, done) => {
    try {
      checkStateChange(request);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
  function checkStateChange(request: FastifyRequest): void {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const p = request.principal;
    if (request.url.startsWith('/login')) return; // the login form has its own double-submit token
    if (p?.via === 'token') return;
    if (!originAllowed(request, allowed))
      throw new HttpError(403, 'refused: the request does not come from a page of this console (Origin/Referer)');
    const body = request.body as Record<string, unknown> | undefined;
    const sent = request.headers[CSRF_HEADER] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
    if (!p || !sameSecret(typeof sent === 'string' ? sent : undefined, p.csrf))
      throw new HttpError(403, 'refused: missing or wrong CSRF token');
  }

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; hint?: string }, request, reply) => {
    const status =
      err instanceof HttpError ? err.statusCode : err.validation ? 400 : err instanceof LotqaError ? 422 : (err.statusCode ?? 500);
    const message = status >= 500 && !(err instanceof LotqaError) ? 'internal error (see the server log)' : err.message;
    if (status >= 500) request.log.error(err);
    if (isApi(request.url) || request.headers.accept?.includes('application/json')) {
      const body: Static<typeof ErrorResponse> = { statusCode: status, error: status < 500 ? 'Bad Request' : 'Error', message };
      if (err instanceof LotqaError && err.hint) body.hint = err.hint;
      return reply.code(status).type('application/json').send(body);
    }
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(errorPage(request.principal, status, message));
  });
  app.setNotFoundHandler((request, reply) => {
    securityHeaders(reply, tls);
    if (isApi(request.url))
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url}` });
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(errorPage(request.principal, 404, 'no such page'));
  });

  const sendHtml = (reply: FastifyReply, text: string) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(text);

  // ---------------------------------------------------------------- assets and login (public)
  app.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    if (request.params['*'] === 'counted.js')
      return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(COUNTED_ASSET_JS);
    const asset = ASSETS[request.params['*']];
    if (!asset || !existsSync(asset.file)) throw new HttpError(404, 'no such asset');
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(readFileSync(asset.file));
  });

  // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());

  const loginForm = (reply: FastifyReply, message: string | null, next: string, status = 200) => {
    const csrf = sessions.create({ username: '', fullName: '', role: 'viewer' }).csrf; // a random value only
    setCookie(reply, LOGIN_CSRF_COOKIE, csrf, { secure: tls });
    return sendHtml(reply.code(status), loginPage(csrf, message, next));
  };
  const safeNext = (next: unknown): string => (typeof next === 'string' && /^\/(?!\/)[^\\]*$/.test(next) ? next : '/');

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => loginForm(reply, null, safeNext(request.query.next)));
  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const next = safeNext(body.next);
    if (!originAllowed(request, allowed) || !sameSecret(text(body._csrf), cookiesOf(request).get(LOGIN_CSRF_COOKIE)))
      throw new HttpError(403, 'refused: the login form did not come from this console (CSRF)');
    const username = text(body.username).trim();
    const password = text(body.password);
    const key = `${request.ip}\u0000${username}`;
    const wait = throttle.retryAfter(key);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return loginForm(reply, `Too many failed logins: try again in ${counted(Math.ceil(wait / 60), 'minute')}.`, next, 429);
    }
    const account = username && password ? await authenticate(store, username, password) : null;
    if (!account) {
      throttle.fail(key);
      return loginForm(reply, 'Wrong account or password.', next, 401);
    }
    throttle.succeed(key);
    const s = sessions.create(account);
    setCookie(reply, SESSION_COOKIE, s.id, { secure: tls });
    setCookie(reply, LOGIN_CSRF_COOKIE, '', { secure: tls, maxAgeSeconds: 0 });
    return reply.redirect(next, 303);
  });
  app.post('/logout', { config: { role: 'viewer' } }, async (request, reply) => {
    sessions.destroy(cookiesOf(request).get(SESSION_COOKIE));
    setCookie(reply, SESSION_COOKIE, '', { secure: tls, maxAgeSeconds: 0 });
    return reply.redirect('/login', 303);
  });

  // ---------------------------------------------------------------- shared loaders
  async function overviewOf(lot: string): Promise<LotOverview> {
    const o = await lotOverview(store, lot);
    if (!o) throw new HttpError(404, `unknown lot '${lot}'`);
    return o;
  }
  async function resultOf(o: LotOverview) {
    if (o.revision === null) return null;
    return results.get(store, o.lot, o.revision);
  }
  async function chartOf(lot: string, q: Static<typeof ChartQuery>) {
    const o = await overviewOf(lot);
    // The chart's cells and the lot's units only, not the whole result (time to interactive).
    const r = await chartSources.get(store, o, q.parameter, q.corner, results);
    if (!r) throw new HttpError(404, `lot ${lot} is not evaluated yet: it has no charts`);
    const ref: CellRef = { parameter: q.parameter, corner: q.corner, lane: parseLane(q.lane) };
    const cell = findCell(r, ref);
    if (!cell) throw new HttpError(404, `lot ${lot} has no chart of ${ref.parameter} @ ${ref.corner}, lane ${q.lane}`);
    const data = chartData(r, o.revision!, cell, naming(o.productId));
    if (!data) throw new HttpError(404, `${cell.name} has no control chart (too few exact readings)`);
    return data;
  }
  async function decide(request: FastifyRequest, lot: string, body: Static<typeof DecisionBody>): Promise<Static<typeof DecisionResponse>> {
    const p = request.principal!;
    await overviewOf(lot);
    const outcome = await decideWithSignature(store, {
      lot,
      disposition: body.disposition,
      reason: body.reason,
      deviation: body.deviation,
      signer: p.username,
      password: body.password,
      method: 'password-reentered-console',
      ...(options.policyFor ? { policyFor: options.policyFor } : {}),
    }).catch((err: unknown) => {
      if (isSignatureRefusal(err)) throw new HttpError(403, err.message);
      throw err;
    });
    if (outcome.status === 'awaiting-second-signature') {
      const q = outcome.proposal;
      return {
        status: outcome.status,
        lot: q.lot,
        revision: q.revision,
        disposition: q.disposition,
        decidedBy: null,
        decidedAt: null,
        reason: q.deviation ? `${q.reason} [deviation: ${q.deviation}]` : q.reason,
        resultSha256: null,
        signatures: [q.signature],
        certificate: null,
      };
    }
    const d = outcome.decision;
    let certificate: Static<typeof DecisionResponse>['certificate'] = null;
    if (options.reports) {
      try {
        const issued = await issueReports(store, lot, { ...options.reports, revision: d.revision });
        certificate = {
          issued: issued.certificateRecorded,
          documentId: issued.certificateRecorded ? ((await store.listCertificates(lot)).at(-1)?.documentId ?? null) : null,
          message: issued.certificateRecorded ? 'certificate issued' : 'reports written; no certificate recorded',
        };
      } catch (err) {
        certificate = { issued: false, documentId: null, message: err instanceof Error ? err.message : String(err) };
      }
    }
    return {
      status: outcome.status,
      lot: d.lot,
      revision: d.revision,
      disposition: d.disposition,
      decidedBy: d.decidedBy,
      decidedAt: d.decidedAt,
      reason: d.reason,
      resultSha256: d.resultSha256,
      signatures: [...(d.signatures ?? [])],
      certificate,
    };
  }

  // ---------------------------------------------------------------- pages
  app.get<{ Querystring: Static<typeof LotListQuery> }>(
    '/',
    { config: { role: 'viewer' }, schema: { querystring: LotListQuery } },
    async (request, reply) =>
      sendHtml(reply, lotListPage(request.principal!, filterLots(await listLotOverviews(store), request.query), request.query)),
  );
  app.get<{ Params: Static<typeof LotParams> }>(
    '/lots/:lot',
    { config: { role: 'viewer' }, schema: { params: LotParams } },
    async (request, reply) => {
      const o = await overviewOf(request.params.lot);
      // The page's few kilobytes of summary, not the lot's megabytes of result (time to interactive).
      const r = await lotPageSummaryOf(store, o, results);
      const decisions = await store.listDecisions(o.lot);
      const certificates = await store.listCertificates(o.lot);
      const proposal = o.revision !== null && o.state === 'on-hold' ? await store.proposals.latestProposal(o.lot, o.revision) : null;
      const review = await store.proposals.reviewNotes(o.lot);
      const attachments = await store.attachments.listAttachments(o.lot);
      return sendHtml(
        reply,
        lotPage(request.principal!, {
          overview: o,
          result: r,
          resultSha256: o.resultSha256,
          decisions,
          certificates,
          proposal,
          review,
          canReview: hasRole(request.principal, 'engineer'),
          naming: naming(o.productId),
          canSign: hasRole(request.principal, 'approver'),
          attachments: attachmentsPanel(o.lot, attachments, request.principal!, hasRole(request.principal, 'engineer')),
        }),
      );
    },
  );
  app.get<{ Params: Static<typeof LotParams>; Querystring: Static<typeof ChartQuery> }>(
    '/lots/:lot/chart',
    { config: { role: 'viewer' }, schema: { params: LotParams, querystring: ChartQuery } },
    async (request, reply) => {
      const d = await chartOf(request.params.lot, request.query);
      const q = new URLSearchParams({ parameter: d.parameter, corner: d.corner, lane: request.query.lane }).toString();
      const title = `${d.name} — I-MR, ${d.lane === null ? 'module' : `lane ${d.laneName}`}`;
      return sendHtml(reply, chartPage(request.principal!, d.lot, title, `/api/lots/${encodeURIComponent(d.lot)}/chart?${q}`));
    },
  );
  app.get<{ Params: Static<typeof UnitParams> }>(
    '/lots/:lot/units/:serial',
    { config: { role: 'viewer' }, schema: { params: UnitParams } },
    async (request, reply) => {
      const u = await unitReadingsWithColumns(store, request.params.lot, request.params.serial, profileFor);
      if (!u) throw new HttpError(404, `lot ${request.params.lot} has no unit ${request.params.serial}`);
      return sendHtml(reply, unitPage(request.principal!, u, naming(u.productId)));
    },
  );
  app.get<{ Params: Static<typeof LotParams>; Querystring: Static<typeof AuditQuery> }>(
    '/lots/:lot/audit',
    { config: { role: 'viewer' }, schema: { params: LotParams, querystring: AuditQuery } },
    async (request, reply) => {
      const trail = await lotAuditTrail(store, request.params.lot);
      if (!trail) throw new HttpError(404, `unknown lot '${request.params.lot}'`);
      return sendHtml(reply, auditPage(request.principal!, trail, request.query.q));
    },
  );
  app.get<{ Params: { lot: string; '*': string } }>('/lots/:lot/documents/*', { config: { role: 'viewer' } }, async (request, reply) => {
    const o = await overviewOf(request.params.lot);
    const what = request.params['*'];
    const attach = (name: string) => `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
    if (what === 'lot-result.json' || what === 'units.csv') {
      const r = await resultOf(o);
      if (!r) throw new HttpError(404, `lot ${o.lot} is not evaluated yet`);
      const csv = what === 'units.csv';
      return reply
        .type(csv ? 'text/csv; charset=utf-8' : 'application/json')
        .header('content-disposition', attach(`${o.lot}-r${o.revision}-${what}`))
        .send(csv ? writeUnitResultsCsv(r.result) : writeLotResultJson(r.result));
    }
    if (what.startsWith('certificate/')) {
      const id = decodeURIComponent(what.slice('certificate/'.length));
      const cert = (await store.listCertificates(o.lot)).find((c) => c.documentId === id);
      if (!cert) throw new HttpError(404, `lot ${o.lot} has no certificate ${id}`);
      const path = resolve(cert.path);
      if (!existsSync(path)) throw new HttpError(404, `certificate ${id} was issued, but its file ${cert.path} is not on this machine`);
      return reply
        .type('application/pdf')
        .header('content-disposition', attach(`${id}.pdf`))
        .send(readFileSync(path));
    }
    throw new HttpError(404, `no document "${what}" (lot-result.json, units.csv, certificate/<number>)`);
  });

  // ---------------------------------------------------------------- API
  function api<P, Q, B>(
    doc: Omit<ApiRouteDoc, 'role'> & { role: AccountRole },
    handler: (request: FastifyRequest<{ Params: P; Querystring: Q; Body: B }>) => Promise<unknown>,
  ): void {
    apiRoutes.push(doc);
    app.route<{ Params: P; Querystring: Q; Body: B }>({
      method: doc.method,
      url: doc.url,
      config: { role: doc.role },
      schema: {
        ...(doc.params ? { params: doc.params } : {}),
        ...(doc.query ? { querystring: doc.query } : {}),
        ...(doc.body ? { body: doc.body } : {}),
      },
      handler: async (request, reply) => reply.header('cache-control', 'no-store').send(await handler(request)),
    });
  }

  api<unknown, unknown, unknown>(
    {
      method: 'GET',
      url: '/api/session',
      summary: 'Who is asking, and the CSRF token of the session',
      role: 'viewer',
      response: SessionResponse,
    },
    (request) => {
      const p = request.principal!;
      return Promise.resolve({ username: p.username, fullName: p.fullName, role: p.role, csrf: p.csrf });
    },
  );
  api<unknown, Static<typeof LotListQuery>, unknown>(
    { method: 'GET', url: '/api/lots', summary: 'Lots with their state, held and rejected first', role: 'viewer', query: LotListQuery },
    async (request) => filterLots(await listLotOverviews(store), request.query).map(lotSummary),
  );
  api<Static<typeof LotParams>, unknown, unknown>(
    {
      method: 'GET',
      url: '/api/lots/:lot',
      summary: "A lot: state, the policy's reasons, yields, its charts",
      role: 'viewer',
      params: LotParams,
      response: LotDetailResponse,
    },
    async (request) => {
      const o = await overviewOf(request.params.lot);
      const r = await lotPageSummaryOf(store, o, results);
      return {
        overview: lotSummary(o),
        reasons: r?.proposal.reasons ?? [],
        yields: r ? { firstPass: r.yields.firstPass, final: r.yields.final } : null,
        charts: (r?.charts ?? []).map((c) => ({ ...c.key, signals: c.signals })),
      };
    },
  );
  api<Static<typeof LotParams>, Static<typeof ChartQuery>, unknown>(
    {
      method: 'GET',
      url: '/api/lots/:lot/chart',
      summary: 'One I-MR chart as compact columnar JSON',
      role: 'viewer',
      params: LotParams,
      query: ChartQuery,
      response: ChartResponse,
    },
    async (request) => chartOf(request.params.lot, request.query),
  );
  api<Static<typeof UnitParams>, unknown, unknown>(
    {
      method: 'GET',
      url: '/api/lots/:lot/units/:serial',
      summary: 'Every reading of every attempt of a unit, with its source file, line and column',
      role: 'viewer',
      params: UnitParams,
    },
    async (request) => {
      const u = await unitReadingsWithColumns(store, request.params.lot, request.params.serial, profileFor);
      if (!u) throw new HttpError(404, `lot ${request.params.lot} has no unit ${request.params.serial}`);
      return u;
    },
  );
  api<Static<typeof LotParams>, unknown, unknown>(
    {
      method: 'GET',
      url: '/api/lots/:lot/audit',
      summary: "The lot's audit trail: files, revisions, decisions, certificates, events",
      role: 'viewer',
      params: LotParams,
    },
    async (request) => {
      const t = await lotAuditTrail(store, request.params.lot);
      if (!t) throw new HttpError(404, `unknown lot '${request.params.lot}'`);
      return t;
    },
  );
  api<Static<typeof LotParams>, unknown, Static<typeof DecisionBody>>(
    {
      method: 'POST',
      url: '/api/lots/:lot/decisions',
      summary: 'Decide a held lot with the electronic signature of the caller (password re-entered)',
      role: 'approver',
      params: LotParams,
      body: DecisionBody,
      response: DecisionResponse,
    },
    async (request) => decide(request, request.params.lot, request.body),
  );
  api<unknown, unknown, Static<typeof AccountBody>>(
    { method: 'POST', url: '/api/accounts', summary: 'Create an account', role: 'admin', body: AccountBody },
    async (request) => {
      const a = await createAccount(store, { ...request.body, by: request.principal!.username });
      return { username: a.username, fullName: a.fullName, role: a.role };
    },
  );
  // The lots an engineer opens first are the held ones: make sure their page summaries exist now (results
  // stored before migration 0010 have none; making one reads the ~50 MB result once). Errors: the page's.
  if (options.prewarm !== false)
    void listLotOverviews(store)
      .then((lots) => lots.filter((l) => l.state === 'on-hold' && l.revision !== null).slice(0, results.size))
      .then((held) => Promise.all(held.map((l) => lotPageSummaryOf(store, l, results).catch(() => null))))
      .catch(() => undefined);
  api<Static<typeof LotParams>, unknown, Static<typeof ReviewNoteBody>>(
    {
      method: 'POST',
      url: '/api/lots/:lot/review',
      summary: "Add to a lot's review: assign its owner, comment, or link an 8D/NCR reference (append-only, in the audit trail)",
      role: 'engineer',
      params: LotParams,
      body: ReviewNoteBody,
    },
    async (request) => {
      const o = await overviewOf(request.params.lot);
      const text = request.body.text.trim();
      if (!text) throw new HttpError(400, 'body/text must not be blank');
      if (request.body.kind === 'owner' && !(await store.accounts.getAccount(text)))
        throw new HttpError(400, `owner "${text}" is not an account of this console`);
      const note = await store.proposals.addReviewNote({ lot: o.lot, kind: request.body.kind, text, author: request.principal!.username });
      await store.appendAudit({
        lot: o.lot,
        kind: 'review-note',
        actor: note.author,
        at: note.at,
        payload: { kind: note.kind, text: note.text },
      });
      return note;
    },
  );
  api<unknown, unknown, Static<typeof WebhookBody>>(
    {
      method: 'POST',
      url: '/api/webhooks',
      summary: 'Subscribe a URL to lot events; the HMAC secret is returned once',
      role: 'admin',
      body: WebhookBody,
    },
    async (request) => {
      const secret = randomSecret(32);
      const hook = await store.webhooks.addWebhook({
        url: request.body.url,
        secret,
        events: request.body.events,
        createdBy: request.principal!.username,
      });
      return { id: hook.id, url: hook.url, events: hook.events, secret };
    },
  );
  api<unknown, unknown, unknown>(
    { method: 'GET', url: '/api/webhooks', summary: 'Webhooks (without their secrets) and the delivery log, newest first', role: 'admin' },
    async () => ({
      webhooks: (await store.webhooks.listWebhooks()).map(({ secret: _secret, ...h }) => h),
      deliveries: await store.webhooks.deliveries(),
    }),
  );
  api<unknown, unknown, Buffer>(
    {
      method: 'POST',
      url: '/api/verify',
      summary:
        'Is this PDF an issued, unaltered certificate of this store? (body: the PDF, content-type application/pdf; the same check as `lotqa verify`)',
      role: 'viewer',
      upload: { mediaType: 'application/pdf', maxBytes: MAX_CERTIFICATE_BYTES, description: 'The certificate PDF to verify' },
      response: VerifyResponse,
    },
    async (request) => verifyUpload(request.body),
  );
  async function verifyUpload(body: unknown): Promise<Static<typeof VerifyResponse>> {
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new HttpError(400, 'send the certificate PDF as the body (content-type application/pdf)');
    if (body.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new HttpError(400, 'the upload is not a PDF (it does not start with %PDF-)');
    try {
      // The same check as `lotqa verify`: the file's SHA-256 against the issued records, then the
      // certificate re-derived from the stored result and the recorded issue.
      const outcome = await verifyCertificate(store, body);
      return {
        verdict: outcome.verdict,
        lot: outcome.lot,
        revision: outcome.revision,
        pdfSha256: outcome.pdfSha256,
        certificateNumber: outcome.certificateNumber,
        certificateRevision: outcome.certificateRevision,
        dataUnchanged: outcome.dataUnchanged,
        differences: outcome.differences.map((d) => ({ field: d.field, certificate: String(d.certificate), store: String(d.store) })),
        findings: [...outcome.findings],
        evaluatedBy: outcome.evaluatedBy,
        message: null,
      };
    } catch (err) {
      if (!(err instanceof LotqaError)) throw err;
      return {
        verdict: 'not-verifiable',
        lot: null,
        revision: null,
        pdfSha256: createHash('sha256').update(body).digest('hex'),
        certificateNumber: null,
        certificateRevision: null,
        dataUnchanged: null,
        differences: [],
        findings: [],
        evaluatedBy: null,
        message: err.message,
      };
    }
  }
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/audit',
    { config: { role: 'viewer' }, schema: { querystring: AuditQuery } },
    async (request, reply) =>
      sendHtml(reply, auditSearchPage(request.principal!, await searchAudit(store, { q: request.query.q ?? '' }), request.query.q)),
  );
  api<unknown, Static<typeof AuditQuery>, unknown>(
    {
      method: 'GET',
      url: '/api/audit',
      summary: "Every lot's audit events containing all the words of q, newest first (200 at most)",
      role: 'viewer',
      query: AuditQuery,
    },
    async (request) => searchAudit(store, { q: request.query.q ?? '' }),
  );
  app.get('/verify', { config: { role: 'viewer' } }, async (request, reply) => sendHtml(reply, verifyPage(request.principal!)));

  // Attachments of a lot's review, and baselines approved with a signature (their own modules).
  const kit: ConsoleRouteKit = {
    app,
    store,
    api,
    document: (doc) => apiRoutes.push(doc),
    httpError: (status, message) => new HttpError(status, message),
    overviewOf,
    sendHtml,
  };
  registerAttachmentRoutes(kit, { maxBytes: options.maxAttachmentBytes });
  registerBaselineRoutes(kit, { policy: options.baselinePolicy ?? null, laneNaming: naming });

  registerChartRoutes({
    app,
    api,
    naming,
    sendHtml,
    notFound: (message) => new HttpError(404, message),
    evaluated: async (lot, parameter, corner) => {
      const o = await overviewOf(lot);
      const r = await chartSources.get(store, o, parameter, corner, results);
      if (!r) throw new HttpError(404, `lot ${lot} is not evaluated yet: it has no charts`);
      return { result: r, revision: o.revision!, productId: o.productId };
    },
  });
  const docs = openApiDocument(apiRoutes);
  app.get('/api/docs', { config: { role: 'viewer' } }, async (_request, reply) => reply.header('cache-control', 'no-store').send(docs));
  return app;
}

export interface StartedConsole {
  readonly app: FastifyInstance;
  readonly url: string;
}

/** Listens; `https` (key and certificate PEM) serves TLS. */
export async function startConsole(
  store: Store,
  listen: { host: string; port: number; https?: { key: Buffer; cert: Buffer } | null },
  options: Omit<ConsoleOptions, 'allowedHosts' | 'tls'> & {
    publicHosts?: readonly string[];
    /** The queues to show on the admin-only dashboard at /queues; absent: no dashboard. */
    queues?: LotqaQueues | null;
  },
): Promise<StartedConsole> {
  const hosts = new Set<string>([
    `${listen.host}:${listen.port}`,
    `localhost:${listen.port}`,
    `127.0.0.1:${listen.port}`,
    `[::1]:${listen.port}`,
  ]);
  for (const h of options.publicHosts ?? []) hosts.add(h.toLowerCase());
  const app = await buildConsoleApp(store, { ...options, allowedHosts: [...hosts], https: listen.https ?? null });
  if (options.queues) await mountQueueBoard(app, options.queues);
  await app.listen({ host: listen.host, port: listen.port });
  return {
    app,
    url: `${listen.https ? 'https' : 'http'}://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}/`,
  };
}

export { escapeHtml };
