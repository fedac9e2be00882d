/**
 * GET a JSON document with a timeout, for the exchanges' REST APIs. Errors say which URL failed
 * and how; a 429/418 carries the server's Retry-After so a caller can wait exactly that long.
 */
export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    /** Seconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds: number | undefined,
    body: string,
  ) {
    super(`GET ${url} answered ${status}${retryAfterSeconds === undefined ? '' : ` (retry after ${retryAfterSeconds} s)`}: ${body.slice(0, 200)}`);
    this.name = 'HttpStatusError';
  }
}

export const isHttpStatusError = (e: unknown): e is HttpStatusError => e instanceof HttpStatusError;

const retryAfterOf = (header: string | null): number | undefined => {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
};

type GetOptions = { timeoutMs: number; signal?: AbortSignal; headers?: Record<string, string> };

/** The body of a successful GET, as text (for decoders that read number literals as written). */
export const getText = async (url: string, options: GetOptions): Promise<string> => {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json', ...options.headers } });
  } catch (e) {
    const why = timeout.aborted ? `no answer within ${options.timeoutMs} ms` : e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    throw new Error(`GET ${url} failed: ${why}`);
  }
  const body = await res.text();
  if (!res.ok) throw new HttpStatusError(url, res.status, retryAfterOf(res.headers.get('retry-after')), body);
  return body;
};

/** The body parsed, and as text too (for decoders that read number literals as written). */
export const getJsonAndText = async (url: string, options: GetOptions): Promise<{ value: unknown; text: string }> => {
  const text = await getText(url, options);
  try {
    return { value: JSON.parse(text) as unknown, text };
  } catch {
    throw new Error(`GET ${url}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
};

export const getJson = async (url: string, options: GetOptions): Promise<unknown> => (await getJsonAndText(url, options)).value;
