/** Answers of the backtest routes (app/backtests.ts; docs/backtests.md defines every rule and figure). */
import { epochMs, nullable, object, position, string } from './common.js';

export const backtestAccepted = object({ backtestId: string, position, status: { type: 'string', const: 'pending' } });

export const backtestStatus = object({
  backtestId: string,
  request: { type: 'object', description: 'the request as it was recorded' },
  requestedAt: epochMs,
  actor: string,
  status: { type: 'string', enum: ['pending', 'running', 'completed', 'failed'] },
  progress: nullable({ type: 'number', minimum: 0, maximum: 1 }),
  result: nullable({ type: 'object', description: 'the BacktestCompleted event data: metrics, trades, equity curve, the grid and walk-forward steps' }),
  error: nullable(string),
  position,
});

