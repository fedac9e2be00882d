/** The dashboard: one self-contained page (no build step, no CDN), live over WebSocket. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tickvault</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:14px system-ui,sans-serif;margin:0;background:#0f1419;color:#d8dee9}
 header{display:flex;gap:16px;align-items:center;padding:10px 16px;background:#1b222c}
 h1{font-size:18px;margin:0} select{font-size:14px}
 main{display:grid;grid-template-columns:1fr 320px;gap:16px;padding:16px}
 canvas{width:100%;height:320px;background:#131a22;border-radius:6px}
 table{width:100%;border-collapse:collapse} td{padding:3px 6px;border-bottom:1px solid #243040}
 .ok{color:#8fbc8f}.bad{color:#e06c75}.muted{color:#7b8794}
 .critical{color:#e06c75}.warning{color:#ebcb8b}.info{color:#88c0d0}
 #alerts{max-height:320px;overflow:auto;display:block} button,input{font-size:13px}
</style></head><body>
<header><h1>tickvault</h1><select id="symbol"></select><span id="price" style="font-size:20px"></span>
<span id="verify" class="muted">ledger: checking…</span></header>
<main><section><h3>Live trades</h3><canvas id="live" width="900" height="320"></canvas>
<h3>1-minute candles (merged batch ∪ speed)</h3><canvas id="candles" width="900" height="320"></canvas>
<div id="layers" class="muted"></div></section>
<aside><h3>Realtime</h3><table id="stats"></table>
<h3>Alerts <span id="alertState" class="muted"></span></h3><table id="alerts"></table>
<h3>Alert rules</h3><table id="rules"></table>
<form id="levelForm">price level on <b id="levelSymbol"></b>: <input id="level" size="10" placeholder="price" required>
<button>add rule</button> <span id="levelMsg" class="muted"></span></form></aside></main>
<script>
const $ = (id) => document.getElementById(id);
let ws, points = [];
function drawLine(canvas, values) {
  const g = canvas.getContext('2d'); g.clearRect(0, 0, canvas.width, canvas.height);
  if (values.length < 2) return;
  const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
  g.strokeStyle = '#88c0d0'; g.beginPath();
  values.forEach((v, i) => { const x = i / (values.length - 1) * canvas.width, y = canvas.height - (v - lo) / span * (canvas.height - 20) - 10; i ? g.lineTo(x, y) : g.moveTo(x, y); });
  g.stroke(); g.fillStyle = '#7b8794'; g.fillText(hi.toPrecision(7), 4, 12); g.fillText(lo.toPrecision(7), 4, canvas.height - 4);
}
function drawCandles(canvas, candles) {
  const g = canvas.getContext('2d'); g.clearRect(0, 0, canvas.width, canvas.height);
  if (!candles.length) return;
  const lo = Math.min(...candles.map(c => c.low)), hi = Math.max(...candles.map(c => c.high)), span = hi - lo || 1;
  const w = canvas.width / candles.length, y = (v) => canvas.height - (v - lo) / span * (canvas.height - 20) - 10;
  candles.forEach((c, i) => {
    g.strokeStyle = g.fillStyle = c.close >= c.open ? '#8fbc8f' : '#e06c75';
    const x = i * w + w / 2; g.beginPath(); g.moveTo(x, y(c.high)); g.lineTo(x, y(c.low)); g.stroke();
    g.fillRect(i * w + 1, Math.min(y(c.open), y(c.close)), Math.max(w - 2, 1), Math.max(Math.abs(y(c.open) - y(c.close)), 1));
  });
}
async function loadCandles(symbol) {
  const to = Date.now(), from = to - 3 * 3600e3;
  const r = await fetch('/api/v1/ohlcv/' + symbol + '?interval=1m&from=' + from + '&to=' + to);
  if (!r.ok) return;
  const a = await r.json(); drawCandles($('candles'), a.candles.slice(-180));
  $('layers').textContent = 'served by: ' + a.sources.map(s => s.layer + ' ' + (s.fromIso||'').slice(11,16) + '–' + (s.toIso||'').slice(11,16)).join(', ') + (a.gaps.length ? ' · gaps: ' + a.gaps.length : '');
}
async function loadStats(symbol) {
  const r = await fetch('/api/v1/realtime/' + symbol); if (!r.ok) return;
  const a = await r.json();
  $('stats').innerHTML = a.exchanges.map(e => '<tr><td colspan=2><b>' + e.exchange + '</b></td></tr>' +
    '<tr><td>last</td><td>' + (e.last ? e.last.price : '-') + '</td></tr>' +
    '<tr><td>VWAP 1h</td><td>' + (e.stats.vwap ?? '-') + '</td></tr>' +
    '<tr><td>realised vol</td><td>' + (e.stats.realizedVolatility == null ? '-' : (e.stats.realizedVolatility * 100).toFixed(1) + '%') + '</td></tr>' +
    '<tr><td>return z</td><td>' + (e.stats.returnZScore == null ? '-' : e.stats.returnZScore.toFixed(2)) + '</td></tr>' +
    '<tr><td>late events</td><td>' + e.lateEvents + '</td></tr>').join('');
}
function watch(symbol) {
  if (ws) ws.close(); points = [];
  ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/stream/' + symbol);
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === 'trades') for (const t of msg.trades) { points.push(Number(t.trade.price)); $('price').textContent = t.trade.price; }
    if (points.length > 600) points = points.slice(-600);
    drawLine($('live'), points);
  };
  loadCandles(symbol); loadStats(symbol); $('levelSymbol').textContent = symbol;
}
// Alerts: the newest from the API, then live over /ws/alerts from the last position seen, so a
// reconnect misses nothing and repeats nothing.
const alertRows = new Map();
let lastAlertPosition = 0;
function esc(x) { return String(x).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]); }
function showAlerts() {
  const rows = [...alertRows.values()].sort((a, b) => b.position - a.position).slice(0, 50);
  $('alerts').innerHTML = rows.map(a => '<tr><td class="' + esc(a.severity) + '">' + esc(a.severity) + '</td><td>' + esc(a.symbol) +
    '</td><td title="' + esc(a.message) + '">' + esc(a.detector) + (a.resolved ? ' <span class="muted">(resolved)</span>' : '') +
    '</td><td class="muted">' + new Date(a.eventTime).toISOString().slice(11, 19) + '</td></tr>').join('') || '<tr><td class="muted">none yet</td></tr>';
}
function followAlerts() {
  const s = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/alerts?from=' + lastAlertPosition);
  s.onopen = () => { $('alertState').textContent = 'live'; };
  s.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === 'alert-raised') alertRows.set(msg.alert.alertId, { ...msg.alert, position: msg.position, resolved: null });
    if (msg.type === 'alert-resolved') { const a = alertRows.get(msg.resolution.alertId); if (a) a.resolved = msg.resolution; }
    if (msg.position > lastAlertPosition) lastAlertPosition = msg.position;
    showAlerts();
  };
  s.onclose = () => { $('alertState').textContent = 'reconnecting…'; setTimeout(followAlerts, 2000); };
}
async function loadRules() {
  const { rules } = await (await fetch('/api/v1/alert-rules')).json();
  $('rules').innerHTML = rules.filter(r => !r.retired).map(r => '<tr><td>' + esc(r.detector) + '</td><td>' +
    esc(Array.isArray(r.symbols) ? r.symbols.join(',') : r.symbols) + '</td><td class="' + esc(r.severity) + '">' + esc(r.severity) +
    '</td><td><button data-rule="' + esc(r.ruleId) + '">retire</button></td></tr>').join('');
  for (const b of $('rules').querySelectorAll('button')) b.onclick = async () => {
    await fetch('/api/v1/alert-rules/' + encodeURIComponent(b.dataset.rule), { method: 'DELETE' }); loadRules();
  };
}
$('levelForm').onsubmit = async (e) => {
  e.preventDefault();
  const r = await fetch('/api/v1/alert-rules', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ detector: 'price-level', symbols: [$('symbol').value], params: { level: Number($('level').value) }, severity: 'warning' }) });
  const body = await r.json();
  $('levelMsg').textContent = r.ok ? 'rule ' + body.ruleId + ' added' : body.message;
  loadRules();
};
setInterval(() => { const s = $('symbol').value; if (s) { loadCandles(s); loadStats(s); } }, 5000);
(async () => {
  const { symbols } = await (await fetch('/api/v1/symbols')).json();
  $('symbol').innerHTML = symbols.map(s => '<option>' + s + '</option>').join('');
  $('symbol').onchange = () => watch($('symbol').value);
  if (symbols.length) watch(symbols[0]);
  const recent = await (await fetch('/api/v1/alerts?limit=50')).json();
  for (const a of recent.alerts) alertRows.set(a.alertId, a);
  lastAlertPosition = recent.throughPosition ?? 0;
  showAlerts(); followAlerts(); loadRules();
  showVerification();
})();
// Verification runs on the server, in the background: the page only reads its status.
async function showVerification() {
  const v = await (await fetch('/api/v1/ledger/verify')).json();
  const last = v.lastVerified;
  $('verify').textContent = !v.ok ? 'ledger BROKEN at ' + v.failure.position + ': ' + v.failure.reason
    : v.state === 'verifying' && v.progress ? 'ledger: verifying ' + v.progress.verified + '/' + v.progress.total + (last ? ' (verified through ' + last.size + ')' : '')
    : last ? 'ledger verified through ' + last.size + ' events at ' + new Date(last.verifiedAt).toLocaleTimeString() : 'ledger: verifying…';
  $('verify').className = v.ok ? (last ? 'ok' : 'muted') : 'bad';
  setTimeout(showVerification, v.state === 'verifying' ? 2000 : 60000);
}
</script></body></html>`;
