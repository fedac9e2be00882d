/**
 * The book signals' saved state, in the snapshot store under one name: the fold (its rules and
 * every detector's state), the ledger position its rules were read through (with that event's
 * hash: a snapshot of another ledger is refused), the alerts raised but not yet recorded, and,
 * per book and open interval of the archive, how many rows of it the fold had seen. On start the
 * archive's journal entries past those counts are the rows to fold again: the state is saved in
 * the archive's turn before any interval is closed, so an interval that has left the journal
 * holds no row the saved state has not seen.
 *
 * A snapshot that cannot be used (another version, another ledger, unreadable) is logged with the
 * reason and the signals start empty, as before there was a snapshot.
 */
import { decodeSnapshot, encodeSnapshot } from '../domain/detectors/snapshotCodec.js';
import type { AlertOutput } from '../domain/detectors/alertFold.js';
import { readArray, readCount, readObject, readString, SavedStateError, isSavedStateError } from '../domain/detectors/savedState.js';
import { AlertRaisedData, AlertResolvedData } from '../domain/events/signals.js';
import { BOOK_SIGNAL_FOLD_VERSION, restoreBookSignalFold, type BookSignalFold } from '../domain/orderbook/signals/bookSignalFold.js';
import type { Ledger, SnapshotStore } from '../domain/ports.js';
import { validate } from '../domain/validation.js';
import type { AlertEngineLog } from '../projections/alerts/foldSnapshots.js';

export const BOOK_SIGNALS_SNAPSHOT = 'book-signals';

/** Rows of each book's open intervals the state has seen. */
export interface CoveredRows {
  get(exchange: string, symbol: string, intervalStart: number): number | undefined;
}

export interface BookSignalState {
  readonly fold: BookSignalFold;
  readonly rulesThrough: number;
  readonly unrecorded: readonly AlertOutput[];
  readonly covered: CoveredRows;
}

type SavedCounts = Array<[exchange: string, symbol: string, counts: Array<[intervalStart: number, rows: number]>]>;

/** The rows each book's open intervals hold now. */
export const coveredRows = (books: Iterable<{ readonly exchange: string; readonly symbol: string; readonly open: ReadonlyMap<number, readonly unknown[]> }>): SavedCounts =>
  [...books].filter((b) => b.open.size > 0).map((b) => [b.exchange, b.symbol, [...b.open].map(([start, rows]) => [start, rows.length])]);

const readCovered = (u: unknown): CoveredRows => {
  const counts = new Map<string, number>();
  const key = (exchange: string, symbol: string, start: number): string => `${exchange}/${symbol}/${start}`;
  readArray(u, 'covered').forEach((b, i) => {
    const a = readArray(b, `covered[${i}]`);
    const [exchange, symbol] = [readString(a[0], `covered[${i}][0]`), readString(a[1], `covered[${i}][1]`)];
    readArray(a[2], `covered[${i}][2]`).forEach((c, j) => {
      const pair = readArray(c, `covered[${i}][2][${j}]`);
      counts.set(key(exchange, symbol, readCount(pair[0], `covered[${i}][2][${j}][0]`)), readCount(pair[1], `covered[${i}][2][${j}][1]`));
    });
  });
  return { get: (exchange, symbol, start) => counts.get(key(exchange, symbol, start)) };
};

const readAlert = (u: unknown, path: string): AlertOutput => {
  const o = readObject(u, path);
  const causeEventId = o['causeEventId'] === null ? null : readString(o['causeEventId'], `${path}.causeEventId`);
  if (o['type'] === 'AlertRaised') {
    const d = validate(AlertRaisedData, o['data'], `${path}.data`);
    if (d.ok) return { type: 'AlertRaised', data: d.value, causeEventId };
    throw new SavedStateError(`${path}.data`, `an alert raised (${d.reason})`, o['data']);
  }
  if (o['type'] === 'AlertResolved') {
    const d = validate(AlertResolvedData, o['data'], `${path}.data`);
    if (d.ok) return { type: 'AlertResolved', data: d.value, causeEventId };
    throw new SavedStateError(`${path}.data`, `an alert resolved (${d.reason})`, o['data']);
  }
  throw new SavedStateError(`${path}.type`, '"AlertRaised" or "AlertResolved"', o['type']);
};

const checkpointHash = async (ledger: Pick<Ledger, 'read'>, position: number): Promise<string | undefined> => {
  if (position === 0) return '';
  const [e] = await ledger.read(position - 1, 1);
  return e?.position === position ? e.leafHash : undefined;
};

export const loadBookSignalState = async (deps: { readonly ledger: Pick<Ledger, 'read'>; readonly snapshots: SnapshotStore }, log: AlertEngineLog): Promise<BookSignalState | undefined> => {
  const fresh = (why: string, err?: unknown): undefined => {
    log.warn(`book signals: ${why}; starting their detectors empty`, err);
    return undefined;
  };
  let stored;
  try {
    stored = await deps.snapshots.load(BOOK_SIGNALS_SNAPSHOT);
  } catch (e) {
    return fresh(`cannot read their snapshot "${BOOK_SIGNALS_SNAPSHOT}"`, e);
  }
  if (stored === undefined) return undefined;
  if (stored.version !== BOOK_SIGNAL_FOLD_VERSION) return fresh(`their snapshot is of version ${stored.version}, this fold is of version ${BOOK_SIGNAL_FOLD_VERSION}`);
  if ((await checkpointHash(deps.ledger, stored.checkpoint)) !== stored.checkpointHash) return fresh(`their snapshot's rules position ${stored.checkpoint} does not match this ledger`);
  const decoded = decodeSnapshot(stored.state);
  if (!decoded.ok) return fresh(`their snapshot is unusable: ${decoded.reason}`);
  try {
    const o = readObject(decoded.value, 'root');
    const fold = restoreBookSignalFold(o['fold']);
    if (!fold.ok) return fresh(`their snapshot is unusable: ${fold.reason}`);
    const unrecorded = readArray(o['unrecorded'], 'unrecorded').map((a, i) => readAlert(a, `unrecorded[${i}]`));
    log.info(`book signals: resumed from their snapshot (rules through ledger position ${stored.checkpoint}, ${unrecorded.length} alerts to record)`);
    return { fold: fold.fold, rulesThrough: stored.checkpoint, unrecorded, covered: readCovered(o['covered']) };
  } catch (e) {
    if (isSavedStateError(e)) return fresh(`their snapshot is unusable: ${e.message}`);
    throw e;
  }
};

export const saveBookSignalState = async (
  deps: { readonly ledger: Pick<Ledger, 'read'>; readonly snapshots: SnapshotStore },
  log: AlertEngineLog,
  s: { readonly fold: BookSignalFold; readonly rulesThrough: number; readonly unrecorded: readonly AlertOutput[]; readonly covered: SavedCounts },
): Promise<boolean> => {
  // Taken before any await: the fold, the alerts and the counts of one moment.
  const state = encodeSnapshot({ fold: s.fold.snapshot(), unrecorded: s.unrecorded, covered: s.covered });
  try {
    const hash = await checkpointHash(deps.ledger, s.rulesThrough);
    if (hash === undefined) throw new Error(`no ledger event at the rules' position ${s.rulesThrough}`);
    await deps.snapshots.save(BOOK_SIGNALS_SNAPSHOT, { checkpoint: s.rulesThrough, checkpointHash: hash, version: BOOK_SIGNAL_FOLD_VERSION, state });
    return true;
  } catch (e) {
    log.warn(`book signals: saving their snapshot failed; intervals stay open until it succeeds`, e);
    return false;
  }
};
