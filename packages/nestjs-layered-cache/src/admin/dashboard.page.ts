/**
 * The live dashboard: one page, no build step. It holds no data itself; it asks for the admin token
 * once (kept in sessionStorage) and polls the guarded JSON routes. Charts use uPlot, served from
 * node_modules by the admin controller (no CDN).
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cache dashboard</title>
<link rel="stylesheet" href="./dashboard/uplot.css">
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #222; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1rem; }
  .card { border: 1px solid #ddd; border-radius: 6px; padding: .8rem; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 2px 6px; border-bottom: 1px solid #eee; }
  #login[hidden], #main[hidden] { display: none; } .err { color: #b00; }
  .kpi { display: inline-block; margin-right: 1.5rem; } .kpi b { font-size: 1.2rem; display: block; }
</style>
</head>
<body>
<h1>Cache dashboard</h1>
<form id="login" hidden>
  <label>Admin token <input id="token" type="password" size="48" autocomplete="off"></label>
  <button>Open</button> <span class="err" id="login-error"></span>
</form>
<div id="main" hidden>
  <div class="card" id="kpis"></div>
  <div class="grid">
    <div class="card"><h2>Hit rate per layer</h2><div id="chart-hit-rate" class="chart"></div></div>
    <div class="card"><h2>Reads per second</h2><div id="chart-requests" class="chart"></div></div>
    <div class="card"><h2>L1 size and limit (MiB)</h2><div id="chart-l1" class="chart"></div></div>
    <div class="card"><h2>Top key groups</h2><table id="groups"></table></div>
    <div class="card"><h2>Recent invalidations</h2><table id="invalidations"></table></div>
    <div class="card" id="warm-card" hidden><h2>Warm jobs</h2><table id="warm-jobs"></table></div>
    <div class="card" id="wb-card" hidden><h2>Write-behind</h2><table id="wb"></table></div>
  </div>
</div>
<script src="./dashboard/uplot.js"></script>
<script>
(() => {
  const KEY = 'cacheAdminToken';
  const charts = {};
  const $ = (id) => document.getElementById(id);
  const esc = (v) => String(v).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const pct = (v) => (v == null ? '–' : (v * 100).toFixed(1) + '%');

  async function api(path) {
    const res = await fetch('./' + path, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) } });
    if (res.status === 401 || res.status === 403) { sessionStorage.removeItem(KEY); showLogin('Token refused (' + res.status + ')'); throw new Error('auth'); }
    return res.json();
  }

  function chart(id, series, data, opts) {
    const el = $(id);
    el.dataset.points = String(data[0].length);
    if (charts[id]) { charts[id].setData(data); return; }
    charts[id] = new uPlot({ width: 420, height: 200, series: [{}, ...series], axes: [{}, opts || {}] }, data, el);
  }

  async function refresh() {
    const [history, stats] = await Promise.all([api('stats/history'), api('stats')]);
    const t = history.map((s) => s.at / 1000);
    const v = (f) => history.map((s) => { const x = f(s); return x == null ? null : x; });
    chart('chart-hit-rate', [
      { label: 'overall', stroke: '#1f77b4' }, { label: 'L1', stroke: '#2ca02c' }, { label: 'L2 (of L1 misses)', stroke: '#ff7f0e' },
    ], [t, v((s) => s.hitRate), v((s) => s.l1HitRate), v((s) => s.l2HitRate)]);
    chart('chart-requests', [{ label: 'reads/s', stroke: '#9467bd' }, { label: 'invalidations/s', stroke: '#d62728' }],
      [t, v((s) => s.requestsPerSecond), v((s) => s.invalidationsPerSecond)]);
    const mib = (b) => Math.round((b / 1048576) * 100) / 100;
    chart('chart-l1', [{ label: 'used', stroke: '#17becf' }, { label: 'limit', stroke: '#7f7f7f', dash: [4, 4] }],
      [t, v((s) => mib(s.l1Bytes)), v((s) => mib(s.l1MaxBytes))]);
    $('kpis').innerHTML = [
      ['hit rate', pct(stats.reads.hitRate)], ['reads', stats.reads.total], ['L1 entries', stats.l1 ? stats.l1.entries : '–'],
      ['Redis', stats.l2 ? (stats.l2.failing ? 'failing' : 'up') : 'off'], ['bus', stats.bus ? (stats.bus.trusted ? 'subscribed' : 'down') : 'off'],
      ['HTTP hit rate', pct(stats.http.hitRate)], ['uptime', stats.uptimeSeconds + ' s'],
    ].map(([k, x]) => '<span class="kpi">' + esc(k) + '<b>' + esc(x) + '</b></span>').join('');
    $('groups').innerHTML = '<tr><th>group</th><th>reads</th><th>hit rate</th><th>sets</th></tr>' + stats.topGroups
      .map((g) => '<tr><td>' + esc(g.group) + '</td><td>' + (g.hits + g.staleHits + g.misses) + '</td><td>' + pct(g.hitRate) + '</td><td>' + g.sets + '</td></tr>').join('');
    $('invalidations').innerHTML = '<tr><th>at</th><th>kind</th><th>source</th><th>what</th></tr>' + stats.recentInvalidations
      .map((i) => '<tr><td>' + esc(i.at.slice(11, 19)) + '</td><td>' + esc(i.kind) + '</td><td>' + esc(i.source) + '</td><td>' + esc(i.what) + '</td></tr>').join('');
  }

  /** Warm jobs, when the warming module is there (404 otherwise: the card stays hidden). */
  async function refreshWarm() {
    const res = await fetch('./warm', { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) } });
    if (!res.ok) return;
    const jobs = await res.json();
    $('warm-card').hidden = false;
    $('warm-jobs').innerHTML = '<tr><th>warmer</th><th>state</th><th>progress</th></tr>' + (jobs.length ? jobs
      .map((j) => '<tr><td>' + esc(j.warmer) + '</td><td>' + esc(j.state) + '</td><td><progress max="100" value="' + Number(j.progress) + '"></progress> ' + Number(j.progress) + '%</td></tr>').join('')
      : '<tr><td colspan="3">none running</td></tr>');
  }

  /** Write-behind queues, when the module is there. */
  async function refreshWriteBehind() {
    const res = await fetch('./write-behind', { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) } });
    if (!res.ok) return;
    const state = await res.json();
    $('wb-card').hidden = false;
    $('wb').innerHTML = '<tr><th>entity</th><th>pending rows</th><th>oldest</th><th>in flight</th><th>dead</th></tr>' + state.entities
      .map((e) => '<tr><td>' + esc(e.entity) + '</td><td>' + e.pendingRows + '</td><td>' + (e.oldestMs == null ? '–' : (e.oldestMs / 1000).toFixed(1) + ' s') + '</td><td>' + e.batches + '</td><td>' + e.dead + '</td></tr>').join('');
  }

  function showLogin(message) { $('main').hidden = true; $('login').hidden = false; $('login-error').textContent = message || ''; }
  async function start() {
    $('login').hidden = true; $('main').hidden = false;
    try { await refresh(); } catch (e) { return; }
    const extras = () => { refreshWarm().catch(() => {}); refreshWriteBehind().catch(() => {}); };
    extras();
    setInterval(() => { refresh().catch(() => {}); extras(); }, 2000);
  }
  $('login').addEventListener('submit', (e) => { e.preventDefault(); sessionStorage.setItem(KEY, $('token').value); start(); });
  if (sessionStorage.getItem(KEY)) start(); else showLogin();
})();
</script>
</body>
</html>
`;
