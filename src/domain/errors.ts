/** Typed domain errors with guards, so callers never match on message text. */

export class ExpectedVersionConflictError extends Error {
  readonly kind = 'ExpectedVersionConflict' as const;
  constructor(
    readonly stream: string,
    readonly expected: string | number,
    readonly actual: number,
  ) {
    super(`stream ${stream} is at version ${actual}, expected ${expected}`);
  }
}
export const isExpectedVersionConflictError = (e: unknown): e is ExpectedVersionConflictError =>
  e instanceof ExpectedVersionConflictError;

/** A command that is well formed but not allowed in the current state (409-like). */
export class CommandRejectedError extends Error {
  readonly kind = 'CommandRejected' as const;
  constructor(message: string) {
    super(message);
  }
}
export const isCommandRejectedError = (e: unknown): e is CommandRejectedError => e instanceof CommandRejectedError;

/** Input that does not validate (400-like); `reason` says what was wrong. */
export class InvalidInputError extends Error {
  readonly kind = 'InvalidInput' as const;
  constructor(readonly reason: string) {
    super(reason);
  }
}
export const isInvalidInputError = (e: unknown): e is InvalidInputError => e instanceof InvalidInputError;

/** Something asked for does not exist (404-like). */
export class NotFoundError extends Error {
  readonly kind = 'NotFound' as const;
  constructor(message: string) {
    super(message);
  }
}
export const isNotFoundError = (e: unknown): e is NotFoundError => e instanceof NotFoundError;

/** What was asked for needs a part of the system that is down right now (503-like); retrying later may work. */
export class UnavailableError extends Error {
  readonly kind = 'Unavailable' as const;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
export const isUnavailableError = (e: unknown): e is UnavailableError => e instanceof UnavailableError;

/**
 * A live store no longer holds the checkpoint its projection last committed (flushed, restored
 * from an old snapshot, or expired): its state cannot be continued, only rebuilt from the ledger.
 */
export class LiveStoreResetError extends Error {
  readonly kind = 'LiveStoreReset' as const;
  constructor(
    readonly projection: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`live store lost projection ${projection}'s checkpoint (expected ${expected}, found ${found}): rebuild it from the ledger`);
  }
}
export const isLiveStoreResetError = (e: unknown): e is LiveStoreResetError => e instanceof LiveStoreResetError;

/** A webhook receiver did not take a delivery; `status` is its HTTP status when it answered at all. */
export class WebhookDeliveryError extends Error {
  readonly kind = 'WebhookDeliveryFailed' as const;
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}
export const isWebhookDeliveryError = (e: unknown): e is WebhookDeliveryError => e instanceof WebhookDeliveryError;

/** A lake file does not match the ledger's digest of it (altered, truncated, or gone): its data is not served. */
export class LakeTamperedError extends Error {
  readonly kind = 'LakeTampered' as const;
  constructor(
    readonly file: string,
    /** The ledger position of the digest it fails. */
    readonly digestPosition: number,
    readonly reason: string,
  ) {
    super(`lake file ${file} does not match its digest at ledger position ${digestPosition}: ${reason}`);
  }
}
export const isLakeTamperedError = (e: unknown): e is LakeTamperedError => e instanceof LakeTamperedError;
