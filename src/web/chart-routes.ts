/**
 * @module The console's analysis-chart and "show the work" routes, registered by one call from
 * console-app.ts ({@link registerChartRoutes}):
 *   GET /api/lots/{lot}/charts/{kind}?parameter&corner&lane   lanes | histogram | stations | trend (JSON)
 *   GET /api/lots/{lot}/explain?statistic&parameter&corner&lane[&station]   an explanation (JSON)
 *   GET /lots/{lot}/explain?…   the same explanation as an HTML fragment for the page's dialog
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { AccountRole } from '../domain/e-signature.js';
import type { LaneNaming } from '../domain/lanes.js';
import type { CellResult } from '../domain/lot-result.js';
import type { LotResultPart } from '../queries/lot-result-part.js';
import { CellQuery, ChartKindParams, ExplainQuery, ExplanationResponse, AnalysisChartResponse } from './chart-api-schemas.js';
import { LotParams } from './api-schemas.js';
import { findCell } from './lot-views.js';
import { histogramChart, isChartKind, laneMeansChart, stationsChart, trendChart, CHART_KINDS } from './lot-charts.js';
import type { ApiRouteDoc } from './openapi.js';
import { explainStatistic, explanationHtml, NotExplainable, type Explanation } from './statistic-explanations.js';

export type ApiRegistrar = <P, Q, B>(
  doc: Omit<ApiRouteDoc, 'role'> & { role: AccountRole },
  handler: (request: FastifyRequest<{ Params: P; Querystring: Q; Body: B }>) => Promise<unknown>,
) => void;

export interface ChartRouteContext {
  readonly app: FastifyInstance;
  readonly api: ApiRegistrar;
  /**
   * What the charts of `parameter` × `corner` need of the lot's latest result (every lane's cell, the
   * lot-level pieces), its revision and product; throws a 404 error when the lot is not evaluated.
   */
  readonly evaluated: (
    lot: string,
    parameter: string,
    corner: string,
  ) => Promise<{ result: LotResultPart; revision: number; productId: string }>;
  readonly naming: (productId: string) => LaneNaming;
  /** An error the console answers with 404 and `message`. */
  readonly notFound: (message: string) => Error;
  readonly sendHtml: (reply: FastifyReply, text: string) => FastifyReply;
}

const laneOf = (lane: string): number | null => (lane === 'module' ? null : Number(lane));

export function registerChartRoutes(ctx: ChartRouteContext): void {
  const { api, notFound } = ctx;

  /** `anyLane`: a statistic of the parameter × corner as a whole (a station shift), so any of its cells will do. */
  async function cellOf(lot: string, q: Static<typeof CellQuery>, anyLane = false) {
    const e = await ctx.evaluated(lot, q.parameter, q.corner);
    const cell: CellResult | undefined =
      findCell(e.result, { parameter: q.parameter, corner: q.corner, lane: laneOf(q.lane) }) ??
      (anyLane ? e.result.cells.find((c) => c.key.parameter === q.parameter && c.key.corner === q.corner) : undefined);
    if (!cell) throw notFound(`lot ${lot} has no chart of ${q.parameter} @ ${q.corner}, lane ${q.lane}`);
    return { ...e, cell, naming: ctx.naming(e.productId) };
  }

  api<Static<typeof ChartKindParams>, Static<typeof CellQuery>, unknown>(
    {
      method: 'GET',
      url: '/api/lots/:lot/charts/:kind',
      summary: `An analysis chart of a parameter × corner (× lane) as compact JSON: ${CHART_KINDS.join(', ')} — lane means vs baseline, histogram with spec limits and capability, per-station means, batch-to-batch trend (EWMA/CUSUM)`,
      role: 'viewer',
      params: ChartKindParams,
      query: CellQuery,
      response: AnalysisChartResponse,
    },
    async (request) => {
      const kind = request.params.kind;
      if (!isChartKind(kind)) throw notFound(`no chart kind "${kind}" (${CHART_KINDS.join(', ')})`);
      const { result, revision, cell, naming } = await cellOf(request.params.lot, request.query);
      switch (kind) {
        case 'lanes':
          return laneMeansChart(result, revision, cell, naming);
        case 'histogram': {
          const h = histogramChart(result, revision, cell);
          if (!h) throw notFound(`${cell.name} has no histogram (no exact reading)`);
          return h;
        }
        case 'stations': {
          const s = stationsChart(result, revision, cell, naming);
          if (!s) throw notFound(`${cell.name} has no control chart, so no station comparison (too few exact readings)`);
          return s;
        }
        case 'trend': {
          const t = trendChart(result, revision, cell, naming);
          if ('none' in t) throw notFound(t.none);
          return t.chart;
        }
      }
    },
  );

  async function explanation(lot: string, q: Static<typeof ExplainQuery>): Promise<Explanation> {
    const { result, cell, naming } = await cellOf(lot, q, q.statistic === 'station-shift');
    try {
      return explainStatistic(q.statistic, { result, cell, naming, station: q.station });
    } catch (err) {
      if (err instanceof NotExplainable) throw notFound(err.message);
      throw err;
    }
  }

  api<Static<typeof LotParams>, Static<typeof ExplainQuery>, unknown>(
    {
      method: 'GET',
      url: '/api/lots/:lot/explain',
      summary: 'Show the work of a statistic: formula, inputs with their values, degrees of freedom, the reference it was verified against',
      role: 'viewer',
      params: LotParams,
      query: ExplainQuery,
      response: ExplanationResponse,
    },
    async (request) => explanation(request.params.lot, request.query),
  );

  ctx.app.get<{ Params: Static<typeof LotParams>; Querystring: Static<typeof ExplainQuery> }>(
    '/lots/:lot/explain',
    { config: { role: 'viewer' }, schema: { params: LotParams, querystring: ExplainQuery } },
    async (request, reply) => ctx.sendHtml(reply, explanationHtml(await explanation(request.params.lot, request.query)).text),
  );
}
