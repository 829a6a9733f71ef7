/**
 * @module The console's pages, rendered on the server as plain HTML (fast to first paint, nothing to
 * hydrate): the lot list, a lot, a chart (drawn by `assets/chart.js` with uPlot from the API's JSON), a
 * unit, a lot's audit trail, and the login page. Everything from the data goes through {@link html}.
 */
import { signatureLine } from '../domain/e-signature.js';
import { laneName, lanePhrase, type LaneNaming } from '../domain/lanes.js';
import type { LotPageSummary } from '../domain/lot-page-summary.js';
import type { Reason, UnitFailure } from '../domain/lot-result.js';
import type { LotAuditTrail, LotOverview, UnitReadings } from '../queries/index.js';
import type { AuditEvent, ProposalRecord, ReviewNote, StoredDecision } from '../store/store.js';
import { html, query, seg, type SafeHtml } from './html.js';
import type { Principal } from './web-security.js';
import { analysisSections, ANALYSIS_SCRIPTS } from './chart-page-sections.js';
import { reasonExplainButton } from './statistic-explanations.js';
import { counted } from '../domain/counted.js';
import { COUNTED_SCRIPT } from './counted-asset.js';

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const num = (x: number | null | undefined, digits = 4): string =>
  x === null || x === undefined ? '—' : Number(x.toPrecision(digits)).toString();

export function page(title: string, principal: Principal | null, body: SafeHtml, scripts: readonly string[] = []): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — lotqa</title>
        <link rel="stylesheet" href="/assets/console.css" />
        ${scripts.some((s) => s.includes('uplot')) ? html`<link rel="stylesheet" href="/assets/uplot/uPlot.min.css" />` : ''}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">lotqa</a>
          <nav>
            <a href="/">Lots</a
            >${principal ? html` <a href="/baselines">Baselines</a> <a href="/audit">Audit</a> <a href="/verify">Verify a certificate</a> <a href="/api/docs">API</a>` : ''}
          </nav>
          ${
            principal
              ? html`<form class="who" method="post" action="/logout">
                  <span>${principal.fullName} (${principal.username}, ${principal.role})</span>
                  <input type="hidden" name="_csrf" value="${principal.csrf ?? ''}" /><button type="submit">Log out</button>
                </form>`
              : ''
          }
        </header>
        <main>${body}</main>
        ${scripts.map((s) => html`<script src="${s}"></script>`)}
      </body>
    </html>`.text;
}

export function loginPage(csrf: string, message: string | null, next: string): string {
  return page(
    'Log in',
    null,
    html`<section class="login">
      <h1>Log in</h1>
      ${message ? html`<p class="error" role="alert">${message}</p>` : ''}
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <input type="hidden" name="next" value="${next}" />
        <label>Account <input name="username" autocomplete="username" required autofocus /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        <button type="submit">Log in</button>
      </form>
    </section>`,
  );
}

const STATE_ORDER: Record<string, number> = { 'on-hold': 0, rejected: 1, changed: 2, complete: 3, evaluated: 4, open: 5, accepted: 6 };

/** Held and rejected lots first, then by the chosen column. */
export function sortLots(lots: readonly LotOverview[], sort: string | undefined): LotOverview[] {
  const by: Record<string, (a: LotOverview, b: LotOverview) => number> = {
    lot: (a, b) => a.lot.localeCompare(b.lot),
    age: (a, b) => a.ageHours - b.ageHours,
    units: (a, b) => b.units - a.units,
    yield: (a, b) => (a.finalYield ?? 2) - (b.finalYield ?? 2),
    product: (a, b) => a.productId.localeCompare(b.productId) || a.lot.localeCompare(b.lot),
  };
  const then = by[sort ?? 'lot'] ?? by.lot!;
  return [...lots].sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || then(a, b));
}

export function lotListPage(
  principal: Principal,
  lots: readonly LotOverview[],
  filter: { q?: string; state?: string; sort?: string },
): string {
  const states = ['on-hold', 'rejected', 'accepted', 'evaluated', 'complete', 'open', 'changed'];
  const th = (key: string, label: string) => html`<th><a href="/${query({ ...filter, sort: key })}">${label}</a></th>`;
  return page(
    'Lots',
    principal,
    html`<h1>Lots</h1>
      <form class="filters" method="get" action="/">
        <label>Lot or product <input name="q" value="${filter.q ?? ''}" /></label>
        <label
          >State
          <select name="state">
            <option value="">any</option>
            ${states.map((s) => html`<option value="${s}" ${filter.state === s ? html`selected` : ''}>${s}</option>`)}
          </select></label
        >
        <input type="hidden" name="sort" value="${filter.sort ?? ''}" />
        <button type="submit">Filter</button>
      </form>
      <table class="lots" id="lots">
        <thead>
          <tr>
            ${th('product', 'Product')}${th('lot', 'Lot')}${th('units', 'Units')}
            <th>Rev.</th>
            <th>State</th>
            <th>Decision</th>
            <th>First-pass yield</th>
            ${th('yield', 'Final yield')}${th('age', 'Age')}
          </tr>
        </thead>
        <tbody>
          ${lots.map(
            (l) =>
              html`<tr class="state-${l.state}">
                <td>${l.productId}</td>
                <td><a href="/lots/${seg(l.lot)}">${l.lot}</a></td>
                <td class="n">${l.units}</td>
                <td class="n">${l.revision ?? '—'}</td>
                <td><span class="badge ${l.state}">${l.state}</span></td>
                <td>${l.decision ? `${l.decision.disposition} (${l.decision.decidedBy})` : '—'}</td>
                <td class="n">${pct(l.firstPassYield)}</td>
                <td class="n">${pct(l.finalYield)}</td>
                <td class="n">${l.ageHours < 48 ? `${l.ageHours.toFixed(0)} h` : `${(l.ageHours / 24).toFixed(0)} d`}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${lots.length === 0 ? html`<p>No lot matches.</p>` : ''}`,
  );
}

export function chartHref(lot: string, r: { parameter: string; corner: string; lane: number | null }): string {
  return `/lots/${seg(lot)}/chart${query({ parameter: r.parameter, corner: r.corner, lane: r.lane === null ? 'module' : r.lane })}`;
}

function reasonItem(lot: string, r: Reason, naming: LaneNaming): SafeHtml {
  const cell =
    r.parameter !== undefined && r.corner !== undefined ? { parameter: r.parameter, corner: r.corner, lane: r.lane ?? null } : null;
  return html`<li class="reason ${r.severity}">
    <span class="badge ${r.severity}">${r.severity}</span> ${r.message}
    ${cell ? html` <a class="chart-link" href="${chartHref(lot, cell)}">chart: ${cell.parameter} @ ${cell.corner}, ${cell.lane === null ? 'module' : `lane ${laneName(naming, cell.lane)}`}</a>` : ''}${reasonExplainButton(lot, r)}
  </li>`;
}

/**
 * The decision in force. A policy decision's reason is its reasons joined in one paragraph; the page lists
 * them under Reasons (each with its chart), so it says how many rather than repeating the wall of text.
 */
/** A unit failure's side in words. */
const FAILURE_SIDE: Record<UnitFailure['side'], string> = {
  'below-lsl': 'below LSL',
  'above-usl': 'above USL',
  missing: 'reading missing',
  indeterminate: 'cannot be judged (censored at a limit, or a limit input missing)',
};

function decisionBlock(d: StoredDecision | null, reasonsBelow: number): SafeHtml {
  if (!d) return html`<p>Not decided yet.</p>`;
  const why =
    d.decidedKind === 'policy' && reasonsBelow > 0
      ? `The acceptance policy's ${reasonsBelow === 1 ? 'reason is' : `${reasonsBelow} reasons are`} listed below, each with its chart.`
      : d.reason;
  return html`<p class="decision">
      <span class="badge ${d.disposition}">${d.disposition}</span> by ${d.decidedBy} (${d.decidedKind}) at ${d.decidedAt}
    </p>
    <p class="why">${why}</p>
    ${(d.signatures ?? []).map((s) => html`<p class="signature">Signed: ${signatureLine(s)}</p>`)}`;
}

export interface LotPageModel {
  readonly overview: LotOverview;
  /** What the page shows of the result (src/domain/lot-page-summary.ts), not the result itself. */
  readonly result: LotPageSummary | null;
  readonly resultSha256: string | null;
  readonly decisions: readonly StoredDecision[];
  readonly certificates: readonly { documentId: string; issuedAt: string; revision: number }[];
  readonly naming: LaneNaming;
  readonly canSign: boolean;
  /** A signed proposal waiting for a second approver (two-person rule). */
  readonly proposal?: ProposalRecord | null;
  /** The lot's review: owner, comments, 8D/NCR references, oldest first. */
  readonly review?: readonly ReviewNote[];
  readonly canReview?: boolean;
  /** The attachments panel (attachment-routes.ts). */
  readonly attachments?: SafeHtml;
}

export function lotPage(principal: Principal, m: LotPageModel): string {
  const o = m.overview;
  const r = m.result;
  const lot = o.lot;
  const held = o.state === 'on-hold';
  const failing = r?.failingUnits ?? [];
  const failingCount = r?.failingCount ?? 0;
  return page(
    `Lot ${lot}`,
    principal,
    html`<h1>Lot ${lot} <span class="badge ${o.state}">${o.state}</span></h1>
      <p class="meta">
        ${o.productId} · ${o.units} units · ${o.runs} attempts · ${o.files} files · revision ${o.revision ?? '—'} · tested
        ${o.firstTestTime} … ${o.lastTestTime}
      </p>
      <section class="panel">
        <h2>Decision</h2>
        ${decisionBlock(o.decision, r?.proposal.reasons.length ?? 0)}
        ${r ? html`<p>Policy proposal: <span class="badge ${r.proposal.disposition}">${r.proposal.disposition}</span> (policy ${r.policy.id} ${r.policy.version}, spec ${r.product.specVersion}, baseline ${r.baseline ? `v${r.baseline.version}` : 'none'})</p>` : ''}
      </section>
      ${
        r
          ? html`<section class="panel">
                <h2>Reasons</h2>
                ${
                  r.proposal.reasons.length
                    ? html`<ul class="reasons" id="reasons">
                        ${r.proposal.reasons.map((x) => reasonItem(lot, x, m.naming))}
                      </ul>`
                    : html`<p>No reason to hold or reject.</p>`
                }
                ${
                  r.investigationCount
                    ? html`<details>
                        <summary>${r.investigationCount} investigations (do not hold on their own)</summary>
                        <ul class="reasons">
                          ${r.investigations.slice(0, 200).map((x) => reasonItem(lot, x, m.naming))}
                        </ul>
                      </details>`
                    : ''
                }
              </section>
              <section class="panel grid">
                <div>
                  <h2>Yields</h2>
                  <table>
                    <tr>
                      <th>First pass</th>
                      <td class="n">${pct(r.yields.firstPass)}</td>
                      <td class="n">${r.yields.firstPassPassed} / ${r.quantity.units}</td>
                    </tr>
                    <tr>
                      <th>Final</th>
                      <td class="n">${pct(r.yields.final)}</td>
                      <td class="n">${r.yields.finalPassed} / ${r.quantity.units}</td>
                    </tr>
                    <tr>
                      <th>Indeterminate</th>
                      <td class="n" colspan="2">${r.yields.indeterminate}</td>
                    </tr>
                  </table>
                  <h3>Sampling</h3>
                  <p>
                    ${r.sampling.description}: n = ${r.sampling.sampleSize}, Ac = ${r.sampling.acceptanceNumber ?? '—'},
                    ${r.sampling.nonconforming} nonconforming → ${r.sampling.verdict}
                  </p>
                </div>
                <div>
                  <h2>Pareto of failures</h2>
                  ${
                    r.pareto.length
                      ? html`<table>
                          <tr>
                            <th>Parameter</th>
                            <th>Corner</th>
                            <th>Lane</th>
                            <th>Units</th>
                          </tr>
                          ${r.pareto.slice(0, 15).map(
                            (p) =>
                              html`<tr>
                                <td><a href="${chartHref(lot, p)}">${p.parameter}</a></td>
                                <td>${p.corner}</td>
                                <td>${laneName(m.naming, p.lane)}</td>
                                <td class="n">${p.units}</td>
                              </tr>`,
                          )}
                        </table>`
                      : html`<p>No failing unit.</p>`
                  }
                </div>
                <div>
                  <h2>Stations</h2>
                  <table>
                    <tr>
                      <th>Station</th>
                      <th>Units</th>
                      <th>First pass</th>
                      <th>Final</th>
                    </tr>
                    ${r.stations.map(
                      (s) =>
                        html`<tr>
                          <td>${s.station}</td>
                          <td class="n">${s.units}</td>
                          <td class="n">${pct(s.firstPassYield)}</td>
                          <td class="n">${pct(s.finalYield)}</td>
                        </tr>`,
                    )}
                  </table>
                </div>
              </section>
              ${
                failingCount
                  ? html`<section class="panel">
                      <h2>Failing units (${failingCount})</h2>
                      <table>
                        <tr>
                          <th>Serial</th>
                          <th>Station</th>
                          <th>Attempts</th>
                          <th>First failure</th>
                        </tr>
                        ${failing.map(
                          (u) =>
                            html`<tr>
                              <td><a href="/lots/${seg(lot)}/units/${seg(u.serial)}">${u.serial}</a></td>
                              <td>${u.station}</td>
                              <td class="n">${u.attempts}</td>
                              <td>
                                ${u.firstFailure ? `${u.firstFailure.parameter} @ ${u.firstFailure.corner}, ${lanePhrase(m.naming, u.firstFailure.lane)}: ${FAILURE_SIDE[u.firstFailure.side]}` : ''}
                              </td>
                            </tr>`,
                        )}
                      </table>
                    </section>`
                  : ''
              }
              <section class="panel">
                <h2>Charts</h2>
                <details>
                  <summary>${r.charts.length} I-MR charts</summary>
                  <ul class="cells">
                    ${r.charts.map(
                      (c) =>
                        html`<li>
                          <a href="${chartHref(lot, c.key)}"
                            >${c.key.parameter} @ ${c.key.corner},
                            ${c.key.lane === null ? 'module' : `lane ${laneName(m.naming, c.key.lane)}`}</a
                          >${c.signals ? html` <span class="badge HOLD">${c.signals} signals</span>` : ''}
                        </li>`,
                    )}
                  </ul>
                </details>
              </section>`
          : html`<p>Not evaluated yet.</p>`
      }
      <section class="panel">
        <h2>Documents</h2>
        <ul>
          ${
            r
              ? html`<li><a href="/lots/${seg(lot)}/documents/lot-result.json" download>LotResult (JSON)</a></li>
                  <li><a href="/lots/${seg(lot)}/documents/units.csv" download>Units (CSV)</a></li>`
              : ''
          }
          ${m.certificates.map((c) => html`<li><a href="/lots/${seg(lot)}/documents/certificate/${seg(c.documentId)}" download>Certificate ${c.documentId} (r${c.revision}, ${c.issuedAt})</a></li>`)}
          <li><a href="/lots/${seg(lot)}/audit">Audit trail</a></li>
        </ul>
      </section>
      ${
        m.proposal
          ? html`<section class="panel" id="proposal">
              <h2>Awaiting a second signature</h2>
              <p>
                <span class="badge ${m.proposal.disposition}">${m.proposal.disposition}</span> proposed:
                ${m.proposal.reason}${m.proposal.deviation ? ` [deviation: ${m.proposal.deviation}]` : ''}
              </p>
              <p class="signature">Signed: ${signatureLine(m.proposal.signature)}</p>
              <p>The policy's two-person rule needs a second, different approver to sign the same decision.</p>
            </section>`
          : ''
      }
      ${held || (m.review?.length ?? 0) > 0 ? reviewPanel(lot, m, principal) : ''} ${m.attachments ?? ''}
      ${held && r ? signForm(lot, failingCount > 0 || r.proposal.reasons.some((x) => x.severity === 'REJECT'), m.canSign, principal) : ''}`,
    ['/assets/lot.js', '/assets/attachments.js', '/assets/explain.js'],
  );
}

function signForm(lot: string, needsDeviation: boolean, canSign: boolean, principal: Principal): SafeHtml {
  if (!canSign)
    return html`<section class="panel">
      <h2>Review</h2>
      <p id="cannot-sign">Signing a decision needs the approver role; you are ${principal.role}.</p>
    </section>`;
  return html`<section class="panel">
    <h2>Decide and sign</h2>
    <form id="sign-form" data-lot="${lot}" data-csrf="${principal.csrf ?? ''}">
      <fieldset>
        <legend>Decision</legend>
        <label><input type="radio" name="disposition" value="ACCEPT" required /> Accept</label>
        <label><input type="radio" name="disposition" value="REJECT" /> Reject</label>
      </fieldset>
      <label>Reason <textarea name="reason" required rows="2"></textarea></label>
      <label
        >Deviation (number and justification${needsDeviation ? ', required to accept' : ', when accepting despite the hold'})
        <input name="deviation"
      /></label>
      <p class="attest">By signing, I, ${principal.fullName} (${principal.username}), record this decision as my electronic signature.</p>
      <label>Password (re-enter to sign) <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit">Sign decision</button>
      <p class="error" id="sign-error" role="alert" hidden></p>
    </form>
  </section>`;
}

export function chartPage(principal: Principal, lot: string, title: string, dataUrl: string): string {
  return page(
    `${title} — ${lot}`,
    principal,
    html`<p><a href="/lots/${seg(lot)}">← Lot ${lot}</a></p>
      <h1 id="chart-title">${title}</h1>
      <p class="meta" id="chart-meta"></p>
      <div id="chart" data-src="${dataUrl}" data-lot="${lot}"></div>
      <div id="mr-chart"></div>
      <div id="tip" class="tip" hidden></div>
      <p class="legend">
        <span class="dot signal"></span> run-rule signal · dashed: control limits · red: spec limits · click a point to open its unit
      </p>
      ${analysisSections(lot, dataUrl)}`,
    [...new Set(['/assets/uplot/uPlot.iife.min.js', COUNTED_SCRIPT, '/assets/chart.js', ...ANALYSIS_SCRIPTS])],
  );
}

export function unitPage(principal: Principal, u: UnitReadings, naming: LaneNaming): string {
  return page(
    `Unit ${u.serial}`,
    principal,
    html`<p><a href="/lots/${seg(u.lot)}">← Lot ${u.lot}</a></p>
      <h1>Unit ${u.serial}</h1>
      <p class="meta">${u.productId} · ${counted(u.attempts.length, 'attempt')}</p>
      ${u.attempts.map(
        (a) =>
          html`<section class="panel attempt">
            <h2>Attempt ${a.attempt}${a.final ? ' (final)' : ''}</h2>
            <p class="meta">
              ${a.station} · ${a.testTime}${a.operator ? ` · operator ${a.operator}` : ''} · file
              <code>${a.file.name}</code> (${a.file.path}, sha256 ${a.file.sha256.slice(0, 12)}…)
            </p>
            ${a.columnsUnknown ? html`<p class="meta columns-unknown">${a.columnsUnknown}</p>` : ''}
            <table class="readings">
              <tr>
                <th>Parameter</th>
                <th>Corner</th>
                <th>Lane</th>
                <th>Value</th>
                <th>Source</th>
              </tr>
              ${a.readings.map(
                (r) =>
                  html`<tr>
                    <td>${r.parameter}</td>
                    <td>${r.corner}</td>
                    <td>${laneName(naming, r.lane)}</td>
                    <td class="n">
                      ${r.censoring === 'none' ? num(r.value, 7) : `${r.censoring === 'below' ? '<' : '>'}${num(r.value, 7)}`}
                    </td>
                    <td>${a.file.name}:${r.line}${r.column ? `, ${r.column}` : ''}</td>
                  </tr>`,
              )}
            </table>
          </section>`,
      )}`,
  );
}

export function auditPage(principal: Principal, trail: LotAuditTrail, q: string | undefined): string {
  const needle = (q ?? '').toLowerCase();
  const events = needle
    ? trail.events.filter((e) => `${e.kind} ${e.actor} ${JSON.stringify(e.payload)}`.toLowerCase().includes(needle))
    : trail.events;
  return page(
    `Audit ${trail.summary.lot}`,
    principal,
    html`<p><a href="/lots/${seg(trail.summary.lot)}">← Lot ${trail.summary.lot}</a></p>
      <h1>Audit trail of ${trail.summary.lot}</h1>
      <form method="get">
        <label>Search <input name="q" value="${q ?? ''}" /></label> <button>Search</button>
      </form>
      <table class="audit" id="audit">
        <tr>
          <th>At</th>
          <th>Event</th>
          <th>By</th>
          <th>Details</th>
        </tr>
        ${events.map(
          (e) =>
            html`<tr class="event-${e.kind}">
              <td>${e.at}</td>
              <td>${e.kind}</td>
              <td>${e.actor}</td>
              <td>
                ${
                  e.kind === 'decided'
                    ? html`r${e.payload.revision} ${e.payload.disposition}:
                      ${e.payload.reason}${(e.payload.signatures ?? []).map((s) => html`<br /><span class="signature">Signed: ${signatureLine(s)}</span>`)}`
                    : JSON.stringify(e.payload)
                }
              </td>
            </tr>`,
        )}
      </table>
      <h2>Files</h2>
      <table>
        <tr>
          <th>Stored</th>
          <th>File</th>
          <th>SHA-256</th>
          <th>Runs</th>
        </tr>
        ${trail.files.map(
          (f) =>
            html`<tr>
              <td>${f.storedAt}</td>
              <td>${f.path}</td>
              <td><code>${f.sha256.slice(0, 16)}…</code></td>
              <td class="n">${f.runs}</td>
            </tr>`,
        )}
      </table>`,
  );
}

export function errorPage(principal: Principal | null, status: number, message: string): string {
  return page(
    `Error ${status}`,
    principal,
    html`<h1>${status}</h1>
      <p class="error">${message}</p>
      <p><a href="/">Lots</a></p>`,
  );
}

export function verifyPage(principal: Principal): string {
  return page(
    'Verify a certificate',
    principal,
    html`<h1>Verify a certificate</h1>
      <p>
        Choose a Certificate of Conformance PDF: the console re-derives it from this store (result hash, decision, versions, input files)
        and checks that this exact file was issued — the same check as <code>lotqa verify</code>.
      </p>
      <form id="verify-form" data-csrf="${principal.csrf ?? ''}">
        <label>Certificate (PDF) <input type="file" name="pdf" accept="application/pdf" required /></label>
        <button type="submit">Verify</button>
      </form>
      <section class="panel" id="verify-result" hidden></section>`,
    ['/assets/verify.js'],
  );
}

export function auditSearchPage(principal: Principal, events: readonly AuditEvent[], q: string | undefined): string {
  return page(
    'Audit',
    principal,
    html`<h1>Audit trail, every lot</h1>
      <form method="get" action="/audit">
        <label>Search (all words: lot, who, event, text) <input name="q" value="${q ?? ''}" /></label> <button>Search</button>
      </form>
      <p class="meta">${counted(events.length, 'event')}, newest first${events.length === 200 ? ' (the latest 200)' : ''}</p>
      <table class="audit" id="audit-search">
        <tr>
          <th>At</th>
          <th>Lot</th>
          <th>Event</th>
          <th>By</th>
          <th>Details</th>
        </tr>
        ${events.map(
          (e) =>
            html`<tr class="event-${e.kind}">
              <td>${e.at}</td>
              <td>${e.lot ? html`<a href="/lots/${seg(e.lot)}/audit">${e.lot}</a>` : '—'}</td>
              <td>${e.kind}</td>
              <td>${e.actor}</td>
              <td>
                ${
                  e.kind === 'decided'
                    ? html`r${e.payload.revision} ${e.payload.disposition}:
                      ${e.payload.reason}${(e.payload.signatures ?? []).map((s) => html`<br /><span class="signature">Signed: ${signatureLine(s)}</span>`)}`
                    : JSON.stringify(e.payload)
                }
              </td>
            </tr>`,
        )}
      </table>`,
  );
}

function reviewPanel(lot: string, m: LotPageModel, principal: Principal): SafeHtml {
  const notes = m.review ?? [];
  const owner = [...notes].reverse().find((n) => n.kind === 'owner');
  return html`<section class="panel" id="review">
    <h2>Review</h2>
    <p>Owner: ${owner ? owner.text : 'nobody assigned'}</p>
    <ul class="notes">
      ${notes.map((n) => html`<li class="note-${n.kind}"><span class="meta">${n.at} · ${n.author} · ${n.kind === 'reference' ? '8D/NCR' : n.kind}</span> ${n.text}</li>`)}
    </ul>
    ${
      m.canReview
        ? html`<form id="review-form" data-lot="${lot}" data-csrf="${principal.csrf ?? ''}">
            <select name="kind">
              <option value="comment">Comment</option>
              <option value="owner">Assign owner (account)</option>
              <option value="reference">8D / NCR reference</option>
            </select>
            <input
              name="text"
              required
              maxlength="4000"
              aria-label="Comment, owner's account or 8D/NCR reference"
              placeholder="comment, account name, or 8D/NCR number"
            />
            <button type="submit">Add</button>
            <p class="error" id="review-error" role="alert" hidden></p>
          </form>`
        : ''
    }
  </section>`;
}
