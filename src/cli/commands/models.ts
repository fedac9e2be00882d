/**
 * `tickvault models list|train|promote|score`: the model registry from the command line.
 * `train` requests a training through the job queue and shows its progress on stderr (whichever
 * worker takes the job does the work: this process's, or on the cluster profile a running
 * server's, when the bar moves only once the model is recorded); `promote MODEL VERSION` points an
 * alias (`champion` unless --alias says otherwise) at a version; `score` scores every prediction
 * whose horizon has passed.
 */
import pino from 'pino';
import type { Config } from '../../app/config.js';
import { openPlatform, type Platform } from '../../app/platform.js';
import type { TrainingStatus } from '../../app/models.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

const WAIT_MS = 60 * 60_000;
const POLL_MS = 200;
const STEPS = 1_000;

const text = (args: ParsedArgs, flag: string): string | undefined => {
  const v = args.values[flag];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

const origin = (what: string) => ({ actor: `cli:${process.env['USER'] ?? 'unknown'}`, correlationId: `models-${what}-${Date.now()}`, source: 'cli' });

const print = (args: ParsedArgs, value: unknown, asText: () => string): void => {
  process.stdout.write(args.values['json'] === true ? `${JSON.stringify(value)}\n` : `${asText()}\n`);
};

/** The training request the flags describe; the platform validates it and names what is wrong. */
export const trainingRequestOf = (args: ParsedArgs): Record<string, unknown> => {
  const symbol = text(args, 'symbol');
  const horizon = text(args, 'horizon');
  if (symbol === undefined || horizon === undefined) throw new InvalidInputError('models train needs --symbol and --horizon (e.g. --symbol BTC-USDT --horizon 1h)');
  const seed = text(args, 'training-seed');
  if (seed !== undefined && !/^-?\d{1,15}$/.test(seed)) throw new InvalidInputError(`--training-seed: expected an integer, got "${seed}"`);
  const optional: Record<string, unknown> = { kind: text(args, 'kind'), from: text(args, 'from'), to: text(args, 'to'), engine: text(args, 'engine'), seed: seed === undefined ? undefined : Number(seed) };
  return { symbol: symbol.toUpperCase(), horizon, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
};

const list = async (platform: Platform, args: ParsedArgs): Promise<number> => {
  const symbol = text(args, 'symbol');
  const models = await platform.models.list(symbol?.toUpperCase());
  print(args, models, () =>
    models.length === 0
      ? 'no models yet (tickvault models train --symbol BTC-USDT --horizon 1h)'
      : models
          .map((m) => {
            const aliases = Object.entries(m.aliases).map(([a, v]) => `${a}=v${v}`).join(' ') || 'no alias';
            const l = m.latest;
            return `${m.modelId}  ${m.versions} version(s), ${aliases}; latest v${l.version} ${l.algorithm}/${l.engine} skill ${l.skill === null ? 'n/a' : l.skill.toFixed(4)} ${l.beatsNaive ? 'beats' : 'does not beat'} the naive forecast, hash ${l.modelHash.slice(0, 12)}`;
          })
          .join('\n'),
  );
  return 0;
};

const train = async (platform: Platform, args: ParsedArgs): Promise<number> => {
  const request = trainingRequestOf(args);
  const bar = createProgressBar({ label: `training ${String(request['symbol'])} ${String(request['horizon'])}`, total: STEPS, stream: process.stderr });
  // The embedded engine keeps the thread while it trains: the bar moves from its progress reports, not from the polling below.
  const { trainingId, modelId } = await platform.models.train(request, origin('train'), (done, total) => bar.update(Math.round((done / Math.max(total, 1)) * STEPS)));
  const started = Date.now();
  for (;;) {
    const status: TrainingStatus = await platform.models.training(trainingId);
    if (status.progress !== null) bar.update(Math.round(status.progress * STEPS));
    if (status.status === 'completed') {
      bar.update(STEPS);
      bar.finish();
      const model = (await platform.models.get(modelId, false)) as { versions: Array<{ version: number; skill: number | null; beatsNaive: boolean; modelHash: string; metrics: object; naiveMetrics: object }> };
      const v = model.versions[status.version! - 1]!;
      print(args, v, () =>
        [
          `${modelId} v${v.version}: skill ${v.skill === null ? 'n/a' : v.skill.toFixed(4)} (${v.beatsNaive ? 'beats' : 'does NOT beat'} the naive forecast), model hash ${v.modelHash}`,
          `  held-out metrics ${JSON.stringify(v.metrics)}`,
          `  naive forecast   ${JSON.stringify(v.naiveMetrics)}`,
          `  promote it: tickvault models promote ${modelId} ${v.version}`,
        ].join('\n'),
      );
      return 0;
    }
    if (status.status === 'failed' || Date.now() - started > WAIT_MS) {
      bar.finish();
      process.stderr.write(`training ${trainingId} ${status.status === 'failed' ? 'failed' : `did not complete within ${WAIT_MS / 60_000} min`}: ${status.error ?? 'no error recorded'}\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
};

const promote = async (platform: Platform, args: ParsedArgs): Promise<number> => {
  const [modelId, versionText] = args.positionals.slice(1);
  if (modelId === undefined || versionText === undefined || !/^\d+$/.test(versionText)) {
    throw new InvalidInputError('models promote needs MODEL VERSION, e.g. tickvault models promote BTC-USDT.return.1h 2 [--alias challenger]');
  }
  const alias = text(args, 'alias') ?? 'champion';
  const result = await platform.models.setAlias({ modelId, alias, version: Number(versionText), reason: text(args, 'reason') ?? '' }, origin('promote'));
  print(args, result, () => (result.changed ? `${modelId}: ${alias} → v${versionText} (ledger position ${result.position})` : `${modelId}: ${alias} already names v${versionText}`));
  return 0;
};

const score = async (platform: Platform, args: ParsedArgs): Promise<number> => {
  const result = await platform.models.score(origin('score'));
  print(args, result, () => `scored ${result.scored} prediction(s); ${result.pending} past their horizon still wait for the target bar's candle`);
  return 0;
};

const SUBCOMMANDS = { list, train, promote, score } as const;

export const runModels = async (config: Config, args: ParsedArgs): Promise<number> => {
  const sub = args.positionals[0] ?? 'list';
  if (!Object.hasOwn(SUBCOMMANDS, sub)) throw new InvalidInputError(`models: unknown subcommand "${sub}"; use list, train, promote or score`);
  const platform = await openPlatform({ config, logger: pino({ level: config.logLevel }, pino.destination(2)), runProjections: false });
  try {
    return await SUBCOMMANDS[sub as keyof typeof SUBCOMMANDS](platform, args);
  } finally {
    await platform.close();
  }
};
