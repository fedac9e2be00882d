"""Backtests on Spark: a grid of one strategy kind (SMA crossover, RSI thresholds, Bollinger breakout,
follow a model's predictions), one backtest per (symbol, parameter combination) as a grouped pandas UDF;
or walk-forward, each window's best combination on its training bars trading the bars that follow. The
twin of the embedded engine (src/domain/backtest/, docs/backtests.md), with its rules: the signal of bar
t fills at bar t+1's open, all in, fee and slippage proportional, a position open at the end marked at the
last close and counted as a trade; indicators over the range's bars only, a flat window averaging to its
value exactly, ties within 1e-10 relative giving no signal; a bar without a prediction gives no signal.
Both are held to vectorbt's Portfolio.from_signals by their tests.

The bars are replicated once per combination (a cross join), which is what lets every combination run as
its own task: a grid of 100 pairs over a year of 1m bars is 100 groups of 525,600 rows. Walk-forward is
one group per symbol instead: its segments follow each other, each starting with the equity the last
one ended with.

    spark-submit -m tickvault_jobs.backtest --candles DIR --interval 1h --from 2024-01-01 --to 2024-07-01 \
        --strategy '{"kind": "rsi-thresholds", "window": 14, "lower": [20, 30], "upper": [70, 80]}' \
        [--symbols BTC-USDT,ETH-USDT] [--mode long-short] [--walk-forward 2000:500] \
        [--predictions DIR (Parquet: symbol, time, value)] --out DIR
"""

from __future__ import annotations

import argparse
import itertools
import json
from datetime import date

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from tickvault_jobs.session import builder

TIE = 1e-10
# The parameters of each kind, in the embedded engine's order (src/domain/backtest/strategies.ts).
PARAMETERS = {
    "sma-crossover": (("fast", "int"), ("slow", "int")),
    "rsi-thresholds": (("window", "int"), ("lower", "double"), ("upper", "double")),
    "bollinger-breakout": (("window", "int"), ("k", "double")),
    "follow-predictions": (("threshold", "double"),),
}
RESULT_COLUMNS = "final_equity double, trades long, shortfall boolean"
SEGMENT_COLUMNS = "segment int, train_from long, train_to long, test_from long, test_to long"


def _sma(x: np.ndarray, w: int) -> np.ndarray:
    """Each full window's mean, computed on its own (no running sum); a flat window is its value."""
    out = np.full(len(x), np.nan)
    if len(x) < w:
        return out
    win = np.lib.stride_tricks.sliding_window_view(x, w)
    means = win.mean(axis=1)
    flat = (win == win[:, :1]).all(axis=1)
    means[flat] = win[flat, 0]
    out[w - 1 :] = means
    return out


def _std(x: np.ndarray, w: int, mean: np.ndarray) -> np.ndarray:
    """Population standard deviation (ddof 0) of each full window around that window's mean."""
    out = np.full(len(x), np.nan)
    if len(x) < w:
        return out
    win = np.lib.stride_tricks.sliding_window_view(x, w)
    out[w - 1 :] = np.sqrt(((win - mean[w - 1 :, None]) ** 2).mean(axis=1))
    return out


def _rsi(close: np.ndarray, w: int) -> np.ndarray:
    """Cutler's RSI: 100 − 100 / (1 + G/L) over the last `w` changes; 100 with no loss, NaN with neither.
    Whether a window holds a loss is counted, not read from the mean, as the embedded engine does."""
    out = np.full(len(close), np.nan)
    d = np.diff(close)
    if len(d) < w:
        return out
    gains = np.lib.stride_tricks.sliding_window_view(np.where(d > 0, d, 0.0), w)
    losses = np.lib.stride_tricks.sliding_window_view(np.where(d < 0, -d, 0.0), w)
    g, loss = gains.mean(axis=1), losses.mean(axis=1)
    any_gain, any_loss = (gains > 0).any(axis=1), (losses > 0).any(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(any_loss, 100.0 - 100.0 / (1.0 + g / loss), np.where(any_gain, 100.0, np.nan))
    out[w:] = r
    return out


def _above(a, b) -> np.ndarray:
    """a > b by more than a tie; False where either is NaN (a window not yet full)."""
    with np.errstate(invalid="ignore"):
        return (a - b) > TIE * np.maximum(np.abs(a), np.abs(b))


def signals(
    kind: str, params: dict, close: np.ndarray, predictions: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(long entry, long exit, short entry, short exit) decided at each bar's close (docs/backtests.md).
    `predictions` is the model's value of each bar, made at its close (NaN where it made none, which gives no
    signal); only follow-predictions reads it."""
    if kind == "sma-crossover":
        fast, slow = _sma(close, params["fast"]), _sma(close, params["slow"])
        up, down = _above(fast, slow), _above(slow, fast)
        return up, down, down, up
    if kind == "rsi-thresholds":
        r = _rsi(close, params["window"])
        up, down = _above(params["lower"], r), _above(r, params["upper"])
        return up, down, down, up
    if kind == "bollinger-breakout":
        mid = _sma(close, params["window"])
        band = params["k"] * _std(close, params["window"], mid)
        # Breakout above the upper band: long, until a close below the middle; the mirror for shorts.
        return _above(close, mid + band), _above(mid, close), _above(mid - band, close), _above(close, mid)
    if kind == "follow-predictions":
        if predictions is None or len(predictions) != len(close):
            got = "none" if predictions is None else len(predictions)
            raise ValueError(f"follow-predictions needs one prediction per bar ({len(close)}), got {got}")
        up, down = _above(predictions, params["threshold"]), _above(-params["threshold"], predictions)
        return up, down, down, up
    raise ValueError(f"unknown strategy kind {kind!r} (expected one of {', '.join(PARAMETERS)})")


def simulate(
    open_: np.ndarray,
    close: np.ndarray,
    flags: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    long_short: bool,
    fee: float,
    slippage: float,
    cash: float,
) -> tuple[float, int, bool]:
    """Final equity, trade count and shortfall: the execution of docs/backtests.md over one bar series,
    signals resolved as the embedded engine's simulate.ts resolves them (entry and exit of one side cancel,
    as do a long and a short entry)."""
    long_entry, long_exit, short_entry, short_exit = flags
    units = 0.0
    trades = 0
    shortfall = False

    def enter(t: int, long: bool) -> None:
        nonlocal units, cash
        if not cash > 0:
            return
        price = open_[t] * (1 + slippage) if long else open_[t] * (1 - slippage)
        size = cash / (price * (1 + fee))
        if long:
            units, cash = size, 0.0
        else:
            units, cash = -size, cash + size * price * (1 - fee)

    def leave(t: int) -> None:
        nonlocal units, cash, trades, shortfall
        if units > 0:
            cash += units * open_[t] * (1 - slippage) * (1 - fee)
        else:
            cash -= -units * open_[t] * (1 + slippage) * (1 + fee)
            shortfall = shortfall or cash < 0
        units, trades = 0.0, trades + 1

    for t in range(1, len(close)):
        le, lx = bool(long_entry[t - 1]), bool(long_exit[t - 1])
        se, sx = (bool(short_entry[t - 1]), bool(short_exit[t - 1])) if long_short else (False, False)
        if le and lx:
            le = lx = False
        if se and sx:
            se = sx = False
        if le and se:
            le = se = False
        if units > 0:
            if se or lx:
                leave(t)
            if se:
                enter(t, False)
        elif units < 0:
            if le or sx:
                leave(t)
            if le:
                enter(t, True)
        elif le:
            enter(t, True)
        elif se:
            enter(t, False)
    if units != 0:
        trades += 1
    return cash + units * close[-1], trades, shortfall


def _parameters(kind: str) -> tuple[list[str], str, list[type]]:
    """`kind`'s parameter names, their Spark schema and their Python types."""
    if kind not in PARAMETERS:
        raise ValueError(f"unknown strategy kind {kind!r} (expected one of {', '.join(PARAMETERS)})")
    names = [n for n, _ in PARAMETERS[kind]]
    schema = ", ".join(f"{n} {t}" for n, t in PARAMETERS[kind])
    return names, schema, [int if t == "int" else float for _, t in PARAMETERS[kind]]


def _with_predictions(bars: DataFrame, kind: str, predictions: DataFrame | None) -> DataFrame:
    """bars (symbol, open_time, open, close), for follow-predictions with each bar's prediction (null where the
    model made none), read
    from predictions (symbol, time = the bar's open, value) as the embedded engine aligns them (request.ts
    alignPredictions): a prediction of a time that is no bar's is ignored."""
    bars = bars.select("symbol", "open_time", "open", "close")
    if kind != "follow-predictions":
        return bars
    if predictions is None:
        raise ValueError("follow-predictions needs predictions (symbol, time, value)")
    by_bar = predictions.select(
        "symbol", F.col("time").cast("long").alias("open_time"), F.col("value").alias("prediction")
    )
    return bars.join(by_bar, ["symbol", "open_time"], "left")


def _arrays(pdf: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One symbol's open time, open, close and prediction (NaN where none), in time order."""
    pdf = pdf.sort_values("open_time")
    if pdf["open_time"].duplicated().any():
        # A bar twice means two predictions of it were joined: which one stands is not this job's to guess.
        raise ValueError(f"{pdf['symbol'].iloc[0]}: more than one bar or prediction at one open time")
    # Only follow-predictions carries the column; the other kinds never read it.
    prediction = pdf["prediction"].to_numpy(dtype=float) if "prediction" in pdf else np.full(len(pdf), np.nan)
    return (*(pdf[c].to_numpy(dtype=float) for c in ("open_time", "open", "close")), prediction)


def strategy_grid(
    bars: DataFrame,
    kind: str,
    combinations: list[tuple],
    mode: str = "long-only",
    fee: float = 0.001,
    slippage: float = 0.0005,
    initial_cash: float = 10_000.0,
    predictions: DataFrame | None = None,
) -> DataFrame:
    """bars (symbol, open_time, open, close) and the combinations of `kind`'s parameters (tuples in
    PARAMETERS' order) → one row per (symbol, combination): its parameters, final equity, trades and
    whether a short was covered for more than the account held (shortfall). follow-predictions reads
    predictions (symbol, time, value), one per (symbol, bar open time) at most."""
    names, param_schema, cast = _parameters(kind)
    long_short = mode == "long-short"
    grid = bars.sparkSession.createDataFrame(
        [tuple(c(v) for c, v in zip(cast, combo, strict=True)) for combo in combinations], param_schema
    )

    def one(pdf: pd.DataFrame) -> pd.DataFrame:
        _, open_, close, prediction = _arrays(pdf)
        params = {n: pdf[n].iloc[0].item() for n in names}
        flags = signals(kind, params, close, prediction)
        equity, trades, shortfall = simulate(open_, close, flags, long_short, fee, slippage, initial_cash)
        row = {"symbol": pdf["symbol"].iloc[0], **params}
        return pd.DataFrame([{**row, "final_equity": equity, "trades": trades, "shortfall": shortfall}])

    return (
        _with_predictions(bars, kind, predictions)
        .crossJoin(F.broadcast(grid))
        .groupBy("symbol", *names)
        .applyInPandas(one, f"symbol string, {param_schema}, {RESULT_COLUMNS}")
    )


def walk_forward_windows(bars: int, train_bars: int, test_bars: int) -> list[tuple[int, int, int]]:
    """(train_from, train_to, test_to): train on [train_from, train_to), trade [train_to, test_to); the windows
    move on by test_bars while a training window leaves a bar to trade (backtest.ts walkForwardWindows)."""
    out, start = [], 0
    while start + train_bars < bars:
        out.append((start, start + train_bars, min(bars, start + train_bars + test_bars)))
        start += test_bars
    return out


def walk_forward_segments(
    time: np.ndarray,
    open_: np.ndarray,
    close: np.ndarray,
    prediction: np.ndarray,
    kind: str,
    combinations: list[dict],
    long_short: bool,
    train_bars: int,
    test_bars: int,
    fee: float,
    slippage: float,
    initial_cash: float,
) -> list[dict]:
    """One symbol's walk-forward (backtest.ts backtestSteps): each window's combinations scored on its training
    bars from the initial cash, the highest final equity chosen (the first in grid order among equals), which
    then trades the next bars starting flat with the equity the previous segment ended with. Every slice's
    indicators see only its own bars."""

    def run(params: dict, a: int, b: int, cash: float) -> tuple[float, int, bool]:
        flags = signals(kind, params, close[a:b], prediction[a:b])
        return simulate(open_[a:b], close[a:b], flags, long_short, fee, slippage, cash)

    windows = walk_forward_windows(len(close), train_bars, test_bars)
    if not windows:
        raise ValueError(
            f"walk-forward: {len(close)} bars leave nothing to trade after a training window of {train_bars}"
        )
    segments, cash = [], initial_cash
    for i, (train_from, train_to, test_to) in enumerate(windows):
        best, best_equity = None, None
        for params in combinations:
            equity = run(params, train_from, train_to, initial_cash)[0]
            # Strictly higher replaces: the first of equals stays, and NaN never wins (as bestOf).
            if best is None or equity > best_equity:
                best, best_equity = params, equity
        equity, trades, shortfall = run(best, train_to, test_to, cash)
        segments.append(
            {
                "segment": i,
                "train_from": int(time[train_from]),
                "train_to": int(time[train_to - 1]),
                "test_from": int(time[train_to]),
                "test_to": int(time[test_to - 1]),
                **best,
                "train_equity": best_equity,
                "test_equity": equity,
                "trades": trades,
                "shortfall": shortfall,
            }
        )
        cash = equity
    return segments


def walk_forward(
    bars: DataFrame,
    kind: str,
    combinations: list[tuple],
    train_bars: int,
    test_bars: int,
    mode: str = "long-only",
    fee: float = 0.001,
    slippage: float = 0.0005,
    initial_cash: float = 10_000.0,
    predictions: DataFrame | None = None,
) -> DataFrame:
    """Walk-forward over each symbol's bars → one row per (symbol, segment): the segment's bar times (the first
    and last bar it trained on and traded), the combination chosen, its final equity on the training bars
    (from the initial cash, train_equity), the equity the traded bars ended with (test_equity, carried into
    the next segment: the last segment's is the symbol's final equity), their trades and shortfall. A
    symbol's segments depend on each other through the equity carried over, so each symbol is one group."""
    if not (isinstance(train_bars, int) and train_bars >= 2 and isinstance(test_bars, int) and test_bars >= 2):
        raise ValueError(
            f"walk-forward windows must be integers of at least 2 bars, got train {train_bars}, test {test_bars}"
        )
    names, param_schema, cast = _parameters(kind)
    long_short = mode == "long-short"
    combos = [dict(zip(names, (c(v) for c, v in zip(cast, combo, strict=True)), strict=True)) for combo in combinations]
    if not combos:
        raise ValueError("walk-forward needs at least one combination")

    def one(pdf: pd.DataFrame) -> pd.DataFrame:
        time, open_, close, prediction = _arrays(pdf)
        segments = walk_forward_segments(
            time, open_, close, prediction, kind, combos, long_short, train_bars, test_bars, fee, slippage, initial_cash
        )
        return pd.DataFrame([{"symbol": pdf["symbol"].iloc[0], **s} for s in segments])

    return (
        _with_predictions(bars, kind, predictions)
        .groupBy("symbol")
        .applyInPandas(
            one,
            f"symbol string, {SEGMENT_COLUMNS}, {param_schema}, train_equity double, test_equity double, "
            "trades long, shortfall boolean",
        )
    )


def sma_grid(bars: DataFrame, pairs: list[tuple[int, int]], mode: str = "long-only", **costs) -> DataFrame:
    """The SMA-crossover grid: one row per (symbol, fast, slow)."""
    return strategy_grid(bars, "sma-crossover", pairs, mode, **costs)


def expand_grid(grid: dict) -> tuple[str, list[tuple]]:
    """A grid as the API takes it (each parameter one value or a list) → its kind and combinations, in the
    embedded engine's order (the last parameter varying fastest), those out of order (fast >= slow,
    lower >= upper) left out."""
    kind = grid.get("kind")
    if kind not in PARAMETERS:
        raise ValueError(f"strategy.kind: expected one of {', '.join(PARAMETERS)}, got {kind!r}")
    values = [grid[n] if isinstance(grid[n], list) else [grid[n]] for n, _ in PARAMETERS[kind]]
    combos = list(itertools.product(*values))
    if kind == "sma-crossover":
        return kind, [c for c in combos if c[0] < c[1]]
    if kind == "rsi-thresholds":
        return kind, [c for c in combos if c[1] < c[2]]
    return kind, combos


def _day_ms(day: str) -> int:
    return (date.fromisoformat(day).toordinal() - date(1970, 1, 1).toordinal()) * 86_400_000


def _arguments() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="backtest", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--candles", required=True, help="Parquet of candles: symbol, interval, bucket_start, open, close")
    p.add_argument("--interval", required=True)
    p.add_argument("--from", dest="from_", required=True, help="first UTC day (yyyy-mm-dd) of the range")
    p.add_argument("--to", required=True, help="the UTC day the range ends before")
    p.add_argument("--strategy", required=True, help="a strategy grid as JSON, as POST /api/v1/backtests takes it")
    p.add_argument("--symbols", help="comma-separated; default every symbol of the interval")
    p.add_argument("--mode", choices=["long-only", "long-short"], default="long-only")
    p.add_argument("--walk-forward", help="TRAIN:TEST bars: one row per (symbol, segment) instead of per combination")
    p.add_argument("--predictions", help="Parquet of a model's predictions (symbol, time = bar open, value)")
    p.add_argument("--out", required=True, help="output folder (Parquet)")
    p.add_argument("--master")
    return p


def run(spark, argv: list[str]) -> None:
    """The job on a session: the range's candles, the grid, one Parquet row per (symbol, combination)."""
    args = _arguments().parse_args(argv)
    kind, combinations = expand_grid(json.loads(args.strategy))
    candles = spark.read.parquet(args.candles).where(
        (F.col("interval") == args.interval)
        & (F.col("bucket_start") >= _day_ms(args.from_))
        & (F.col("bucket_start") < _day_ms(args.to))
    )
    if args.symbols:
        candles = candles.where(F.col("symbol").isin(args.symbols.split(",")))
    bars = candles.select("symbol", F.col("bucket_start").alias("open_time"), "open", "close")
    predictions = spark.read.parquet(args.predictions) if args.predictions else None
    if args.walk_forward:
        train, test = (int(v) for v in args.walk_forward.split(":"))
        out = walk_forward(bars, kind, combinations, train, test, args.mode, predictions=predictions)
    else:
        out = strategy_grid(bars, kind, combinations, args.mode, predictions=predictions)
    out.write.mode("overwrite").parquet(args.out)


def main(argv: list[str] | None = None) -> int:
    master = _arguments().parse_args(argv).master
    spark = builder("tickvault backtest", master).getOrCreate()
    run(spark, argv)
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
