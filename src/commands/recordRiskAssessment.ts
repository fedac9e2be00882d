/**
 * RecordRiskAssessment: keeps one symbol's, or one portfolio's, risk figures as a fact. Idempotent
 * by what the figures were computed from: the same symbol (or portfolio and weights), day,
 * definitions and batch view version make the same figures, so a repeat (the daily job after a
 * restart, a second on-demand request) appends nothing; a new batch version (a correction's
 * recompute) or a portfolio's new weights are assessed anew.
 */
import { statelessDecider } from '../domain/decider.js';
import { InvalidInputError } from '../domain/errors.js';
import { isPortfolioAssessment, RiskAssessedData } from '../domain/events/risk.js';
import { portfolioRiskStream, riskStream } from '../domain/streams.js';
import { validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

/** What was assessed: the symbol, or the portfolio with its weights in symbol order. */
const subjectOf = (d: RiskAssessedData): string =>
  isPortfolioAssessment(d)
    ? `portfolio:${d.portfolioId}:${Object.keys(d.weights).sort().map((s) => `${s}=${d.weights[s]}`).join(',')}`
    : d.symbol;

const streamOf = (d: RiskAssessedData): string => (isPortfolioAssessment(d) ? portfolioRiskStream(d.portfolioId) : riskStream(d.symbol));

export const riskAssessmentKey = (d: RiskAssessedData): string =>
  [
    'risk',
    subjectOf(d),
    d.asOf,
    d.definitions.interval,
    d.definitions.window,
    d.definitions.riskFree,
    d.batch === null ? 'speed' : `${d.batch.view}@${d.batch.version}:${d.batch.computedThrough}`,
  ].join('/');

export const recordRiskAssessmentDecider = statelessDecider(({ data, metadata }: Command<unknown>) => {
  const v = validate(RiskAssessedData, data);
  if (!v.ok) throw new InvalidInputError(v.reason);
  return [newEvent(metadata.nextId(), 'RiskAssessed', streamOf(v.value), v.value, metadata.origin, riskAssessmentKey(v.value))];
});

export const recordRiskAssessment = async (
  deps: CommandDeps,
  data: RiskAssessedData,
  origin: CommandOrigin,
): Promise<{ recorded: boolean; position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: recordRiskAssessmentDecider,
    command: { data, metadata: metadataFor(deps, origin) },
  });
  const appended = result?.appended[0];
  if (appended !== undefined) return { recorded: true, position: appended.position };
  const existing = await deps.ledger.findByDedupKey(riskAssessmentKey(data));
  return { recorded: false, position: existing?.position ?? 0 };
};
