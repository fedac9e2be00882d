/**
 * Markets: every symbol with its live price (over /ws/stream), change and volume over the last
 * 24 hours (5-minute candles, refreshed every minute), a sparkline, a search box and sortable columns.
 */
import { get } from '../api.js';
import { h, replace, errorBox } from '../dom.js';
import { compact, pct, price } from '../format.js';
import { LiveSocket } from '../live.js';
import { ohlcvPath, tradesOf, type OhlcvAnswer, type StreamMessage } from '../market.js';
import { every, type Cleanup } from '../page.js';
import { sparkline } from '../sparkline.js';

interface Row {
  readonly symbol: string;
  last: number | null;
  open24h: number | null;
  volume24h: number;
  closes: number[];
  readonly el: HTMLTableRowElement;
}

type SortKey = 'symbol' | 'last' | 'change' | 'volume';
const DAY_MS = 86_400_000;
const SPARK_MIN = 12;

const change = (r: Row): number | null => (r.last === null || r.open24h === null ? null : r.last / r.open24h - 1);

export default async function markets(root: HTMLElement): Promise<Cleanup> {
  const { symbols } = await get<{ symbols: string[] }>('/api/v1/symbols');
  const search = h('input', { type: 'search', id: 'market-search', placeholder: 'Search symbols', 'aria-label': 'Search symbols' });
  const body = h('tbody');
  let sort: { key: SortKey; dir: 1 | -1 } = { key: 'symbol', dir: 1 };
  const headButton = (key: SortKey, label: string): HTMLElement =>
    h('th', { scope: 'col', 'aria-sort': 'none', 'data-key': key }, h('button', { type: 'button', class: 'sort', onclick: () => setSort(key) }, label));
  const head = h('tr', {}, headButton('symbol', 'Symbol'), headButton('last', 'Last price'), headButton('change', '24h change'), headButton('volume', '24h volume (base)'), h('th', { scope: 'col' }, '24h'));
  const status = h('p', { class: 'muted' });
  replace(root, h('h1', {}, 'Markets'), h('div', { class: 'toolbar' }, search, status), h('div', { class: 'scroll' }, h('table', { class: 'markets' }, h('thead', {}, head), body)));
  if (symbols.length === 0) {
    replace(status, 'No symbols yet: the configured source (simulator, replay or an exchange) has recorded no trade.');
    return () => undefined;
  }

  const rows = new Map<string, Row>();
  for (const symbol of symbols) {
    const el = h('tr', { 'data-symbol': symbol });
    rows.set(symbol, { symbol, last: null, open24h: null, volume24h: 0, closes: [], el });
  }
  /** The price and change cells alone: what a trade changes. */
  const drawPrice = (r: Row): void => {
    const c = change(r);
    const [, last, changeCell] = r.el.children;
    if (last === undefined || changeCell === undefined) return draw(r);
    last.textContent = price(r.last);
    changeCell.textContent = pct(c);
    changeCell.className = `num ${c === null ? '' : c >= 0 ? 'up' : 'down'}`;
  };
  const draw = (r: Row): void => {
    replace(
      r.el,
      h('td', {}, h('a', { href: `#/symbol/${encodeURIComponent(r.symbol)}` }, r.symbol)),
      h('td', { class: 'num', 'data-field': 'last' }),
      h('td', { class: 'num', 'data-field': 'change' }),
      h('td', { class: 'num' }, compact(r.volume24h)),
      h('td', {}, sparkline(r.closes)),
    );
    drawPrice(r);
  };
  const order = (): void => {
    const value = (r: Row): number | string => (sort.key === 'symbol' ? r.symbol : sort.key === 'last' ? (r.last ?? -Infinity) : sort.key === 'change' ? (change(r) ?? -Infinity) : r.volume24h);
    const q = search.value.trim().toUpperCase();
    const shown = [...rows.values()].filter((r) => r.symbol.includes(q));
    shown.sort((a, b) => (value(a) < value(b) ? -sort.dir : value(a) > value(b) ? sort.dir : 0));
    body.replaceChildren(...shown.map((r) => r.el));
    for (const th of head.querySelectorAll('th[data-key]')) th.setAttribute('aria-sort', th.getAttribute('data-key') === sort.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none');
    status.textContent = `${shown.length.toLocaleString('en-US')} of ${rows.size.toLocaleString('en-US')} symbols`;
  };
  const setSort = (key: SortKey): void => {
    sort = { key, dir: sort.key === key ? (-sort.dir as 1 | -1) : key === 'symbol' ? 1 : -1 };
    order();
  };
  search.addEventListener('input', order);
  for (const r of rows.values()) draw(r);
  order();

  const refresh = async (): Promise<void> => {
    const now = Date.now();
    await Promise.all(
      [...rows.values()].map(async (r) => {
        const a = await get<OhlcvAnswer>(ohlcvPath(r.symbol, '5m', now - DAY_MS, now + 300_000));
        r.open24h = a.candles[0]?.open ?? null;
        r.volume24h = a.candles.reduce((v, c) => v + c.volume, 0);
        // A young market has too few 5-minute closes to draw: its last two hours of minutes instead.
        r.closes = a.candles.length >= SPARK_MIN ? a.candles.map((c) => c.close) : (await get<OhlcvAnswer>(ohlcvPath(r.symbol, '1m', now - 2 * 3_600_000, now + 60_000))).candles.map((c) => c.close);
        r.last ??= a.candles[a.candles.length - 1]?.close ?? null;
        draw(r);
      }),
    );
    order();
  };
  const stopRefresh = every(60_000, () =>
    refresh().catch((e: unknown) => {
      status.replaceWith(errorBox(`The candles could not be read: ${e instanceof Error ? e.message : String(e)}`));
    }),
  );

  // Live prices: repaint at most once per animation frame, whatever the trade rate.
  const dirty = new Set<Row>();
  let frame = 0;
  const paint = (): void => {
    frame = 0;
    for (const r of dirty) drawPrice(r);
    dirty.clear();
  };
  const sockets = symbols.map(
    (symbol) =>
      new LiveSocket(
        () => `/ws/stream/${encodeURIComponent(symbol)}`,
        (m) => {
          const trades = tradesOf(m as StreamMessage);
          const last = trades[trades.length - 1];
          const r = rows.get(symbol)!;
          if (last === undefined) return;
          r.last = Number(last.price);
          dirty.add(r);
          frame ||= requestAnimationFrame(paint);
        },
      ),
  );
  return () => {
    stopRefresh();
    cancelAnimationFrame(frame);
    for (const s of sockets) s.close();
  };
}
