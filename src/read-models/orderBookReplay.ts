/**
 * An order book as it stood at an instant, rebuilt from the lake: the digests the ledger holds for
 * the book (its index of lake files) are read back from the last one that began at or before the
 * instant until a snapshot at or before it is found; each file is hashed and compared with its
 * digest before a row of it is used (a file that does not match fails the whole answer, naming
 * the file and the digest). Then the rows from that snapshot through the instant are applied.
 * Rows past the last digest (the interval still open) come from the archive and are marked so.
 */
import { createHash } from 'node:crypto';
import type { BookDigestRecordedData } from '../domain/events/bookDigests.js';
import { LakeTamperedError } from '../domain/errors.js';
import { digestInput } from '../domain/orderbook/archive/bookDigest.js';
import { BookRowCodec, type BookRow } from '../domain/orderbook/archive/bookRow.js';
import { OrderBook } from '../domain/orderbook/orderBook.js';
import { BOOK_RULES, isBookExchange } from '../domain/orderbook/bookRules.js';
import type { BookLake, Ledger } from '../domain/ports.js';
import { BOOK_DIGEST_STREAM_PREFIX, bookDigestStream } from '../domain/streams.js';
import { DAY_MS } from '../domain/time.js';
import { validate } from '../domain/validation.js';
import { orderBookAnswer, type HeldBook, type OrderBookAnswer } from './orderBooks.js';

/** How many days back a replay looks for a book's last snapshot. */
const LOOKBACK_DAYS = 2;

export interface ReplayDeps {
  readonly ledger: Pick<Ledger, 'readStream' | 'streamsMatching'>;
  readonly lake: Pick<BookLake, 'readRows'>;
  /** Rows of a book not yet in a closed interval (the archive's open intervals), in order. */
  openRows(exchange: string, symbol: string): readonly BookRow[];
}

export interface ReplayQuery {
  readonly symbol: string;
  readonly exchange: string | undefined;
  readonly depth: number;
  readonly at: number;
}

/** What a replay of one exchange's book read and checked. */
export interface ReplayProof {
  readonly exchange: string;
  /** Lake files read, each with the ledger position of the digest it matched. */
  readonly files: ReadonlyArray<{ readonly file: string; readonly digestPosition: number; readonly sha256: string; readonly rows: number }>;
  /** Event time through which the rows applied came from digested files; later ones from the open interval. */
  readonly verifiedThrough: number | null;
  readonly openRowsApplied: number;
}

export type ReplayedOrderBooks = OrderBookAnswer & { readonly at: number; readonly proofs: ReplayProof[] };

export interface Digest extends BookDigestRecordedData {
  readonly position: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Event times of the days from `from` back LOOKBACK_DAYS through `to`, one a day, oldest first. */
const daysOf = (from: number, to: number): number[] => {
  const days: number[] = [];
  for (let t = to; t >= from - LOOKBACK_DAYS * DAY_MS; t -= DAY_MS) days.unshift(t);
  return days;
};

/** The book's digests of the days from `from`'s (back LOOKBACK_DAYS) through `to`'s, beginning by `to`, in the order they cover event time. */
const digestsOf = async (deps: ReplayDeps, exchange: string, symbol: string, from: number, to: number): Promise<Digest[]> => {
  const out: Digest[] = [];
  for (const t of daysOf(from, to)) {
    for (const e of await deps.ledger.readStream(bookDigestStream(exchange, symbol, t))) out.push({ ...(e.data as BookDigestRecordedData), position: e.position });
  }
  return out.filter((d) => d.firstEventTime <= to).sort((a, b) => a.intervalStart - b.intervalStart || a.position - b.position);
};

/** A file's rows, after its hash and count are checked against its digest. */
const verifiedRows = async (deps: ReplayDeps, d: Digest): Promise<BookRow[]> => {
  const texts = await deps.lake.readRows(d.file);
  if (texts === undefined) throw new LakeTamperedError(d.file, d.position, 'the file is missing');
  if (texts.length !== d.count) throw new LakeTamperedError(d.file, d.position, `${texts.length} rows, the digest says ${d.count}`);
  const hash = sha256(digestInput(texts));
  if (hash !== d.sha256) throw new LakeTamperedError(d.file, d.position, `SHA-256 ${hash}, the digest says ${d.sha256}`);
  return texts.map((text, i) => {
    const v = validate(BookRowCodec, JSON.parse(text));
    if (!v.ok) throw new LakeTamperedError(d.file, d.position, `row ${i + 1}: ${v.reason}`);
    return v.value;
  });
};

/** A book's rows over a span, from the lake (each file checked first) and the archive's open intervals. */
export interface BookRowsBetween {
  /** From the book's last snapshot at or before `from` (or its first, when it began after `from`) through `to`, in order. */
  readonly rows: BookRow[];
  /** The files read, with their digests. */
  readonly chain: ReadonlyArray<{ readonly digest: Digest; readonly rows: readonly BookRow[] }>;
  /** The open-interval rows through `to`. */
  readonly open: readonly BookRow[];
  /** The end of the last digested interval read: event time before which the digested files hold every row. */
  readonly digestedThrough: number | null;
}

/** The rows of one book from its last snapshot at or before `from` (or its first by `to`) through `to`; undefined when it has none by `to`. */
export const bookRowsBetween = async (deps: ReplayDeps, exchange: string, symbol: string, from: number, to: number): Promise<BookRowsBetween | undefined> => {
  const digests = await digestsOf(deps, exchange, symbol, from, to);
  const open = deps.openRows(exchange, symbol).filter((r) => r.data.eventTime <= to);
  // Files from the last that began by `to` back to the one holding the last snapshot by `from`.
  const chain: Array<{ digest: Digest; rows: BookRow[] }> = [];
  let found = open.some((r) => r.kind === 'bookSnapshot' && r.data.eventTime <= from);
  for (let i = digests.length - 1; i >= 0 && !found; i--) {
    const rows = await verifiedRows(deps, digests[i]!);
    chain.unshift({ digest: digests[i]!, rows });
    found = rows.some((r) => r.kind === 'bookSnapshot' && r.data.eventTime <= from);
  }
  const rows = [...chain.flatMap((c) => c.rows), ...open].filter((r) => r.data.eventTime <= to);
  let start = rows.length - 1;
  while (start >= 0 && !(rows[start]!.kind === 'bookSnapshot' && rows[start]!.data.eventTime <= from)) start--;
  // No snapshot by `from`: the book began within the span (its first snapshot is where it starts).
  if (start < 0) start = rows.findIndex((r) => r.kind === 'bookSnapshot');
  if (start < 0) return undefined;
  const last = digests.at(-1);
  return { rows: rows.slice(start), chain, open, digestedThrough: last === undefined ? null : last.intervalStart + last.intervalMs };
};

const replayOne = async (deps: ReplayDeps, exchange: string, symbol: string, at: number): Promise<{ held: HeldBook; proof: ReplayProof } | undefined> => {
  const found = await bookRowsBetween(deps, exchange, symbol, at, at);
  if (found === undefined) return undefined;
  const { rows, chain, open } = found;
  const book = new OrderBook(exchange, symbol, isBookExchange(exchange) ? BOOK_RULES[exchange]().depth : undefined);
  let sequence: number | undefined;
  for (const r of rows) {
    if (r.kind === 'bookSnapshot') book.replace(r.data.bids, r.data.asks);
    else book.change(r.data.bids, r.data.asks);
    sequence = r.data.sequence ?? sequence;
  }
  const fromFiles = chain.flatMap((c) => c.rows).filter((r) => r.data.eventTime <= at);
  return {
    held: { exchange, symbol, book, eventTime: rows.at(-1)!.data.eventTime, sequence },
    proof: {
      exchange,
      files: chain.map((c) => ({ file: c.digest.file, digestPosition: c.digest.position, sha256: c.digest.sha256, rows: c.digest.count })),
      verifiedThrough: fromFiles.at(-1)?.data.eventTime ?? null,
      openRowsApplied: open.filter((r) => rows.includes(r)).length,
    },
  };
};

/** Exchanges that have digests of `symbol` in the days from `from`'s (back LOOKBACK_DAYS) through `to`'s. */
export const bookExchangesOf = async (deps: Pick<ReplayDeps, 'ledger'>, symbol: string, from: number, to: number): Promise<string[]> => {
  const names = new Set<string>();
  for (const t of daysOf(from, to)) {
    const suffix = bookDigestStream('x', symbol, t).slice('book-digests/x'.length);
    for (const stream of await deps.ledger.streamsMatching(BOOK_DIGEST_STREAM_PREFIX, suffix)) names.add(stream.split('/')[1]!);
  }
  return [...names].sort();
};

export const replayOrderBooks = async (deps: ReplayDeps, q: ReplayQuery): Promise<ReplayedOrderBooks> => {
  const exchanges = q.exchange !== undefined ? [q.exchange] : await bookExchangesOf(deps, q.symbol, q.at, q.at);
  const replayed = (await Promise.all(exchanges.map((x) => replayOne(deps, x, q.symbol, q.at)))).filter((r) => r !== undefined);
  return { ...orderBookAnswer(q.symbol, replayed.map((r) => r.held), q.depth), at: q.at, proofs: replayed.map((r) => r.proof) };
};
