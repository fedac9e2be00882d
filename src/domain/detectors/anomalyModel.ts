/**
 * The champion anomaly model on live bars: trades (all exchanges of a symbol consolidated) are cut
 * into bars of `barMs` (last price, base volume, taker buy and sell volume) and, as each bar closes,
 * every champion anomaly model of the symbol scores it against the bars before it (scoreLatest,
 * the very function that scores feature rows). A score above the model's threshold raises an
 * alert whose evidence names the model id, version and hash, the score and its components; the
 * first bar the model scores as normal resolves it. The episode is keyed by the model id, so a
 * newly promoted version carries an open episode on, and a model that loses its champion closes
 * its episode at the symbol's next bar.
 *
 * Bars are short (a minute by default) whatever interval the model was trained on: the robust z
 * compares a bar with its own recent bars, so the model's window and threshold carry over, and a
 * flash crash that is over in minutes is lost inside an hourly bar (docs/models.md compares the
 * two on the simulator's injected episodes on 1m bars too).
 */
import { scoreLatest, type AnomalyBar } from '../models/anomaly/robustZ.js';
import { NO_SIGNALS, tradeEvidence, type AlertSignal, type Detector, type DetectorContext, type DetectorTrade } from './detector.js';
import { createEpisodes } from './episodes.js';
import type { ParamValues } from './params.js';
import { readArray, readFinite, readMap, readObject, readString, readTrade, saveMap, saveTrade, SavedStateError } from './savedState.js';

export const anomalyModelParams = {
  barMs: { default: 60_000, min: 1_000, max: 86_400_000, integer: true, help: 'length of the live bars the champion model scores, ms' },
  historyBars: { default: 120, min: 3, max: 10_000, integer: true, help: 'closed bars kept per symbol (a model scores from its own window of them)' },
} as const;

interface OpenBar {
  readonly time: number;
  close: number;
  volume: number;
  takerBuyVolume: number;
  takerSellVolume: number;
  readonly first: DetectorTrade;
  last: DetectorTrade;
}

interface SymbolState {
  /** Closed bars, oldest first, at most historyBars. */
  readonly bars: AnomalyBar[];
  open: OpenBar | null;
  /** Models with an open episode on this symbol: closed when they stop being champion. */
  readonly alarmed: Set<string>;
}

const barOf = (t: DetectorTrade, time: number): OpenBar => ({ time, close: t.price, volume: 0, takerBuyVolume: 0, takerSellVolume: 0, first: t, last: t });

export const createAnomalyModelDetector = (p: ParamValues<typeof anomalyModelParams>, context: DetectorContext): Detector => {
  let symbols = new Map<string, SymbolState>();
  const episodes = createEpisodes();

  /** The bar just closed, scored by each champion; the signals its scores (and lost champions) cause. */
  const closeBar = (symbol: string, s: SymbolState, bar: OpenBar, out: AlertSignal[]): void => {
    s.bars.push({ time: bar.time, close: bar.close, volume: bar.volume, takerBuyVolume: bar.takerBuyVolume, takerSellVolume: bar.takerSellVolume });
    if (s.bars.length > p.historyBars) s.bars.shift();
    s.open = null;
    const end = bar.time + p.barMs;
    const barEvidence = { from: bar.time, to: end, close: bar.close, volume: bar.volume, takerBuyVolume: bar.takerBuyVolume, takerSellVolume: bar.takerSellVolume };
    const trades = [tradeEvidence(bar.first), tradeEvidence(bar.last)];
    const champions = context.championsOf(symbol);
    for (const modelId of [...s.alarmed]) {
      if (champions.some((c) => c.modelId === modelId)) continue;
      s.alarmed.delete(modelId);
      out.push(...episodes.close(modelId, symbol, end, `${symbol}: ${modelId} is no longer the champion`, { modelId, bar: barEvidence, trades }, bar.last.eventId));
    }
    for (const c of champions) {
      const scored = scoreLatest(c.model, s.bars, p.barMs);
      if (scored.score === null) continue;
      const evidence = { modelId: c.modelId, version: c.version, modelHash: c.modelHash, score: scored.score, threshold: c.model.threshold, z: scored.z, barMs: p.barMs, bar: barEvidence, trades };
      if (scored.anomalous) {
        s.alarmed.add(c.modelId);
        out.push(...episodes.open(c.modelId, symbol, bar.time, end, `${symbol}: anomaly score ${scored.score.toFixed(1)} over ${c.model.threshold} (${c.modelId} v${c.version})`, evidence, bar.last.eventId));
      } else if (s.alarmed.delete(c.modelId)) {
        out.push(...episodes.close(c.modelId, symbol, end, `${symbol}: anomaly score ${scored.score.toFixed(1)} back under ${c.model.threshold} (${c.modelId} v${c.version})`, evidence, bar.last.eventId));
      }
    }
  };

  return {
    onTrade(t) {
      const time = t.eventTime - (t.eventTime % p.barMs);
      let s = symbols.get(t.symbol);
      if (s === undefined) {
        s = { bars: [], open: null, alarmed: new Set() };
        symbols.set(t.symbol, s);
      }
      let out: AlertSignal[] | undefined;
      if (s.open !== null && time > s.open.time) closeBar(t.symbol, s, s.open, (out = []));
      // Trades come in event-time order, so a trade is never older than the open bar.
      const bar = (s.open ??= barOf(t, time));
      bar.close = t.price;
      bar.last = t;
      bar.volume += t.quantity;
      if (t.side === 'buy') bar.takerBuyVolume += t.quantity;
      else if (t.side === 'sell') bar.takerSellVolume += t.quantity;
      return out ?? NO_SIGNALS;
    },
    /** Closes the bars the watermark has passed, so a symbol that falls silent is still scored. */
    onWatermark(time) {
      let out: AlertSignal[] | undefined;
      for (const [symbol, s] of symbols) if (s.open !== null && s.open.time + p.barMs <= time) closeBar(symbol, s, s.open, (out ??= []));
      return out ?? NO_SIGNALS;
    },
    save: () => ({
      symbols: saveMap(symbols, (s) => ({
        bars: s.bars.map((b) => [b.time, b.close, b.volume, b.takerBuyVolume, b.takerSellVolume]),
        open: s.open === null ? null : { ...s.open, first: saveTrade(s.open.first), last: saveTrade(s.open.last) },
        alarmed: [...s.alarmed],
      })),
      episodes: episodes.save(),
    }),
    load(state, path) {
      const o = readObject(state, path);
      symbols = readMap(o['symbols'], `${path}.symbols`, (u, sp) => {
        const so = readObject(u, sp);
        const bars = readArray(so['bars'], `${sp}.bars`).map((b, i) => {
          const a = readArray(b, `${sp}.bars[${i}]`);
          if (a.length !== 5) throw new SavedStateError(`${sp}.bars[${i}]`, 'a bar [time, close, volume, takerBuyVolume, takerSellVolume]', b);
          const [time, close, volume, takerBuyVolume, takerSellVolume] = a.map((x, j) => readFinite(x, `${sp}.bars[${i}][${j}]`)) as [number, number, number, number, number];
          return { time, close, volume, takerBuyVolume, takerSellVolume };
        });
        let open: OpenBar | null = null;
        if (so['open'] !== null) {
          const ob = readObject(so['open'], `${sp}.open`);
          const num = (k: string): number => readFinite(ob[k], `${sp}.open.${k}`);
          open = { time: num('time'), close: num('close'), volume: num('volume'), takerBuyVolume: num('takerBuyVolume'), takerSellVolume: num('takerSellVolume'), first: readTrade(ob['first'], `${sp}.open.first`), last: readTrade(ob['last'], `${sp}.open.last`) };
        }
        const alarmed = new Set(readArray(so['alarmed'], `${sp}.alarmed`).map((a, i) => readString(a, `${sp}.alarmed[${i}]`)));
        return { bars, open, alarmed };
      });
      episodes.load(o['episodes'], `${path}.episodes`);
    },
  };
};
