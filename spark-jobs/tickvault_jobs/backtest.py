"""Backtests on Spark: an SMA-crossover grid, one backtest per (symbol, fast, slow) as a grouped
pandas UDF. The twin of the embedded engine (src/domain/backtest/, docs/backtests.md), with its
rules: the signal of bar t fills at bar t+1's open, all in, fee and slippage proportional, a
position open at the end marked at the last close and counted as a trade; averages over the
range's bars only, a flat window averaging to its value exactly, ties within 1e-10 relative giving
no signal. Both are held to vectorbt's Portfolio.from_signals by their tests.

The bars are replicated once per pair (a cross join), which is what lets every pair run as its
own task: a grid of 100 pairs over a year of 1m bars is 100 groups of 525,600 rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

TIE = 1e-10
RESULT_SCHEMA = "symbol string, fast int, slow int, final_equity double, trades long"


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


def _above(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (a - b) > TIE * np.maximum(np.abs(a), np.abs(b))


def simulate(
    open_: np.ndarray,
    close: np.ndarray,
    bullish: np.ndarray,
    bearish: np.ndarray,
    long_short: bool,
    fee: float,
    slippage: float,
    cash: float,
) -> tuple[float, int]:
    """Final equity and trade count: the execution of docs/backtests.md over one bar series."""
    units = 0.0
    trades = 0
    for t in range(1, len(close)):
        up, down = bullish[t - 1], bearish[t - 1]
        if up == down:
            continue
        if units > 0 and down:
            cash += units * open_[t] * (1 - slippage) * (1 - fee)
            units, trades = 0.0, trades + 1
        elif units < 0 and up:
            cash -= -units * open_[t] * (1 + slippage) * (1 + fee)
            units, trades = 0.0, trades + 1
        if units == 0 and cash > 0 and (up or long_short):
            price = open_[t] * (1 + slippage) if up else open_[t] * (1 - slippage)
            size = cash / (price * (1 + fee))
            if up:
                units, cash = size, 0.0
            else:
                units, cash = -size, cash + size * price * (1 - fee)
    if units != 0:
        trades += 1
    return cash + units * close[-1], trades


def sma_grid(
    bars: DataFrame,
    pairs: list[tuple[int, int]],
    mode: str = "long-only",
    fee: float = 0.001,
    slippage: float = 0.0005,
    initial_cash: float = 10_000.0,
) -> DataFrame:
    """bars (symbol, open_time, open, close) → one row per (symbol, fast, slow): final equity and trades."""
    long_short = mode == "long-short"
    grid = bars.sparkSession.createDataFrame(pairs, "fast int, slow int")

    def one(pdf: pd.DataFrame) -> pd.DataFrame:
        pdf = pdf.sort_values("open_time")
        close = pdf["close"].to_numpy(dtype=float)
        open_ = pdf["open"].to_numpy(dtype=float)
        fast, slow = int(pdf["fast"].iloc[0]), int(pdf["slow"].iloc[0])
        f, s = _sma(close, fast), _sma(close, slow)
        equity, trades = simulate(open_, close, _above(f, s), _above(s, f), long_short, fee, slippage, initial_cash)
        return pd.DataFrame(
            [{"symbol": pdf["symbol"].iloc[0], "fast": fast, "slow": slow, "final_equity": equity, "trades": trades}]
        )

    return (
        bars.select("symbol", "open_time", "open", "close")
        .crossJoin(F.broadcast(grid))
        .groupBy("symbol", "fast", "slow")
        .applyInPandas(one, RESULT_SCHEMA)
    )
