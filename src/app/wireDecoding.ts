/**
 * The exchanges' wire decoders by name, for `tickvault decode`: each raw message becomes the
 * canonical event the platform would record, a rejection with its reason, or a skip (a valid
 * message that carries no market fact). The decoders are the live sources' own. A line of a
 * websocket recording is read as the importer reads it: its receive-time prefix (`<ns> ` or
 * `<unix seconds>: `) is taken off and cryptofeed's session header skipped, so a recording can be
 * piped in as it is.
 */
import { splitRecordingLine } from '../adapters/sources/replay/wsRecordingLine.js';
import { RECONNECT, SKIPPED, decodedItems } from '../adapters/sources/wire/decoded.js';
import { EXCHANGE_DECODERS } from '../adapters/sources/wire/exchangeDecoders.js';
import { EVENT_TYPE_OF_KIND } from '../commands/recordObservations.js';

export type DecodedLine =
  | { readonly kind: 'event'; readonly type: string; readonly data: unknown }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'skipped' };

/**
 * What `decode` calls each kind of item: the ledger event it becomes, and for book snapshots and
 * updates (which reach the lake, not the ledger, one by one) the canonical book event's name.
 */
const DECODED_TYPE = { ...EVENT_TYPE_OF_KIND, bookSnapshot: 'BookSnapshot', bookUpdate: 'BookUpdate' } as const;

export const WIRE_EXCHANGES: readonly string[] = Object.keys(EXCHANGE_DECODERS);

/**
 * A decoder of one exchange's messages (a fresh one: it may keep state across the lines of one
 * stream), or undefined for an exchange without one. A message may carry several trades.
 */
export const wireDecoder = (exchange: string): ((line: string) => readonly DecodedLine[]) | undefined => {
  const make = EXCHANGE_DECODERS[exchange];
  if (make === undefined) return undefined;
  const decode = make();
  return (line) => {
    const recorded = splitRecordingLine(line);
    if (recorded?.kind === 'session-header') return [{ kind: 'skipped' }];
    const decoded = decode(recorded === undefined ? line : recorded.json);
    // A reconnect request carries no fact: in a file it is a message like any other skipped one.
    if (decoded === SKIPPED || decoded === RECONNECT) return [{ kind: 'skipped' }];
    return decodedItems(decoded).map((item): DecodedLine =>
      item.kind === 'rejected' ? { kind: 'rejected', reason: item.reason } : { kind: 'event', type: DECODED_TYPE[item.kind], data: item.data });
  };
};
