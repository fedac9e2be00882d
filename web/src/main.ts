/**
 * The dashboard's shell: the header with the pages, the live-connection badge and the key, and a
 * hash router (`#/symbol/BTC-USDT`) that loads each page's code when it is first opened.
 */
import './style.css';
import { h, errorBox, replace } from './dom.js';
import { currentKey, forgetKey } from './key.js';
import { onLiveState } from './live.js';
import type { Cleanup, Page } from './page.js';

interface Route {
  readonly path: string;
  readonly title: string;
  readonly load: () => Promise<{ default: Page }>;
  readonly inNav: boolean;
}

const ROUTES: readonly Route[] = [
  { path: 'markets', title: 'Markets', load: () => import('./pages/markets.js'), inNav: true },
  { path: 'symbol', title: 'Symbol', load: () => import('./pages/symbol.js'), inNav: false },
  { path: 'alerts', title: 'Alerts', load: () => import('./pages/alerts.js'), inNav: true },
  { path: 'risk', title: 'Risk', load: () => import('./pages/risk.js'), inNav: true },
  { path: 'portfolio', title: 'Portfolio', load: () => import('./pages/portfolio.js'), inNav: true },
  { path: 'network', title: 'Network', load: () => import('./pages/network.js'), inNav: true },
  { path: 'models', title: 'Models', load: () => import('./pages/models.js'), inNav: true },
  { path: 'backtests', title: 'Backtests', load: () => import('./pages/backtests.js'), inNav: true },
  { path: 'compliance', title: 'Compliance', load: () => import('./pages/compliance.js'), inNav: true },
  { path: 'reports', title: 'Reports', load: () => import('./pages/reports.js'), inNav: true },
];

const nav = h('nav', { 'aria-label': 'Pages' }, ...ROUTES.filter((r) => r.inNav).map((r) => h('a', { href: `#/${r.path}`, 'data-page': r.path }, r.title)));
const badge = h('span', { class: 'badge', id: 'live-state', role: 'status', 'aria-live': 'polite' }, 'connecting');
const keyButton = h('button', { type: 'button', id: 'key-button', class: 'link' }, '');
const showKeyState = (): void => {
  keyButton.textContent = currentKey() === null ? 'no key' : 'forget key';
  keyButton.title = currentKey() === null ? 'A key is asked for when a page needs one' : 'Forget the key this tab holds';
};
keyButton.addEventListener('click', () => {
  forgetKey();
  showKeyState();
});
const main = h('main', { id: 'page', tabindex: '-1' });
document.body.append(
  h('a', { href: '#page', class: 'skip' }, 'Skip to content'),
  h('header', {}, h('a', { href: '#/markets', class: 'brand' }, 'tickvault'), nav, h('span', { class: 'spacer' }), badge, keyButton),
  main,
);
onLiveState((state, dropped) => {
  badge.textContent = state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'connection lost: reconnecting…';
  badge.className = `badge ${state}`;
  badge.title = `${dropped} dropped connection(s) since the page loaded`;
});

let cleanup: Cleanup = () => undefined;
let generation = 0;

const route = async (): Promise<void> => {
  const [path = 'markets', ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const found = ROUTES.find((r) => r.path === path) ?? ROUTES[0]!;
  const mine = ++generation;
  cleanup();
  cleanup = () => undefined;
  for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', a.dataset['page'] === found.path);
  document.title = `${found.title}${args[0] === undefined ? '' : ` ${args[0]}`} · tickvault`;
  const root = h('div', { class: 'page', 'data-page': found.path });
  replace(main, root);
  showKeyState();
  try {
    const page = (await found.load()).default;
    if (mine !== generation) return;
    const stop = await page(root, args);
    if (mine !== generation) stop();
    else cleanup = stop;
  } catch (e) {
    if (mine === generation) replace(root, errorBox(e instanceof Error ? e.message : String(e)));
  } finally {
    showKeyState();
  }
};

window.addEventListener('hashchange', () => void route());
void route();
