/**
 * The exchanges' wire decoders by name, for `tickvault decode`: each raw message becomes the
 * canonical event the platform would record, a rejection with its reason, or a skip (a valid
 * message that carries no market fact). The decoders are the live sources' own. A line of a
 * websocket recording is read as the importer reads it: its receive-time prefix (`<ns> ` or
 * `<unix seconds>: `) is taken off and cryptofeed's session header skipped, so a recording can be
 * piped in as it is.
 */
import { splitRecordingLine } from '../adapters/sources/replay/wsRecordingLine.js';
import { SKIPPED } from '../adapters/sources/wire/decoded.js';
import { EXCHANGE_DECODERS } from '../adapters/sources/wire/exchangeDecoders.js';
import { EVENT_TYPE_OF_KIND } from '../commands/recordObservations.js';

export type DecodedLine =
  | { readonly kind: 'event'; readonly type: string; readonly data: unknown }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'skipped' };

export const WIRE_EXCHANGES: readonly string[] = Object.keys(EXCHANGE_DECODERS);

/** The decoder of one exchange's messages, or undefined for an exchange without one. */
export const wireDecoder = (exchange: string): ((line: string) => DecodedLine) | undefined => {
  const decode = EXCHANGE_DECODERS[exchange];
  if (decode === undefined) return undefined;
  return (line) => {
    const recorded = splitRecordingLine(line);
    if (recorded?.kind === 'session-header') return { kind: 'skipped' };
    const item = decode(recorded === undefined ? line : recorded.json);
    if (item === SKIPPED) return { kind: 'skipped' };
    if (item.kind === 'rejected') return { kind: 'rejected', reason: item.reason };
    return { kind: 'event', type: EVENT_TYPE_OF_KIND[item.kind], data: item.data };
  };
};
