// bench/results/chart.html: a self-contained page (inline SVG, no scripts, no network) of one
// entropy.bench.mjs run: the targets, speed-up vs the naive loop and ns/element against histogram
// size on log-log axes (one panel per measure and data set), and the batches as bars on a log axis.

const COLORS = {
  'wasm-simd': '#1f5fbf',
  'wasm-scalar': '#17a2b8',
  ts: '#e07b00',
  'workers:1': '#b07cd8',
  'workers:2': '#6a1b9a',
  naive: '#555555',
};
const EXTRA = ['#2e7d32', '#9e9d24', '#c2185b', '#5d4037'];
const colorOf = (name, i) => COLORS[name] ?? EXTRA[i % EXTRA.length];
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const fmtNum = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));
const tickLabel = (v) => {
  if (v >= 1e4 || v < 1e-2) {
    const e = Math.round(Math.log10(v));
    return Math.abs(v - 10 ** e) < 1e-9 * v ? `1e${e}` : v.toExponential(0);
  }
  return String(Number(v.toPrecision(3)));
};

// log-axis ticks between lo and hi: decades, plus 2 and 5 when the range is short
function logTicks(lo, hi) {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const mult = b - a <= 3 ? [1, 2, 5] : [1];
  const t = [];
  for (let e = a; e <= b; e++) for (const m of mult) { const v = m * 10 ** e; if (v >= lo * 0.999 && v <= hi * 1.001) t.push(v); }
  return t;
}
function logRange(values, pad = 1.15) {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  let lo = Math.min(...v) / pad, hi = Math.max(...v) * pad;
  if (!(lo > 0) || !Number.isFinite(hi)) { lo = 0.1; hi = 10; }
  return [lo, hi];
}

// series: [{ name, color, dash, points: [{ x, y, tip }] }]; both axes logarithmic
function lineChart({ title, series, yLabel, xLabel, ref, width = 440, height = 300, xTickFmt = tickLabel }) {
  const m = { l: 58, r: 12, t: 28, b: 44 };
  const pts = series.flatMap((s) => s.points);
  if (pts.length === 0) return '';
  const [xlo0, xhi0] = logRange(pts.map((p) => p.x), 1.3);
  const [ylo, yhi] = logRange([...pts.map((p) => p.y), ...(ref ? [ref] : [])]);
  const X = (v) => m.l + ((Math.log(v) - Math.log(xlo0)) / (Math.log(xhi0) - Math.log(xlo0))) * (width - m.l - m.r);
  const Y = (v) => height - m.b - ((Math.log(v) - Math.log(ylo)) / (Math.log(yhi) - Math.log(ylo))) * (height - m.t - m.b);
  const o = [];
  o.push(`<rect x="${m.l}" y="${m.t}" width="${width - m.l - m.r}" height="${height - m.t - m.b}" class="plot"/>`);
  o.push(`<text x="${m.l}" y="17" class="t">${esc(title)}</text>`);
  for (const v of logTicks(ylo, yhi)) {
    o.push(`<line x1="${m.l}" x2="${width - m.r}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" class="grid"/>`);
    o.push(`<text x="${m.l - 5}" y="${(Y(v) + 4).toFixed(1)}" class="ay">${esc(tickLabel(v))}</text>`);
  }
  const xs = [...new Set(pts.map((p) => p.x))].sort((a, b) => a - b);
  for (const v of xs) {
    o.push(`<line x1="${X(v).toFixed(1)}" x2="${X(v).toFixed(1)}" y1="${m.t}" y2="${height - m.b}" class="grid"/>`);
    o.push(`<text x="${X(v).toFixed(1)}" y="${height - m.b + 15}" class="ax">${esc(xTickFmt(v))}</text>`);
  }
  if (ref) o.push(`<line x1="${m.l}" x2="${width - m.r}" y1="${Y(ref).toFixed(1)}" y2="${Y(ref).toFixed(1)}" class="ref"/>`);
  o.push(`<text x="${(m.l + width - m.r) / 2}" y="${height - 8}" class="ax">${esc(xLabel)}</text>`);
  o.push(`<text transform="translate(13 ${(m.t + height - m.b) / 2}) rotate(-90)" class="ax">${esc(yLabel)}</text>`);
  for (const s of series) {
    const ps = [...s.points].sort((a, b) => a.x - b.x);
    const d = ps.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join('');
    o.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ' stroke-dasharray="5 3"' : ''}/>`);
    for (const p of ps) o.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(`${s.name}: ${p.tip}`)}</title></circle>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${o.join('')}</svg>`;
}

// groups: [{ label, bars: [{ name, color, value, text }] }]; horizontal bars on a log axis
function barChart({ title, groups, xLabel, ref, width = 1000 }) {
  const barH = 13, gap = 12, labelW = 260, textW = 230;
  const m = { t: 30, b: 40 };
  const vals = groups.flatMap((g) => g.bars.map((x) => x.value));
  if (vals.length === 0) return '';
  const [lo, hi] = logRange([...vals, ...(ref ? [ref] : [])], 1.2);
  const plotW = width - labelW - textW;
  const X = (v) => labelW + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * plotW;
  let y = m.t;
  const o = [];
  o.push(`<text x="0" y="17" class="t">${esc(title)}</text>`);
  const body = [];
  for (const g of groups) {
    const h = g.bars.length * barH;
    body.push(`<text x="${labelW - 8}" y="${(y + h / 2 + 4).toFixed(1)}" class="lab">${esc(g.label)}</text>`);
    g.bars.forEach((bar, j) => {
      const yy = y + j * barH;
      const w = Math.max(1, X(bar.value) - X(lo));
      body.push(`<rect x="${X(lo).toFixed(1)}" y="${yy}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${bar.color}"><title>${esc(`${bar.name}: ${bar.text}`)}</title></rect>`);
      body.push(`<text x="${(X(lo) + w + 4).toFixed(1)}" y="${yy + barH - 3}" class="v">${esc(`${bar.name} ${bar.text}`)}</text>`);
    });
    y += h + gap;
  }
  const height = y + m.b;
  for (const v of logTicks(lo, hi)) {
    o.push(`<line x1="${X(v).toFixed(1)}" x2="${X(v).toFixed(1)}" y1="${m.t - 4}" y2="${y - gap + 4}" class="grid"/>`);
    o.push(`<text x="${X(v).toFixed(1)}" y="${y - gap + 18}" class="ax">${esc(tickLabel(v))}</text>`);
  }
  if (ref) o.push(`<line x1="${X(ref).toFixed(1)}" x2="${X(ref).toFixed(1)}" y1="${m.t - 4}" y2="${y - gap + 4}" class="ref"/>`);
  o.push(`<text x="${labelW + plotW / 2}" y="${height - 6}" class="ax">${esc(xLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${o.join('')}${body.join('')}</svg>`;
}

export function chartHtml(json, { order, fmtN, fmtShape }) {
  const { meta: m, cases, targets, memory, python } = json;
  const names = order.filter((n) => cases.some((c) => c.results[n]));
  const sizeOf = (c) => (c.n !== undefined ? fmtN(c.n) : fmtShape(c));
  const oneShot = cases.filter((c) => c.n !== undefined && !c.small);
  const panelsRatio = [], panelsNs = [];
  const measures = [...new Set(oneShot.map((c) => c.measure))];
  const kinds = [...new Set(oneShot.map((c) => c.data))];
  for (const kind of kinds) {
    for (const measure of measures) {
      const cs = oneShot.filter((c) => c.data === kind && c.measure === measure);
      const seriesOf = (field, withNaive) => names.filter((n) => withNaive || n !== 'naive').map((n, i) => ({
        name: n, color: colorOf(n, i), dash: n === 'naive',
        points: cs.filter((c) => c.results[n]).map((c) => {
          const r = c.results[n];
          return { x: c.n, y: r[field], tip: `n=${fmtN(c.n)}: ${r.nsPerEl.toFixed(2)} ns/el, ${r.ratio.toFixed(2)}x naive` };
        }),
      }));
      const ns = seriesOf('nsPerEl', true);
      if (python && python.results && measure === 'entropy') {
        const allPy = [...new Set(python.results.map((r) => r.case))];
        const pyCases = [...new Set(python.results.filter((r) => r.kind === kind).map((r) => r.case))];
        pyCases.forEach((pc) => ns.push({
          name: `python ${pc}`, color: EXTRA[allPy.indexOf(pc) % EXTRA.length], dash: true,
          points: python.results.filter((r) => r.kind === kind && r.case === pc).map((r) => ({ x: r.n, y: r.nsPerEl, tip: `n=${fmtN(r.n)}: ${r.nsPerEl.toFixed(2)} ns/el` })),
        }));
      }
      panelsRatio.push(lineChart({ title: `${kind} · ${measure}: speed-up vs naive`, series: seriesOf('ratio', false), yLabel: 'naive time / case time (log)', xLabel: 'bins (log)', ref: 1, xTickFmt: fmtN }));
      panelsNs.push(lineChart({ title: `${kind} · ${measure}: ns per element`, series: ns, yLabel: 'ns / element (log, lower is better)', xLabel: 'bins (log)', xTickFmt: fmtN }));
    }
  }
  const batchCases = cases.filter((c) => c.rows !== undefined || c.small);
  const bars = barChart({
    title: 'Batches and the small call: ns per element (log axis; shorter is faster), ratio to naive in parentheses',
    xLabel: 'ns / element (log)',
    groups: batchCases.map((c) => ({
      label: `${c.data} ${c.measure} ${c.small ? `${c.n} bins` : sizeOf(c)}`,
      bars: names.filter((n) => c.results[n]).map((n, i) => ({
        name: n, color: colorOf(n, i), value: c.results[n].nsPerEl,
        text: `${fmtNum(c.results[n].nsPerEl)} ns/el${n === 'naive' ? '' : ` (${c.results[n].ratio.toFixed(2)}x)`}${c.small ? `, ${c.results[n].usPerCall.toFixed(3)} us/call` : ''}`,
      })),
    })),
  });
  const legend = [
    ...names.map((n, i) => `<span><i style="background:${colorOf(n, i)}"></i>${esc(n)}${n === 'naive' ? ' (dashed)' : ''}</span>`),
    ...(python && python.results ? [...new Set(python.results.map((r) => r.case))].map((pc, i) => `<span><i style="background:${EXTRA[i]}"></i>python ${esc(pc)} (dashed, ns/el panels)</span>`) : []),
  ].join(' ');
  const targetRows = (targets ?? []).map((t) => `<tr><td class="${t.status === 'PASS' ? 'pass' : t.status === 'FAIL' ? 'fail' : 'na'}">${t.status}</td><td>${esc(t.name)}</td><td>${esc(t.shown)}${t.why ? ` (${esc(t.why)})` : ''}</td></tr>`).join('');
  const init = Object.entries(m.init ?? {}).map(([k, t]) => `${esc(k)}: import ${t.importMs.toFixed(1)} ms, init() ${t.initMs.toFixed(1)} ms`).join('; ');
  const mem = memory ? `peak extra memory over ${fmtN(memory.n)} bins: worst ${(Math.max(...memory.rows.map((r) => r.extraKiB)) / 1024).toFixed(2)} MiB (${memory.rows.length} fresh processes)` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(m.package)} benchmark ${esc(m.date)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:20px;color:#222;max-width:1360px}
h1{font-size:19px;margin:0 0 6px}h2{font-size:16px;margin:18px 0 6px}
.t{font-weight:600;font-size:13px}.lab{text-anchor:end;font-size:12px}.v{font-size:11px;fill:#333}
.ax{text-anchor:middle;font-size:11px;fill:#555}.ay{text-anchor:end;font-size:11px;fill:#555}
.grid{stroke:#e4e4e4}.ref{stroke:#c00;stroke-dasharray:4 3;stroke-width:1.5}.plot{fill:#fcfcfc;stroke:#ccc}
.legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.grid3{display:grid;grid-template-columns:repeat(3,440px);gap:10px}
table{border-collapse:collapse;font-size:13px}td{padding:2px 8px;border-bottom:1px solid #eee}
.pass{color:#1b7a1b;font-weight:700}.fail{color:#c00;font-weight:700}.na{color:#888}
.small{color:#555;font-size:12px}
</style></head><body>
<h1>${esc(m.package)}: engines vs the naive Math.log loop</h1>
<p class="small">automatic backend ${esc(m.backend)} · Node ${esc(m.node)} · ${esc(m.platform)} · ${esc(m.cpus)} · load ${esc((m.loadavg ?? []).map((x) => x.toFixed(2)).join(' '))} · ${esc(m.date)}<br>
medians of ${m.rounds} round${m.rounds > 1 ? 's' : ''} in one process; each ratio is naive ns/el ÷ case ns/el from the same round${m.scalarNote ? `; ${esc(m.scalarNote)}` : ''}.<br>
${init}${mem ? ` · ${esc(mem)}` : ''}${m.missingParallel?.length ? `<br>skipped: ${esc(m.missingParallel.join(', '))} missing in this build (no workers cases)` : ''}</p>
<h2>Targets</h2>
<table>${targetRows}</table>
<p class="legend">${legend}</p>
<h2>Speed-up vs the naive loop (red dashed line: 1x, the naive loop; higher is faster)</h2>
<div class="grid3">${panelsRatio.join('\n')}</div>
<h2>Time per element</h2>
<div class="grid3">${panelsNs.join('\n')}</div>
<h2>Batches</h2>
${bars}
</body></html>
`;
}
