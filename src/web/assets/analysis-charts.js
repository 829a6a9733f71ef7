// lotqa console — the analysis charts under an I-MR chart, drawn with uPlot (canvas) from the API's JSON:
// lane means vs baseline, histogram with spec limits and capability, per-station means, batch-to-batch
// trend. Every number comes from the server (the stored LotResult); this file only draws, and adds the
// "show the work" buttons that assets/explain.js opens.
'use strict';
(function () {
  const hosts = document.querySelectorAll('.analysis-chart');
  if (!hosts.length) return;
  const BLUE = '#1f6fb2';
  const RED = '#d2361f';
  const GREEN = '#2b7a3d';
  const GREY = '#8a96a3';

  // Numbers as the reports print them (src/report/number-format.ts): values with 4 significant digits at
  // a fixed number of decimals, capability indices with 2 decimals, shifts in σ with 2, p with 4 or "<0.0001".
  function fmt(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '—';
    if (v === 0) return '0';
    const abs = Math.abs(v);
    if (abs < 1e-3 || abs >= 1e7) return v.toExponential(3).replace(/\.?0+e/, 'e');
    const decimals = Math.min(4, Math.max(0, 4 - (Math.floor(Math.log10(abs)) + 1)));
    return v.toFixed(decimals);
  }
  function fmtFixed(v, decimals) {
    return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(decimals);
  }
  function fmtP(p) {
    if (p === null || p === undefined || !Number.isFinite(p)) return '—';
    return p < 1e-4 ? '<0.0001' : p.toFixed(4);
  }
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function explainButton(host, statistic, extra) {
    const b = el('button', 'explain', 'show the work');
    b.type = 'button';
    b.dataset.explain = host.dataset.explainBase + '&statistic=' + encodeURIComponent(statistic) + (extra || '');
    return b;
  }
  function widthOf(host) {
    return Math.max(480, Math.min(1100, host.clientWidth || 900));
  }
  /** Draws, per x, a vertical whisker low…high (and a cap) in `stroke`. */
  function whiskers(xs, lows, highs, stroke, lineWidth) {
    return (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = stroke;
      ctx.lineWidth = lineWidth;
      for (let i = 0; i < xs.length; i++) {
        if (lows[i] === null || highs[i] === null) continue;
        const x = u.valToPos(xs[i], 'x', true);
        const y1 = u.valToPos(lows[i], 'y', true);
        const y2 = u.valToPos(highs[i], 'y', true);
        ctx.beginPath();
        ctx.moveTo(x, y1);
        ctx.lineTo(x, y2);
        ctx.moveTo(x - 5, y1);
        ctx.lineTo(x + 5, y1);
        ctx.moveTo(x - 5, y2);
        ctx.lineTo(x + 5, y2);
        ctx.stroke();
      }
      ctx.restore();
    };
  }
  /** A diamond at each (x, y) not null. */
  function diamonds(xs, ys, fill) {
    return (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = fill;
      for (let i = 0; i < xs.length; i++) {
        if (ys[i] === null) continue;
        const x = u.valToPos(xs[i], 'x', true);
        const y = u.valToPos(ys[i], 'y', true);
        ctx.beginPath();
        ctx.moveTo(x, y - 6);
        ctx.lineTo(x + 6, y);
        ctx.lineTo(x, y + 6);
        ctx.lineTo(x - 6, y);
        ctx.closePath();
        ctx.fill();
      }
      ctx.restore();
    };
  }
  /** Horizontal or vertical reference lines: { value, stroke, dash, axis: 'x'|'y' }. */
  function refLines(lines) {
    return (u) => {
      const ctx = u.ctx;
      ctx.save();
      for (const l of lines) {
        if (l.value === null || l.value === undefined) continue;
        ctx.strokeStyle = l.stroke;
        ctx.setLineDash(l.dash || []);
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        if (l.axis === 'x') {
          const x = u.valToPos(l.value, 'x', true);
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
        } else {
          const y = u.valToPos(l.value, 'y', true);
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
        }
        ctx.stroke();
      }
      ctx.restore();
    };
  }
  function range(values, padShare) {
    const v = values.filter((x) => x !== null && x !== undefined && Number.isFinite(x));
    if (!v.length) return [0, 1];
    const lo = Math.min.apply(null, v);
    const hi = Math.max.apply(null, v);
    const pad = (hi - lo) * (padShare || 0.08) || Math.abs(hi) * 0.05 || 1;
    return [lo - pad, hi + pad];
  }
  function categoryAxis(labels, label) {
    return {
      label,
      splits: () => labels.map((_, i) => i + 1),
      values: (u, splits) => splits.map((s) => labels[s - 1] || ''),
    };
  }
  function yLabel(d) {
    return (d.scale === 'log10' ? 'log10 ' : '') + d.parameter + ' (' + d.unit + ')';
  }

  function drawLanes(host, d) {
    const L = d.lanes.length;
    const x = d.lanes.map((_, i) => i + 1);
    const mean = d.lanes.map((l) => l.mean);
    const base = d.lanes.map((l) => l.baselineMean);
    const bLow = d.lanes.map((l) => (l.baselineMean === null ? null : l.baselineMean - l.baselineSigma));
    const bHigh = d.lanes.map((l) => (l.baselineMean === null ? null : l.baselineMean + l.baselineSigma));
    const low = d.lanes.map((l) => l.low);
    const high = d.lanes.map((l) => l.high);
    const labels = d.lanes.map((l) => (l.lane === null ? 'module' : 'lane ' + l.laneName));
    // The baseline beside each lane's lot mean (left of it), so neither hides the other.
    const xb = x.map((v) => v - 0.22);
    new uPlot(
      {
        width: widthOf(host),
        height: 260,
        legend: { show: false },
        scales: { x: { time: false, range: [0.5, L + 0.5] }, y: { range: range(mean.concat(low, high, bLow, bHigh)) } },
        axes: [categoryAxis(labels, 'lane'), { label: yLabel(d), size: 70 }],
        series: [{}, { label: 'lot mean', stroke: 'transparent', points: { show: true, size: 9, fill: BLUE, stroke: BLUE } }],
        hooks: {
          draw: [whiskers(xb, bLow, bHigh, 'rgba(138,150,163,0.55)', 7), diamonds(xb, base, GREY), whiskers(x, low, high, BLUE, 1.5)],
        },
      },
      [x, mean],
      host,
    );
    const table = el('table', 'analysis-table');
    const head = el('tr');
    ['Lane', 'n', 'mean', '95 % interval', 'baseline mean', 'shift (σ)', 'p (Welch)', ''].forEach((h) => head.appendChild(el('th', '', h)));
    table.appendChild(head);
    d.lanes.forEach((l) => {
      const tr = el('tr');
      [
        labels[d.lanes.indexOf(l)],
        String(l.n),
        fmt(l.mean),
        fmt(l.low) + ' … ' + fmt(l.high),
        fmt(l.baselineMean),
        fmtFixed(l.meanShiftSigma, 2),
        fmtP(l.meanShiftP),
      ].forEach((c) => tr.appendChild(el('td', '', c)));
      const td = el('td');
      const lane = l.lane === null ? 'module' : String(l.lane);
      const url = host.dataset.explainBase.replace(/lane=[^&]*/, 'lane=' + lane);
      const b1 = el('button', 'explain', 'interval');
      b1.type = 'button';
      b1.dataset.explain = url + '&statistic=lane-mean';
      td.appendChild(b1);
      if (l.baselineMean !== null) {
        const b2 = el('button', 'explain', 'shift');
        b2.type = 'button';
        b2.dataset.explain = url + '&statistic=mean-shift';
        td.appendChild(b2);
      }
      tr.appendChild(td);
      table.appendChild(tr);
    });
    host.appendChild(table);
    if (d.baselineVersion === null) host.appendChild(el('p', 'meta', 'No baseline: lane means only.'));
  }

  function drawHistogram(host, d) {
    const k = d.counts.length;
    const x = new Array(k);
    for (let i = 0; i < k; i++) x[i] = (d.edges[i] + d.edges[i + 1]) / 2;
    const xr = range(d.edges.concat([d.lsl, d.usl, d.target]), 0.04);
    new uPlot(
      {
        width: widthOf(host),
        height: 260,
        legend: { show: false },
        scales: { x: { time: false, range: xr }, y: { range: [0, Math.max.apply(null, d.counts) * 1.1 || 1] } },
        axes: [{ label: yLabel(d) }, { label: 'units', size: 60 }],
        series: [
          {},
          {
            label: 'count',
            stroke: BLUE,
            fill: 'rgba(31,111,178,0.35)',
            width: 1,
            paths: uPlot.paths.bars({ size: [1, Infinity], align: 0 }),
            points: { show: false },
          },
        ],
        hooks: {
          draw: [
            refLines([
              { value: d.lsl, stroke: RED, axis: 'x' },
              { value: d.usl, stroke: RED, axis: 'x' },
              { value: d.target, stroke: GREEN, dash: [5, 4], axis: 'x' },
            ]),
          ],
        },
      },
      [x, d.counts],
      host,
    );
    const p = el('p', 'capability');
    const c = d.capability;
    if (!c) {
      p.textContent = 'No capability (no spec limit, or too few exact readings).';
    } else {
      p.appendChild(
        document.createTextNode(
          'n = ' +
            c.n +
            (c.judgedBy === 'box-cox' ? ' · normal-theory Cpk ' : ' · Cpk ') +
            fmtFixed(c.cpk, 2) +
            ' (lower ' +
            c.confidence * 100 +
            ' % bound ' +
            fmtFixed(c.cpkLower, 2) +
            ', upper ' +
            fmtFixed(c.cpkUpper, 2) +
            ') ' +
            // The decision judged a clearly non-normal chart with a lower limit on the Box–Cox scale.
            (c.judgedBy === 'box-cox'
              ? '· judged on the Box–Cox scale: Cpk ' + fmtFixed(c.judgedCpk, 2) + ' (lower bound ' + fmtFixed(c.judgedCpkLower, 2) + ') '
              : ''),
        ),
      );
      p.appendChild(explainButton(host, 'cpk'));
      p.appendChild(document.createTextNode(' · Ppk ' + fmtFixed(c.ppk, 2) + ' '));
      p.appendChild(explainButton(host, 'ppk'));
      p.appendChild(
        document.createTextNode(
          ' · σ within ' +
            fmt(c.sigmaWithin) +
            ', overall ' +
            fmt(c.sigmaOverall) +
            (c.governing === 'percentile' ? ' · non-normal: percentile indices govern' : ''),
        ),
      );
    }
    host.appendChild(p);
  }

  function drawStations(host, d) {
    const S = d.stations.length;
    const x = d.stations.map((_, i) => i + 1);
    const labels = d.stations.map((s) => s.station);
    const mean = d.stations.map((s) => s.mean);
    const held = d.stations.map((s) => (s.held ? s.mean : null));
    new uPlot(
      {
        width: widthOf(host),
        height: 240,
        legend: { show: false },
        scales: {
          x: { time: false, range: [0.5, S + 0.5] },
          y: {
            range: range(
              mean.concat(
                d.stations.map((s) => s.low),
                d.stations.map((s) => s.high),
              ),
            ),
          },
        },
        axes: [categoryAxis(labels, 'station'), { label: yLabel(d), size: 70 }],
        series: [
          {},
          { label: 'station mean', stroke: 'transparent', points: { show: true, size: 9, fill: BLUE, stroke: BLUE } },
          { label: 'held', stroke: 'transparent', points: { show: true, size: 11, fill: RED, stroke: RED } },
        ],
        hooks: {
          draw: [
            whiskers(
              x,
              d.stations.map((s) => s.low),
              d.stations.map((s) => s.high),
              BLUE,
              1.5,
            ),
          ],
        },
      },
      [x, mean, held],
      host,
    );
    const table = el('table', 'analysis-table');
    const head = el('tr');
    ['Station', 'units', 'mean', '95 % interval', 'vs others (σ, all lanes)', ''].forEach((h) => head.appendChild(el('th', '', h)));
    table.appendChild(head);
    d.stations.forEach((s) => {
      const tr = el('tr', s.held ? 'held' : '');
      [s.station, String(s.n), fmt(s.mean), fmt(s.low) + ' … ' + fmt(s.high), fmtFixed(s.againstOthersSigma, 2)].forEach((c) =>
        tr.appendChild(el('td', '', c)),
      );
      const td = el('td');
      if (s.againstOthersSigma !== null) td.appendChild(explainButton(host, 'station-shift', '&station=' + encodeURIComponent(s.station)));
      tr.appendChild(td);
      table.appendChild(tr);
    });
    host.appendChild(table);
    if (S < 2) host.appendChild(el('p', 'meta', 'Tested on one station: nothing to compare.'));
  }

  function drawTrend(host, d) {
    const n = d.lots.length;
    const x = d.lots.map((_, i) => i + 1);
    const w = widthOf(host);
    const lotAxis = categoryAxis(d.lots, 'lot (oldest left, this lot right)');
    const sdLow = d.means.map((m, i) => (d.sds[i] === null ? null : m - d.sds[i]));
    const sdHigh = d.means.map((m, i) => (d.sds[i] === null ? null : m + d.sds[i]));
    const meansHost = el('div', 'trend-means');
    const ewmaHost = el('div', 'trend-ewma');
    const cusumHost = el('div', 'trend-cusum');
    host.appendChild(meansHost);
    host.appendChild(ewmaHost);
    host.appendChild(cusumHost);
    const xr = [0.5, n + 0.5];
    new uPlot(
      {
        width: w,
        height: 200,
        legend: { show: false },
        scales: { x: { time: false, range: xr }, y: { range: range(d.means.concat(sdLow, sdHigh)) } },
        axes: [lotAxis, { label: 'lot mean ± σ', size: 70 }],
        series: [{}, { label: 'lot mean', stroke: BLUE, width: 1.5, points: { show: true, size: 7, fill: BLUE } }],
        hooks: { draw: [whiskers(x, sdLow, sdHigh, GREY, 1)] },
      },
      [x, d.means],
      meansHost,
    );
    const lim = d.ewmaLimit.map((v) => -v);
    new uPlot(
      {
        width: w,
        height: 180,
        legend: { show: false },
        scales: { x: { time: false, range: xr }, y: { range: range(d.ewma.concat(d.ewmaLimit, lim, [0])) } },
        axes: [lotAxis, { label: 'EWMA (λ ' + d.ewmaLambda + ')', size: 70 }],
        series: [
          {},
          { label: 'EWMA', stroke: BLUE, width: 1.5, points: { show: true, size: 6, fill: BLUE } },
          { label: 'UCL', stroke: '#444', dash: [6, 4], width: 1, points: { show: false } },
          { label: 'LCL', stroke: '#444', dash: [6, 4], width: 1, points: { show: false } },
        ],
        hooks: { draw: [refLines([{ value: 0, stroke: GREEN }])] },
      },
      [x, d.ewma, d.ewmaLimit, lim],
      ewmaHost,
    );
    const lower = d.cusumLower.map((v) => -v);
    new uPlot(
      {
        width: w,
        height: 180,
        legend: { show: false },
        scales: { x: { time: false, range: xr }, y: { range: range(d.cusumUpper.concat(lower, [d.cusumH, -d.cusumH])) } },
        axes: [lotAxis, { label: 'CUSUM (k ' + d.cusumK + ', h ' + d.cusumH + ')', size: 70 }],
        series: [
          {},
          { label: 'C+', stroke: BLUE, width: 1.5, points: { show: true, size: 6, fill: BLUE } },
          { label: 'C−', stroke: '#6a1b9a', width: 1.5, points: { show: true, size: 6, fill: '#6a1b9a' } },
        ],
        hooks: {
          draw: [
            refLines([
              { value: d.cusumH, stroke: '#444', dash: [6, 4] },
              { value: -d.cusumH, stroke: '#444', dash: [6, 4] },
              { value: 0, stroke: GREEN },
            ]),
          ],
        },
      },
      [x, d.cusumUpper, lower],
      cusumHost,
    );
    const p = el('p', 'trend-note');
    p.appendChild(
      document.createTextNode(
        lotqa.counted(n, 'lot') +
          ' · action ' +
          d.action +
          ' · ' +
          (d.signals.length ? d.signals.map((s) => s.chart + ' ' + s.direction).join(', ') : 'no signal at this lot') +
          ' · EWMA ',
      ),
    );
    p.appendChild(explainButton(host, 'ewma'));
    p.appendChild(document.createTextNode(' CUSUM '));
    p.appendChild(explainButton(host, 'cusum'));
    host.appendChild(p);
  }

  const DRAW = { lanes: drawLanes, histogram: drawHistogram, stations: drawStations, trend: drawTrend };
  let pending = hosts.length;
  function done() {
    pending--;
    if (pending === 0) {
      // Since navigation start, read by bench/console-bench.ts.
      document.body.dataset.analysisReadyMs = String(Math.round(performance.now()));
      document.body.dataset.analysisReady = 'true';
    }
  }
  hosts.forEach((host) => {
    fetch(host.dataset.src, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((r) => r.json().then((body) => (r.ok ? body : Promise.reject(new Error(body.message)))))
      .then((d) => {
        DRAW[host.dataset.kind](host, d);
        host.dataset.ready = 'true';
      })
      .catch((err) => {
        host.appendChild(el('p', 'meta unavailable', err instanceof Error ? err.message : String(err)));
        host.dataset.ready = 'unavailable';
      })
      .finally(done);
  });
})();
