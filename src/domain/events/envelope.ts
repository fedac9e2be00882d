/**
 * The event envelope. Every fact in tickvault is one of these; the ledger assigns
 * position, recordedAt, streamVersion and the event's leaf hash in its Merkle tree.
 */

export interface EventMeta {
  /** When the ledger took the event (epoch ms). Set by the ledger, never by the caller. */
  readonly recordedAt: number;
  /** Who caused it: a user, a connector, a projection (`system:alert-engine`). */
  readonly actor: string;
  /** Ties together everything one request or one source batch caused. */
  readonly correlationId: string;
  /** The event or command that directly caused this one, if any. */
  readonly causationId: string | null;
  /** Where the input came from: `simulator`, `binance-ws`, `import:file.csv`, `api`. */
  readonly source: string;
  /** Set by `tickvault migrate` on events re-recorded from a hash-chain ledger: where they were, and their chain hash. */
  readonly migratedFrom?: { readonly position: number; readonly hash: string };
}

/** What a command hands to the ledger. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly stream: string;
  readonly data: Data;
  readonly meta: Omit<EventMeta, 'recordedAt'>;
  /**
   * Natural identity of the fact (`trade/binance/BTC-USDT/123`). The ledger appends an event
   * whose key it already holds as a duplicate, not a second time.
   */
  readonly dedupKey?: string;
}

/** What the ledger hands back. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly position: number;
  readonly id: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly stream: string;
  readonly streamVersion: number;
  readonly data: Data;
  readonly meta: EventMeta;
  readonly dedupKey: string | null;
  /**
   * SHA-256(0x00 ‖ canonical bytes), hex: the event's leaf in the ledger's RFC 6962 tree (leaf
   * index position − 1). With the position it pins exactly this event in exactly this ledger.
   */
  readonly leafHash: string;
}
