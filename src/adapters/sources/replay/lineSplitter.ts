/**
 * Splits a byte stream into text lines, a chunk at a time: each yield is the complete lines of
 * one read (a few hundred), so a consumer awaits once per chunk rather than once per line.
 *
 * Memory stays bounded whatever the input: a "line" longer than `maxLength` (a binary file,
 * a missing newline) is not accumulated but reported as a TooLongLine with its first
 * characters, and the rest of it is dropped up to the next newline.
 */
import type { Readable } from 'node:stream';

export class TooLongLine {
  constructor(
    readonly head: string,
    readonly length: number,
  ) {}
}

export type Line = string | TooLongLine;

export const MAX_LINE_LENGTH = 1 << 20;
const HEAD_LENGTH = 256;

const withoutCr = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

export async function* splitLines(data: Readable, maxLength = MAX_LINE_LENGTH): AsyncGenerator<Line[]> {
  data.setEncoding('utf8'); // decodes multi-byte characters split across chunks correctly
  let carry = '';
  let overlong = -1; // ≥ 0 while dropping the rest of a too-long line: its length so far
  let overlongHead = '';
  for await (const chunk of data as AsyncIterable<string>) {
    const lines: Line[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (overlong >= 0) {
        lines.push(new TooLongLine(overlongHead, overlong + piece.length));
        overlong = -1;
        overlongHead = '';
        continue;
      }
      lines.push(withoutCr(carry + piece));
      carry = '';
    }
    const rest = chunk.slice(start);
    if (overlong >= 0) overlong += rest.length;
    else {
      carry += rest;
      if (carry.length > maxLength) {
        overlong = carry.length;
        overlongHead = carry.slice(0, HEAD_LENGTH);
        carry = '';
      }
    }
    if (lines.length > 0) yield lines;
  }
  if (overlong >= 0) yield [new TooLongLine(overlongHead, overlong)];
  else if (carry !== '') yield [withoutCr(carry)];
}
