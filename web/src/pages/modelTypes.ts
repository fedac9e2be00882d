/** Shapes of the model API's answers (src/read-models/models.ts, src/domain/events/models.ts). */
export type Metrics = Readonly<Record<string, number | null>>;

export interface ModelSummary {
  readonly modelId: string;
  readonly symbol: string;
  readonly kind: 'return-regression' | 'trend-classification' | 'anomaly';
  readonly interval: string;
  readonly horizon: string;
  readonly aliases: Readonly<Record<string, number>>;
  readonly versions: number;
}

export interface ModelVersion {
  readonly version: number;
  readonly algorithm: string;
  readonly engine: string;
  /** ISO 8601, UTC. */
  readonly trainedAt: string;
  readonly skill: number | null;
  readonly beatsNaive: boolean;
  readonly rows: { usable: number; dropped: number };
  readonly trainingRange: { from: string; to: string };
  readonly metrics: Metrics;
  readonly naiveMetrics: Metrics;
  readonly intervals: { level: number; halfWidth: number; coverage: number | null }[];
  readonly importances: Readonly<Record<string, number>>;
}

export interface ModelDetail extends Omit<ModelSummary, 'versions'> {
  readonly versions: ModelVersion[];
}

export interface TrackFigures {
  readonly error: number;
  readonly naiveError: number;
  readonly skill: number | null;
  readonly beatsNaive: boolean;
  readonly hitRate: number;
  readonly naiveHitRate: number;
  readonly coverage: Readonly<Record<string, number>>;
}

export interface TrackRecord {
  readonly predictions: number;
  readonly scored: number;
  readonly overall: (TrackFigures & { scored: number }) | null;
  readonly periods: { day: string; scored: number; period: TrackFigures; cumulative: TrackFigures }[];
  readonly definitions: string;
}

export type PredictionOutput =
  | { kind: 'return-regression'; point: number; intervals: { level: number; lower: number; upper: number }[] }
  | { kind: 'trend-classification'; label: string; probabilities: Record<string, number>; threshold: number };

export interface Prediction {
  readonly predictionId: string;
  readonly version: number;
  readonly madeAt: number;
  /** Start of the bar the forecast was made at; it runs from the bar's end over the horizon. */
  readonly barTime: number;
  readonly baseClose: number;
  readonly targetTime: number;
  readonly output: PredictionOutput;
  readonly score: null | {
    realisedClose: number;
    realised: number;
    outcome: { kind: 'return-regression'; error: number; naiveError: number } | { kind: 'trend-classification'; realisedLabel: string; correct: boolean; naiveCorrect: boolean };
  };
}
