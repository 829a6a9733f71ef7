/**
 * @module The analysis sections under a chart page's I-MR chart: lane means vs baseline, histogram with
 * spec limits and capability, per-station comparison, batch-to-batch trend. Each is an empty host the
 * script `assets/analysis-charts.js` fills from `/api/lots/{lot}/charts/{kind}`; the "show the work"
 * buttons open `assets/explain.js`'s dialog (CSP: no inline script anywhere).
 */
import { COUNTED_SCRIPT } from './counted-asset.js';
import { html, seg, type SafeHtml } from './html.js';

export const ANALYSIS_SCRIPTS = [COUNTED_SCRIPT, '/assets/analysis-charts.js', '/assets/explain.js'] as const;

const SECTIONS = [
  {
    kind: 'lanes',
    title: 'Lane means vs baseline',
    legend: '● lot mean with its 95 % t interval · ◆ baseline mean with ±1 baseline unit σ (grey)',
  },
  { kind: 'histogram', title: 'Histogram, spec limits and capability', legend: 'red: LSL/USL · green: target · bars: the stored bins' },
  {
    kind: 'stations',
    title: 'Per-station comparison',
    legend: '● station mean with its 95 % t interval · red: a station named in a HOLD reason',
  },
  { kind: 'trend', title: 'Batch-to-batch trend', legend: "the product's lot means (± lot σ), EWMA with its limits, tabular CUSUM with h" },
] as const;

/**
 * The sections of the chart of `lot` whose I-MR data comes from `chartDataUrl` (`/api/lots/{lot}/chart?…`):
 * the same parameter, corner and lane select the analysis charts and explanations.
 */
export function analysisSections(lot: string, chartDataUrl: string): SafeHtml {
  const q = chartDataUrl.includes('?') ? chartDataUrl.slice(chartDataUrl.indexOf('?') + 1) : '';
  const explain = (statistic: string) => `/lots/${seg(lot)}/explain?statistic=${statistic}&${q}`;
  return html`<p class="explain-row">
      Control limits: <button type="button" class="explain" data-explain="${explain('control-limits')}">show the work</button>
    </p>
    ${SECTIONS.map(
      (s) =>
        html`<section class="panel analysis" id="analysis-${s.kind}">
          <h2>${s.title}</h2>
          <div
            class="analysis-chart"
            data-kind="${s.kind}"
            data-src="/api/lots/${seg(lot)}/charts/${s.kind}?${q}"
            data-explain-base="/lots/${seg(lot)}/explain?${q}"
          ></div>
          <p class="legend">${s.legend}</p>
        </section>`,
    )}`;
}
