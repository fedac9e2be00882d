/**
 * A symbol's models and predictions as the ledger had recorded them by a position (compliance
 * replay as of T): where each alias pointed then, and the predictions made in a time range with
 * the scores known by then. What was promoted or scored later is not in it.
 */
import type { Ledger } from '../domain/ports.js';
import { horizonLabel } from '../domain/modelRegistry/modelIdentity.js';
import { registryThrough } from './modelRegistry.js';

export interface ModelsKnownAt {
  /**
   * Per model: its versions then, alias → version, and alias → the ledger position of the
   * ModelAliasSet that pointed it there (its proof is one call away).
   */
  readonly models: Array<{ modelId: string; horizon: string; kind: string; versions: number; aliases: Record<string, number>; aliasPositions: Record<string, number> }>;
  /**
   * Predictions made in the range and recorded by then, each with its score when that was recorded
   * by then too, and the ledger positions of their PredictionMade and PredictionScored events.
   */
  readonly predictions: Array<{
    predictionId: string;
    modelId: string;
    version: number;
    madeAt: number;
    recordedAt: number;
    output: unknown;
    position: number;
    scored: { realised: number; recordedAt: number; position: number } | null;
  }>;
}

export const modelsKnownAt = async (ledger: Pick<Ledger, 'streamsMatching' | 'readStream'>, symbol: string, throughPosition: number, from: number, to: number): Promise<ModelsKnownAt> => {
  const r = await registryThrough(ledger, throughPosition, symbol);
  return {
    models: [...r.models.values()].map((m) => ({
      modelId: m.modelId,
      horizon: horizonLabel(m.interval, m.horizonBars),
      kind: m.kind,
      versions: m.versions.length,
      aliases: Object.fromEntries([...m.aliases].map(([alias, c]) => [alias, c.version!])),
      aliasPositions: Object.fromEntries([...m.aliases].map(([alias, c]) => [alias, c.position])),
    })),
    predictions: (r.predictionsBySymbol.get(symbol) ?? [])
      .filter((p) => p.made.madeAt >= from && p.made.madeAt < to)
      .map((p) => ({
        predictionId: p.made.predictionId,
        modelId: p.made.modelId,
        version: p.made.version,
        madeAt: p.made.madeAt,
        recordedAt: p.recordedAt,
        output: p.made.output,
        position: p.position,
        scored: p.scored === null ? null : { realised: p.scored.data.realised, recordedAt: p.scored.recordedAt, position: p.scored.position },
      })),
  };
};
