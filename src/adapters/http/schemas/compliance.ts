/** Answers of the compliance side: replay as of T, the ledger's checkpoints and proofs, corrections and recomputes, API keys. */
import { ROLES } from '../../../domain/access/roles.js';
import { arrayOf, boolean, epochMs, integer, mapOf, nullable, number, object, position, recorded, string, symbol } from './common.js';
import { failedJob, jobCounts } from './alerts.js';
import { candle } from './market.js';

const symbolState = object({
  throughPosition: position,
  trades: integer,
  candles: integer,
  lastByExchange: mapOf(
    object({ price: string, eventTime: epochMs, tradeId: nullable(string), position }, undefined, {
      description: 'the last price of an exchange and the ledger position of the event it comes from (the trade, the candle, or the correction that replaced the trade): its inclusion proof is /api/v1/ledger/proofs/inclusion?position=',
    }),
  ),
  dayToT: nullable(candle),
  correctionsApplied: arrayOf(object({ correctionId: string, position }, undefined, { description: 'a correction folded and the ledger position of its CorrectionIssued event' })),
});
export const replayAnswer = object({
  symbol,
  asOf: epochMs,
  day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  asRecorded: symbolState,
  validNow: symbolState,
  correctedSince: arrayOf({
    type: 'object',
    description: 'a CorrectionIssued event data and the position the ledger recorded it at (its inclusion proof: /api/v1/ledger/proofs/inclusion?position=)',
    properties: { correctionId: string, position },
    required: ['correctionId', 'position'],
  }),
  lateArrivals: integer,
  models: object({
    models: arrayOf({ type: 'object', description: 'a model as recorded by T: modelId, horizon, kind, versions, aliases (alias → version) and aliasPositions (alias → the position of the ModelAliasSet that set it)' }),
    predictions: arrayOf(
      object(
        { predictionId: string, modelId: string, version: integer, madeAt: epochMs, recordedAt: epochMs, output: {}, position, scored: nullable(object({ realised: number, recordedAt: epochMs, position })) },
        undefined,
        { description: 'a prediction recorded by T and the ledger position of its PredictionMade event; scored: its PredictionScored event (realised value, when, position) if recorded by T' },
      ),
    ),
  }),
});

/** A CorrectionIssued event as the ledger recorded it: its data, where, when and by whom. */
const correctionEntry = {
  type: 'object',
  description: 'the CorrectionIssued data (correctionId, target, action, reason, replacement?) and where, when and by whom it was recorded',
  properties: { correctionId: string, position, eventId: string, recordedAt: epochMs, actor: string, source: string },
  required: ['correctionId', 'position', 'eventId', 'recordedAt', 'actor', 'source'],
};
export const correctionsAnswer = object({ symbol, from: epochMs, to: epochMs, corrections: arrayOf(correctionEntry) });

const hex = { type: 'string', pattern: '^[0-9a-f]*$' } as const;
export const checkpoint = object({ size: position, root: hex, time: epochMs, note: string });
export const publicKeyAnswer = object({ verifierKey: string, format: string });
export const inclusionProof = object({ position, leafIndex: integer, eventBytes: string, path: arrayOf(hex), checkpoint });
export const consistencyProof = object({ from: checkpoint, to: checkpoint, path: arrayOf(hex) });
export const verificationStatus = object({
  ok: boolean,
  state: { type: 'string', enum: ['idle', 'verifying'] },
  progress: nullable(object({ verified: integer, total: integer })),
  lastVerified: nullable(object({ size: position, checkpoint: nullable(checkpoint), verifiedAt: epochMs })),
  failure: nullable(object({ position, reason: string, at: epochMs })),
});
export const verificationFailed = { ...verificationStatus, description: 'the ledger failed verification: `failure` names the first position that does not verify' };

export const correctionIssued = recorded({ correctionId: string, recomputeRequestId: string, created: boolean });
export const recomputeRequested = recorded({ requestId: string });
export const recomputeJobs = object({ counts: jobCounts, failed: arrayOf(failedJob) });

const role = { type: 'string', enum: [...ROLES] } as const;
export const keyIssued = recorded({ keyId: string, name: string, role, key: string, note: string });
export const keysAnswer = object({
  keys: arrayOf(
    object({ keyId: string, name: string, role, revoked: boolean, position, revokedPosition: nullable(position) }, undefined, {
      description: 'a key, with the ledger positions of its KeyIssued event and (once revoked) its KeyRevoked event: their inclusion proofs are /api/v1/ledger/proofs/inclusion?position=',
    }),
  ),
});
export const keyRevoked = recorded({ keyId: string, revoked: boolean });
