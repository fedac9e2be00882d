/**
 * Whether an Accept-Encoding header (RFC 9110 §12.5.3) takes gzip: listed as `gzip`, `x-gzip`
 * or `*` with a quality above 0, and not refused by a `gzip;q=0` of its own.
 */
export const acceptsGzip = (header: string | undefined): boolean => {
  if (header === undefined || header === '') return false;
  let named: boolean | undefined;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    const takes = Number.isFinite(quality) && quality > 0;
    const name = coding.trim();
    if (name === 'gzip' || name === 'x-gzip') named = (named ?? false) || takes;
    else if (name === '*') wildcard = takes;
  }
  return named ?? wildcard;
};
