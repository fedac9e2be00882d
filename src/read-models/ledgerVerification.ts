/**
 * Ledger verification off the request path. Re-hashing the whole ledger per request held the
 * event loop for seconds under load; instead one verification runs at a time, in the background,
 * continuing from the frontier the last good run verified (events already verified are not
 * re-read), and callers read its status: progress while it runs, the last verified checkpoint and
 * when, and the first bad position if one was found. After a failure the next run starts from the
 * first event again, so a repaired or re-verified ledger is judged whole.
 */
import type { Clock, Ledger, LedgerCheckpoint, VerifiedTree, VerifyResult } from '../domain/ports.js';

export interface LedgerVerificationStatus {
  /** False once a run found a mismatch (until a later full run finds none). */
  readonly ok: boolean;
  readonly state: 'idle' | 'verifying';
  /** Of the run in progress: events verified so far and the head it runs to. */
  readonly progress: { readonly verified: number; readonly total: number } | null;
  /** The newest checkpoint verified, and when (epoch ms). */
  readonly lastVerified: { readonly size: number; readonly checkpoint: LedgerCheckpoint | null; readonly verifiedAt: number } | null;
  readonly failure: { readonly position: number; readonly reason: string; readonly at: number } | null;
}

export interface LedgerVerification {
  status(): LedgerVerificationStatus;
  /** Starts a run unless one is running; resolves with that run's result. */
  run(): Promise<VerifyResult>;
}

export const createLedgerVerification = (deps: { ledger: Ledger; clock: Clock }): LedgerVerification => {
  let running: Promise<VerifyResult> | undefined;
  let progress: LedgerVerificationStatus['progress'] = null;
  let verified: VerifiedTree | undefined;
  let lastVerified: LedgerVerificationStatus['lastVerified'] = null;
  let failure: LedgerVerificationStatus['failure'] = null;

  const verifyOnce = async (): Promise<VerifyResult> => {
    const from = failure === null ? verified : undefined;
    const result = await deps.ledger.verify({
      ...(from === undefined ? {} : { from }),
      onProgress: (done, total) => (progress = { verified: done, total }),
    });
    if (result.ok) {
      verified = result.verified;
      failure = null;
      lastVerified = { size: result.verified.size, checkpoint: result.checkpoint ?? lastVerified?.checkpoint ?? null, verifiedAt: deps.clock.now() };
    } else {
      verified = undefined;
      failure = { position: result.position, reason: result.reason, at: deps.clock.now() };
    }
    return result;
  };

  return {
    status: () => ({ ok: failure === null, state: running === undefined ? 'idle' : 'verifying', progress, lastVerified, failure }),
    run() {
      running ??= verifyOnce().finally(() => {
        running = undefined;
        progress = null;
      });
      return running;
    },
  };
};
