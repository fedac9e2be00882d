/**
 * Calls to the platform's API with the session's key. A 401 or 403 asks for a key (saying which
 * role the server wants) and tries once more; a route that does not exist yet is reported as
 * `missing`, so a page can say what will produce its data instead of failing.
 */
import { askForKey, currentKey } from './key.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** The route is not served by this platform (yet): a 404 naming no route. */
export const isMissingRoute = (e: unknown): boolean => e instanceof ApiError && e.status === 404 && /^no route /.test(e.message);

const headers = (extra: Record<string, string> = {}): Record<string, string> => {
  const key = currentKey();
  return key === null ? extra : { ...extra, authorization: `Bearer ${key}` };
};

const messageOf = (status: number, body: unknown): string => {
  const m = (body as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : `HTTP ${status}`;
};

export const request = async <T>(method: string, path: string, body?: unknown, triedKey = false): Promise<T> => {
  const r = await fetch(path, {
    method,
    headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if ((r.status === 401 || r.status === 403) && !triedKey) {
    if (await askForKey(messageOf(r.status, parsed))) return request<T>(method, path, body, true);
  }
  if (!r.ok) throw new ApiError(r.status, messageOf(r.status, parsed), parsed);
  return parsed as T;
};

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);
export const post = <T>(path: string, body: unknown): Promise<T> => request<T>('POST', path, body);
export const del = <T>(path: string): Promise<T> => request<T>('DELETE', path);

/** `/ws/...` on this host, carrying the key as `?key=` (a browser cannot set a WebSocket's headers). */
export const socketUrl = (path: string): string => {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const key = currentKey();
  if (key !== null) url.searchParams.set('key', key);
  return url.toString();
};
