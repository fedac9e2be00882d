/**
 * Answers of the analytics routes shown as labelled figures, whatever their exact shape, and the
 * empty state a page shows while the route that produces its data does not exist or has nothing yet.
 */
import { ApiError, get, isMissingRoute } from './api.js';
import { emptyState, errorBox, h } from './dom.js';
import { num, utc } from './format.js';
import { isServed } from './routes.js';

const TIME_KEYS = /(^|[a-z])(at|time|asOf|from|to|through|computedThrough|recordedAt)$/i;
const scalar = (key: string, v: unknown): string => {
  if (typeof v === 'number') return TIME_KEYS.test(key) && v > 1e12 ? utc(v) : num(v, Number.isInteger(v) ? 0 : Math.abs(v) < 1 ? 6 : 4);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (v === null) return '–';
  return JSON.stringify(v).slice(0, 200);
};

/** Scalars as a definition list, nested objects as nested lists (two levels), arrays summarised by length. */
export const figures = (value: unknown, depth = 0): HTMLElement => {
  if (typeof value !== 'object' || value === null) return h('span', {}, scalar('', value));
  const dl = h('dl', { class: 'figures' });
  for (const [k, v] of Object.entries(value)) {
    dl.append(h('dt', {}, k));
    if (Array.isArray(v)) dl.append(h('dd', {}, `${v.length.toLocaleString('en-US')} item(s)`));
    else if (typeof v === 'object' && v !== null && depth < 2) dl.append(h('dd', {}, figures(v, depth + 1)));
    else dl.append(h('dd', {}, scalar(k, v)));
  }
  return dl;
};

export type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly view: HTMLElement };

/**
 * Reads a route; when it is not served yet, or answers that there is nothing yet (404, 400 naming
 * missing data, 503), the view is an empty state naming `producer`, the part that makes the data.
 */
export const load = async <T>(path: string, title: string, producer: string): Promise<Loaded<T>> => {
  try {
    if (!(await isServed(path))) return { ok: false, view: emptyState(`${title}: not served by this platform yet`, `${producer} (${path.split('?')[0]}).`) };
    return { ok: true, value: await get<T>(path) };
  } catch (e) {
    if (isMissingRoute(e)) return { ok: false, view: emptyState(`${title}: not served by this platform yet`, `${producer} (${path.split('?')[0]}).`) };
    if (e instanceof ApiError && (e.status === 404 || e.status === 400 || e.status === 503 || e.status === 409)) return { ok: false, view: emptyState(`${title}: nothing yet`, `${e.message}. ${producer}.`) };
    return { ok: false, view: errorBox(`${title}: ${e instanceof Error ? e.message : String(e)}`) };
  }
};
