"""Backtests by vectorbt 1.0: the strategies' signals written from docs/backtests.md's definitions
in numpy (sliding windows, each window's mean computed on its own), then
vbt.Portfolio.from_signals with the execution the docs name. JSON on stdin:
{"series": [{"open": [...], "close": [...], "predictions": [...]?}], "cases": [{"series": i,
"strategy": {...}, "mode": "long-only"|"long-short"}]}; JSON out: {"results": [{"finalValue", "trades"}]}.
Optionally "timing": {"fasts": [...], "slows": [...], "open", "close", "repeats"}: the SMA grid as
one vectorbt run over every pair (columns), timed after a warm-up run (numba JIT)."""

import json
import sys
import time

import numpy as np
import pandas as pd
import vectorbt as vbt
from numpy.lib.stride_tricks import sliding_window_view

FEES = 0.001
SLIPPAGE = 0.0005
INIT_CASH = 10000.0
TIE = 1e-10


def above(a, b):
    """a > b by more than a tie (docs/backtests.md); False where either is NaN."""
    with np.errstate(invalid="ignore"):
        return (a - b) > TIE * np.maximum(np.abs(a), np.abs(b))


def rolling_mean(x, w):
    """Mean of each full window; a window of equal values is that value exactly."""
    out = np.full(len(x), np.nan)
    if len(x) < w:
        return out
    win = sliding_window_view(x, w)
    means = win.mean(axis=1)
    flat = (win == win[:, :1]).all(axis=1)
    means[flat] = win[flat, 0]
    out[w - 1 :] = means
    return out


def rolling_std(x, w, mean):
    out = np.full(len(x), np.nan)
    if len(x) < w:
        return out
    win = sliding_window_view(x, w)
    out[w - 1 :] = np.sqrt(((win - mean[w - 1 :, None]) ** 2).mean(axis=1))
    return out


def rsi(close, w):
    d = np.diff(close)
    gain = np.where(d > 0, d, 0.0)
    loss = np.where(d < 0, -d, 0.0)
    out = np.full(len(close), np.nan)
    if len(d) < w:
        return out
    mean_gain = sliding_window_view(gain, w).mean(axis=1)
    mean_loss = sliding_window_view(loss, w).mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(
            mean_loss == 0, np.where(mean_gain == 0, np.nan, 100.0), 100.0 - 100.0 / (1.0 + mean_gain / mean_loss)
        )
    out[w:] = r
    return out


def signals(strategy, open_, close, predictions):
    """(long entry, long exit, short entry, short exit) at each bar's close."""
    kind = strategy["kind"]
    with np.errstate(invalid="ignore"):
        if kind == "sma-crossover":
            fast = rolling_mean(close, strategy["fast"])
            slow = rolling_mean(close, strategy["slow"])
            up, down = above(fast, slow), above(slow, fast)
            return up, down, down, up
        if kind == "rsi-thresholds":
            r = rsi(close, strategy["window"])
            low, high = above(strategy["lower"], r), above(r, strategy["upper"])
            return low, high, high, low
        if kind == "bollinger-breakout":
            mid = rolling_mean(close, strategy["window"])
            band = strategy["k"] * rolling_std(close, strategy["window"], mid)
            return above(close, mid + band), above(mid, close), above(mid - band, close), above(close, mid)
        if kind == "follow-predictions":
            p = np.asarray(predictions, dtype=float)
            up, down = above(p, strategy["threshold"]), above(-strategy["threshold"], p)
            return up, down, down, up
    raise ValueError(f"unknown strategy kind {kind}")


def shifted(a):
    """The signal of bar t acted on at bar t + 1 (entries.shift(1))."""
    return pd.Series(a).shift(1, fill_value=False).astype(bool)


def run(case, series):
    bars = series[case["series"]]
    open_ = np.asarray(bars["open"], dtype=float)
    close = np.asarray(bars["close"], dtype=float)
    le, lx, se, sx = signals(case["strategy"], open_, close, bars.get("predictions"))
    common = dict(
        close=pd.Series(close), price=pd.Series(open_), fees=FEES, slippage=SLIPPAGE, size=np.inf, init_cash=INIT_CASH
    )
    if case["mode"] == "long-only":
        pf = vbt.Portfolio.from_signals(entries=shifted(le), exits=shifted(lx), direction="longonly", **common)
    else:
        # size=inf cannot short in vectorbt unless the short is sized by the cash (lock_cash).
        pf = vbt.Portfolio.from_signals(
            entries=shifted(le),
            exits=shifted(lx),
            short_entries=shifted(se),
            short_exits=shifted(sx),
            lock_cash=True,
            **common,
        )
    return {"finalValue": float(pf.value().iloc[-1]), "trades": int(pf.trades.count())}


def sma_grid_seconds(t):
    """vectorbt's own path for an SMA grid (MA.run, then from_signals over every pair as a column),
    timed after an untimed warm-up run (numba JIT). The final values returned, to check that both
    sides did the same work, come from a separate untimed run on pandas' compensated rolling means
    (MA.run keeps a plain running sum, which drifts over half a million bars) with min_size=0."""
    close = pd.Series(np.asarray(t["close"], dtype=float))
    open_ = pd.Series(np.asarray(t["open"], dtype=float))
    fasts, slows = t["fasts"], t["slows"]

    def portfolio(fv, sv, **extra):
        entries = pd.DataFrame(above(fv, sv)).shift(1, fill_value=False).astype(bool)
        exits = pd.DataFrame(above(sv, fv)).shift(1, fill_value=False).astype(bool)
        return vbt.Portfolio.from_signals(
            close,
            entries,
            exits,
            price=open_,
            fees=FEES,
            slippage=SLIPPAGE,
            size=np.inf,
            init_cash=INIT_CASH,
            direction="longonly",
            **extra,
        )

    def once():
        fast = vbt.MA.run(close, window=fasts, short_name="fast")
        slow = vbt.MA.run(close, window=slows, short_name="slow")
        return portfolio(fast.ma.values, slow.ma.values)

    once()  # numba compiles on first use: not timed
    best = None
    for _ in range(int(t.get("repeats", 3))):
        start = time.perf_counter()
        once()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    means = {w: close.rolling(w).mean().to_numpy() for w in set(fasts) | set(slows)}
    # min_size=0: vectorbt's default (1e-8 units) refuses the orders of an account that has lost nearly
    # everything (1e-8 BTC is a ten-thousandth of a dollar); the engine trades any fraction.
    pf = portfolio(np.column_stack([means[w] for w in fasts]), np.column_stack([means[w] for w in slows]), min_size=0.0)
    return {"seconds": best, "finalValues": pf.value().values[-1].tolist(), "trades": pf.trades.count().values.tolist()}


def main():
    request = json.load(sys.stdin)
    series = request.get("series", [])
    answer = {"results": [run(c, series) for c in request.get("cases", [])]}
    if "timing" in request:
        answer["timing"] = sma_grid_seconds(request["timing"])
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
