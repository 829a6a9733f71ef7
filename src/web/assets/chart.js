// lotqa console — an I-MR chart drawn with uPlot from the API's columnar JSON: control limits (dashed),
// spec limits (red), run-rule signals (red points); hover tells serial, value, station, time and attempt;
// a click opens the unit.
'use strict';
(function () {
  const host = document.getElementById('chart');
  if (!host) return;
  const tip = document.getElementById('tip');

  function fmt(v) {
    return v === null || v === undefined ? '—' : Number(v.toPrecision(6)).toString();
  }

  function line(value, stroke, dash) {
    return { value, stroke, dash };
  }

  function draw(d) {
    const n = d.y.length;
    const x = new Array(n);
    for (let i = 0; i < n; i++) x[i] = i + 1;
    const mr = new Array(n);
    mr[0] = null;
    for (let i = 1; i < n; i++) mr[i] = Math.abs(d.y[i] - d.y[i - 1]);
    const sig = d.y.map((v, i) => (d.signal[i] ? v : null));
    const scaleNote = d.scale === 'log10' ? 'log10 of ' : '';
    document.getElementById('chart-meta').textContent =
      d.lot +
      ' r' +
      d.revision +
      ' · ' +
      lotqa.counted(n, 'unit') +
      ' (final attempts, test order) · centre ' +
      fmt(d.centre) +
      ', LCL ' +
      fmt(d.lcl) +
      ', UCL ' +
      fmt(d.ucl) +
      (d.lsl !== null ? ', LSL ' + fmt(d.lsl) : '') +
      (d.usl !== null ? ', USL ' + fmt(d.usl) : '') +
      ' · ' +
      lotqa.counted(d.signals, 'signal') +
      ' · ' +
      scaleNote +
      d.unit;
    const limits = [line(d.centre, '#2b7a3d', []), line(d.lcl, '#444', [6, 4]), line(d.ucl, '#444', [6, 4])];
    if (d.lsl !== null) limits.push(line(d.lsl, '#d2361f', []));
    if (d.usl !== null) limits.push(line(d.usl, '#d2361f', []));
    const width = Math.max(600, host.clientWidth || 1000);
    const limitPlugin = (lines) => ({
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            for (const l of lines) {
              const y = u.valToPos(l.value, 'y', true);
              ctx.strokeStyle = l.stroke;
              ctx.setLineDash(l.dash);
              ctx.lineWidth = 1.5;
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    });
    const values = d.y.concat(limits.map((l) => l.value));
    const lo = Math.min.apply(null, values);
    const hi = Math.max.apply(null, values);
    const pad = (hi - lo) * 0.05 || 1;
    const plot = new uPlot(
      {
        width,
        height: 360,
        cursor: { points: { size: 9 }, dataIdx: (u, seriesIdx, hoveredIdx) => hoveredIdx },
        legend: { show: false },
        scales: { x: { time: false }, y: { range: [lo - pad, hi + pad] } },
        axes: [{ label: 'unit (test order)' }, { label: scaleNote + d.name + ' (' + d.unit + ')', size: 70 }],
        series: [
          {},
          { label: 'I', stroke: '#1f6fb2', width: 1, points: { show: true, size: 4, fill: '#1f6fb2' } },
          { label: 'signal', stroke: 'transparent', points: { show: true, size: 7, fill: '#d2361f', stroke: '#d2361f' } },
        ],
        plugins: [limitPlugin(limits)],
      },
      [x, d.y, sig],
      host,
    );
    const mrVals = mr.filter((v) => v !== null);
    const mrHi = Math.max(d.mr.ucl, Math.max.apply(null, mrVals.length ? mrVals : [0]));
    new uPlot(
      {
        width,
        height: 180,
        legend: { show: false },
        scales: { x: { time: false }, y: { range: [0, mrHi * 1.08] } },
        axes: [{ label: 'unit (test order)' }, { label: 'moving range', size: 70 }],
        series: [{}, { label: 'MR', stroke: '#6b7a89', width: 1, points: { show: false } }],
        plugins: [limitPlugin([line(d.mr.centre, '#2b7a3d', []), line(d.mr.ucl, '#444', [6, 4])])],
      },
      [x, mr],
      document.getElementById('mr-chart'),
    );

    const over = plot.over;
    let current = -1;
    function nearest(event) {
      const rect = over.getBoundingClientRect();
      const i = plot.posToIdx(event.clientX - rect.left);
      return i >= 0 && i < n ? i : -1;
    }
    over.addEventListener('mousemove', (event) => {
      const i = nearest(event);
      current = i;
      if (i < 0) {
        tip.hidden = true;
        return;
      }
      const value = d.scale === 'log10' ? Math.pow(10, d.y[i]) : d.y[i];
      const rule = d.signal[i] ? d.rules.find((r) => r.rule === d.signal[i]) : null;
      tip.textContent =
        d.serial[i] +
        '\nvalue ' +
        fmt(value) +
        ' ' +
        d.unit +
        '\nstation ' +
        d.stations[d.station[i]] +
        '\n' +
        new Date(d.time[i] * 1000).toISOString() +
        '\nattempt ' +
        d.attempt[i] +
        (rule ? '\nsignal: ' + rule.name : '');
      tip.hidden = false;
      tip.style.left = event.clientX + 14 + 'px';
      tip.style.top = event.clientY + 14 + 'px';
      tip.dataset.serial = d.serial[i];
    });
    over.addEventListener('mouseleave', () => {
      tip.hidden = true;
    });
    over.addEventListener('click', (event) => {
      const i = nearest(event);
      if (i < 0 && current < 0) return;
      const k = i >= 0 ? i : current;
      window.location.href = '/lots/' + encodeURIComponent(d.lot) + '/units/' + encodeURIComponent(d.serial[k]);
    });
    // Time to interactive since navigation start (performance.now() counts from it), read by bench/console-bench.ts.
    document.body.dataset.chartReadyMs = String(Math.round(performance.now()));
    document.body.dataset.chartReady = 'true';
  }

  fetch(host.dataset.src, { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((r) => r.json().then((body) => (r.ok ? body : Promise.reject(new Error(body.message)))))
    .then(draw)
    .catch((err) => {
      host.textContent = 'The chart could not be loaded: ' + (err instanceof Error ? err.message : String(err));
      host.className = 'error';
    });
})();
