/**
 * PostgreSQL array literals for the ledger's batched append, built here rather than by pg's
 * generic encoder, which quotes every element (numbers included) with two regex passes: the
 * append's text arrays are most of its bytes, canonical JSON full of quotes, and that quoting was
 * the largest cost of recording after GC.
 *
 * Inside a quoted array element only `"` and `\` need a backslash, and JSON.stringify escapes
 * exactly those two (natively, in one pass) for any string without control characters or
 * surrogates; strings with those take the careful path.
 */
// Control characters are exactly what this must find.
// eslint-disable-next-line no-control-regex
const JSON_ESCAPES_DIFFERENTLY = /[\u0000-\u001f\ud800-\udfff]/;

const quoted = (s: string): string => (JSON_ESCAPES_DIFFERENTLY.test(s) ? `"${s.replace(/[\\"]/g, '\\$&')}"` : JSON.stringify(s));

/** `{"a","b\"c",NULL}` for a text[] parameter. */
export const textArrayLiteral = (values: ReadonlyArray<string | null>): string => {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i]!;
    out += v === null ? 'NULL' : quoted(v);
  }
  return out + '}';
};

/** `{1,2,3}` for an int[] parameter. */
export const intArrayLiteral = (values: readonly number[]): string => {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new Error(`not an integer for an int[] parameter: ${v}`);
  return `{${values.join(',')}}`;
};
