"""Spark's strategy grids (one backtest per combination as a grouped pandas UDF) against vectorbt 1.0's
Portfolio.from_signals, as the embedded engine is (test/support/backtest_reference.py): final equity within
1e-9 relative and the same trade count, for SMA crossover, RSI thresholds, Bollinger breakout and follow-
predictions, long-only and long-short, on two days of the shared 1m klines, on coins of the shared daily OHLCV
and on generated bars; walk-forward against a re-statement of its definition (windows, choice, equity carried)
over vectorbt's runs of each window. Long-short cases where a short had to be covered for more than the
account held are left out and counted, as the embedded engine's test does: there vectorbt covers only what the
cash buys, by design (docs/backtests.md). Missing shared data skips those series, except under CI=true, where
it fails."""

from __future__ import annotations

import csv
import importlib.util
import os
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from risk_reference_support import close_relative

from tickvault_jobs.backtest import (
    PARAMETERS,
    expand_grid,
    run,
    signals,
    simulate,
    strategy_grid,
    walk_forward,
)

REPO = Path(__file__).resolve().parents[2]
DATA = (REPO / os.environ.get("TICKVAULT_SHARED_DATA", "../shared/data")).resolve()
KLINES = DATA / "binance-futures-klines-1m-2023-02"
DAILY = DATA / "daily-ohlcv-marketcap"
COINS = ("Bitcoin", "Ethereum", "Dogecoin", "XRP")
GRIDS = {
    "sma-crossover": [(5, 20), (10, 60), (30, 120), (3, 7)],
    "rsi-thresholds": [(14, 30, 70), (7, 25, 75), (3, 20, 80), (5, 35, 65)],
    "bollinger-breakout": [(20, 2.0), (10, 1.5), (5, 1.0), (2, 0.5)],
}
D = 86_400_000


def _reference():
    path = REPO / "test" / "support" / "backtest_reference.py"
    spec = importlib.util.spec_from_file_location("backtest_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _klines(symbol):
    rows = []
    for day in ("01", "02"):
        with (KLINES / f"{symbol}-1m-2023-02-{day}.csv").open() as fh:
            rows += [(int(r["open_time"]), float(r["open"]), float(r["close"])) for r in csv.DictReader(fh)]
    return rows


def _daily(coin):
    with (DAILY / f"coin_{coin}.csv").open() as fh:
        return [
            (
                (date.fromisoformat(r["Date"][:10]).toordinal() - date(1970, 1, 1).toordinal()) * D,
                float(r["Open"]),
                float(r["Close"]),
            )
            for r in csv.DictReader(fh)
        ]


def _generated(seed, n):
    rng = np.random.default_rng(seed)
    rows, last = [], 100.0
    for i in range(n):
        o = last * (1 + rng.uniform(-0.002, 0.002))
        # One bar in ten unchanged: flat stretches, where averages tie and RSI windows hold no change.
        last = o if rng.random() < 0.1 else o * (1 + rng.uniform(-0.02, 0.02))
        rows.append((1_700_000_000_000 + i * 60_000, o, last))
    return rows


def _series():
    out = {f"GEN{s}-USD": _generated(s, 300 + 50 * s) for s in range(3)}
    if KLINES.is_dir() and DAILY.is_dir():
        out.update({f"{s}-USDT": _klines(s) for s in ("BTCUSDT", "ETHUSDT")})
        out.update({f"{c.upper()}-USD": _daily(c) for c in COINS})
    elif os.environ.get("CI") == "true":
        pytest.fail(f"shared data folder {DATA} lacks the klines or daily OHLCV (under CI=true a failure)")
    return out


@pytest.mark.parametrize("mode", ["long-only", "long-short"])
@pytest.mark.parametrize("kind", list(GRIDS))
def test_spark_strategy_grid_equals_vectorbt(spark, kind, mode):
    ref = _reference()
    series = _series()
    names = [n for n, _ in PARAMETERS[kind]]
    bars = spark.createDataFrame(
        [(sym, t, o, c) for sym, rows in series.items() for t, o, c in rows],
        "symbol string, open_time long, open double, close double",
    )
    got = {
        (r.symbol, *(r[n] for n in names)): (r.final_equity, r.trades, r.shortfall)
        for r in strategy_grid(bars, kind, GRIDS[kind], mode).collect()
    }
    assert len(got) == len(series) * len(GRIDS[kind])
    labels = list(series)
    inputs = [{"open": [o for _, o, _ in series[n]], "close": [c for _, _, c in series[n]]} for n in labels]
    mismatches, compared = [], 0
    for i, label in enumerate(labels):
        for combo in GRIDS[kind]:
            equity, trades, shortfall = got[(label, *combo)]
            if shortfall:
                continue
            compared += 1
            strategy = {"kind": kind, **dict(zip(names, combo, strict=True))}
            want = ref.run({"series": i, "strategy": strategy, "mode": mode}, inputs)
            if not close_relative(equity, want["finalValue"]) or trades != want["trades"]:
                vbt = f"vectorbt {want['finalValue']} in {want['trades']}"
                mismatches.append(f"{label} {combo}: spark {equity} in {trades} trades, {vbt}")
    assert mismatches == []
    # Something compared in every grid: shorting an overbought coin by RSI on daily bars runs out of cash on
    # most coins (16 of those 36 cases when written), the other grids rarely or never.
    assert compared > 0.5 * len(got)


def test_signals_resolve_as_the_embedded_engine_does():
    """An entry and an exit of one side on one bar cancel, as do a long and a short entry; a reversal
    covers, then enters the other way with all the cash."""
    open_ = np.array([100.0, 100.0, 110.0, 121.0, 121.0])
    close = open_.copy()
    no = np.zeros(5, dtype=bool)

    def at(*bars):
        a = no.copy()
        a[list(bars)] = True
        return a

    # A long entry beside its own exit does nothing; beside a short entry, nothing either.
    assert simulate(open_, close, (at(0), at(0), no, no), True, 0.0, 0.0, 100.0) == (100.0, 0, False)
    assert simulate(open_, close, (at(0), no, at(0), no), True, 0.0, 0.0, 100.0) == (100.0, 0, False)
    # Long at 100, reversed short at 110 (one trade), still short at the end (marked, a second trade).
    equity, trades, shortfall = simulate(open_, close, (at(0), no, at(1), no), True, 0.0, 0.0, 100.0)
    assert (trades, shortfall) == (2, False)
    # Sold at 110 (cash 110), shorted 1 unit at 110 (cash 220), marked at 121: 220 - 121.
    assert close_relative(equity, 99.0)
    # Long-only ignores the short entry: the long stays open and is marked at the last close.
    assert simulate(open_, close, (at(0), no, at(1), no), False, 0.0, 0.0, 100.0)[:2] == (121.0, 1)


def test_expand_grid_orders_as_the_embedded_engine_and_leaves_out_combinations_out_of_order():
    assert expand_grid({"kind": "sma-crossover", "fast": [5, 30], "slow": [20, 10]}) == (
        "sma-crossover",
        [(5, 20), (5, 10)],
    )
    assert expand_grid({"kind": "rsi-thresholds", "window": 14, "lower": [30, 70], "upper": [70, 80]})[1] == [
        (14, 30, 70),
        (14, 30, 80),
        (14, 70, 80),
    ]
    assert expand_grid({"kind": "follow-predictions", "threshold": [0, 0.01]}) == (
        "follow-predictions",
        [(0,), (0.01,)],
    )
    with pytest.raises(ValueError, match="strategy.kind"):
        expand_grid({"kind": "momentum", "window": 3})


def test_the_entry_point_runs_a_grid_over_the_candles_of_its_range(spark, tmp_path):
    rows = _generated(7, 120)
    candles = [("BTC-USDT", "1m", t, o, c) for t, o, c in rows] + [("BTC-USDT", "1h", rows[0][0], 1.0, 1.0)]
    spark.createDataFrame(
        candles, "symbol string, interval string, bucket_start long, open double, close double"
    ).write.parquet(str(tmp_path / "candles"))
    grid = '{"kind": "bollinger-breakout", "window": [5, 10], "k": 1.5}'
    argv = ["--candles", str(tmp_path / "candles"), "--interval", "1m", "--from", "2023-11-14", "--to", "2023-11-16"]
    run(spark, [*argv, "--strategy", grid, "--mode", "long-short", "--out", str(tmp_path / "out")])
    got = {(r.window, r.k): (r.final_equity, r.trades) for r in spark.read.parquet(str(tmp_path / "out")).collect()}
    opens, closes = np.array([o for _, o, _ in rows]), np.array([c for _, _, c in rows])
    for window in (5, 10):
        flags = signals("bollinger-breakout", {"window": window, "k": 1.5}, closes)
        equity, trades, _ = simulate(opens, closes, flags, True, 0.001, 0.0005, 10_000.0)
        assert got[(window, 1.5)] == (equity, trades)


def _shared_series(bars):
    """`bars` bars of each: generated series, and when the shared data is there the first bars of the BTC and
    ETH 1m klines and the last days of two coins' daily OHLCV."""
    out = {f"GEN{s}-USD": _generated(s, bars - 20 * s) for s in range(2)}
    if KLINES.is_dir() and DAILY.is_dir():
        out.update({f"{s}-USDT": _klines(s)[:bars] for s in ("BTCUSDT", "ETHUSDT")})
        out.update({f"{c.upper()}-USD": _daily(c)[-bars:] for c in ("Bitcoin", "Dogecoin")})
    elif os.environ.get("CI") == "true":
        pytest.fail(f"shared data folder {DATA} lacks the klines or daily OHLCV (under CI=true a failure)")
    return out


def _predictions(rows):
    """A stand-in for a model, as the embedded engine's test has it: each bar's own return, predicted to go on;
    every fifth bar without a prediction (no signal), and one prediction of a time that is no bar's (ignored)."""
    by_time = {t: c / o - 1 for i, (t, o, c) in enumerate(rows) if i % 5 != 3}
    by_time[rows[-1][0] + 1] = 1.0
    return by_time


def _frames(spark, series, predictions):
    bars = spark.createDataFrame(
        [(sym, t, o, c) for sym, rows in series.items() for t, o, c in rows],
        "symbol string, open_time long, open double, close double",
    )
    preds = spark.createDataFrame(
        [(sym, t, v) for sym, by_time in predictions.items() for t, v in by_time.items()],
        "symbol string, time long, value double",
    )
    return bars, preds


def _reference_input(rows, by_time):
    """The bars as the vectorbt reference takes them, each bar's prediction NaN where there is none."""
    return {
        "open": [o for _, o, _ in rows],
        "close": [c for _, _, c in rows],
        "predictions": [by_time.get(t, float("nan")) for t, _, _ in rows],
    }


@pytest.mark.parametrize("mode", ["long-only", "long-short"])
def test_spark_follow_predictions_equals_vectorbt(spark, mode):
    ref = _reference()
    series = _shared_series(400)
    predictions = {sym: _predictions(rows) for sym, rows in series.items()}
    thresholds = [(0.0,), (0.0005,), (0.002,)]
    bars, preds = _frames(spark, series, predictions)
    got = {
        (r.symbol, r.threshold): (r.final_equity, r.trades, r.shortfall)
        for r in strategy_grid(bars, "follow-predictions", thresholds, mode, predictions=preds).collect()
    }
    assert len(got) == len(series) * len(thresholds)
    labels = list(series)
    inputs = [_reference_input(series[n], predictions[n]) for n in labels]
    mismatches, compared = [], 0
    for i, label in enumerate(labels):
        for (threshold,) in thresholds:
            equity, trades, shortfall = got[(label, threshold)]
            if shortfall:
                continue
            compared += 1
            strategy = {"kind": "follow-predictions", "threshold": threshold}
            want = ref.run({"series": i, "strategy": strategy, "mode": mode}, inputs)
            if not close_relative(equity, want["finalValue"]) or trades != want["trades"]:
                vbt = f"vectorbt {want['finalValue']} in {want['trades']}"
                mismatches.append(f"{label} {threshold}: spark {equity} in {trades} trades, {vbt}")
    assert mismatches == []
    assert compared > 0.5 * len(got)


def _reference_walk_forward(ref, inputs, strategies, mode, train_bars, test_bars):
    """Walk-forward as docs/backtests.md defines it, each run by vectorbt: windows of train_bars moving on by
    test_bars while one leaves a bar to trade; on each, the strategy with the highest final equity from 10,000
    (the first of equals) trades the next test_bars bars, starting flat with the equity the last segment ended
    with (all-in sizing with proportional costs scales with the cash: a run from `cash` is cash / 10,000 times
    vectorbt's run from 10,000). Each run's indicators see only its own bars."""

    def value(strategy, a, b):
        part = {k: v[a:b] for k, v in inputs.items()}
        return ref.run({"series": 0, "strategy": strategy, "mode": mode}, [part])

    n, cash, start, segments = len(inputs["close"]), 10_000.0, 0, []
    while start + train_bars < n:
        train_to, test_to = start + train_bars, min(n, start + train_bars + test_bars)
        scores = [value(s, start, train_to)["finalValue"] for s in strategies]
        chosen = scores.index(max(scores))
        traded = value(strategies[chosen], train_to, test_to)
        cash *= traded["finalValue"] / 10_000.0
        segments.append((start, train_to, test_to, chosen, scores[chosen], cash, traded["trades"]))
        start += test_bars
    return segments


WALKS = {
    # Both pairs longer than a training window never trade: an exact tie at 10,000, the first chosen.
    "sma-crossover": [(3, 12), (5, 30), (200, 300), (150, 300)],
    # A threshold no momentum reaches never trades either: the same tie.
    "follow-predictions": [(0.0005,), (5.0,), (0.0,), (9.0,)],
}


@pytest.mark.parametrize(("kind", "mode"), [("sma-crossover", "long-only"), ("follow-predictions", "long-short")])
def test_spark_walk_forward_equals_its_definition_over_vectorbt_runs(spark, kind, mode):
    ref = _reference()
    series = _shared_series(360)
    predictions = {sym: _predictions(rows) for sym, rows in series.items()}
    names = [n for n, _ in PARAMETERS[kind]]
    combos = WALKS[kind]
    strategies = [{"kind": kind, **dict(zip(names, c, strict=True))} for c in combos]
    bars, preds = _frames(spark, series, predictions)
    rows = walk_forward(bars, kind, combos, 120, 60, mode, predictions=preds).collect()
    got = {}
    for r in rows:
        got.setdefault(r.symbol, []).append(r)
    mismatches, compared, ties = [], 0, 0
    for label, bars_of in series.items():
        segments = sorted(got[label], key=lambda r: r.segment)
        if any(r.shortfall for r in segments):
            continue
        compared += 1
        want = _reference_walk_forward(ref, _reference_input(bars_of, predictions[label]), strategies, mode, 120, 60)
        assert [r.segment for r in segments] == list(range(len(want)))
        for r, (a, b, c, chosen, train_equity, test_equity, trades) in zip(segments, want, strict=True):
            # Exactly the start cash: a strategy that never traded there, tied with the other one that did not.
            ties += train_equity == 10_000.0
            times = (bars_of[a][0], bars_of[b - 1][0], bars_of[b][0], bars_of[c - 1][0])
            got_times = (r.train_from, r.train_to, r.test_from, r.test_to)
            if (
                tuple(r[n] for n in names) != combos[chosen]
                or got_times != times
                or not close_relative(r.train_equity, train_equity)
                or not close_relative(r.test_equity, test_equity)
                or r.trades != trades
            ):
                mismatches.append(f"{label} segment {r.segment}: spark {r.asDict()}, reference {want[r.segment]}")
    assert mismatches == []
    assert compared >= len(series) - 1
    # The first-of-equals rule was exercised: some window chose a strategy that never traded there.
    assert ties > 0


def test_the_entry_point_runs_walk_forward_over_a_models_predictions(spark, tmp_path):
    rows = _generated(8, 150)
    by_time = _predictions(rows)
    spark.createDataFrame(
        [("BTC-USDT", "1m", t, o, c) for t, o, c in rows],
        "symbol string, interval string, bucket_start long, open double, close double",
    ).write.parquet(str(tmp_path / "candles"))
    spark.createDataFrame(
        [("BTC-USDT", t, v) for t, v in by_time.items()], "symbol string, time long, value double"
    ).write.parquet(str(tmp_path / "predictions"))
    grid = '{"kind": "follow-predictions", "threshold": [0, 0.001]}'
    argv = ["--candles", str(tmp_path / "candles"), "--interval", "1m", "--from", "2023-11-14", "--to", "2023-11-16"]
    argv += ["--predictions", str(tmp_path / "predictions"), "--walk-forward", "50:30", "--mode", "long-short"]
    run(spark, [*argv, "--strategy", grid, "--out", str(tmp_path / "out")])
    got = sorted(spark.read.parquet(str(tmp_path / "out")).collect(), key=lambda r: r.segment)
    opens, closes = np.array([o for _, o, _ in rows]), np.array([c for _, _, c in rows])
    preds = np.array([by_time.get(t, np.nan) for t, _, _ in rows])
    # Trained on [0, 50), [30, 80), [60, 110), [90, 140); the last trades [140, 150).
    assert [(r.train_from, r.test_to) for r in got] == [
        (rows[a][0], rows[min(150, a + 80) - 1][0]) for a in (0, 30, 60, 90)
    ]
    cash = 10_000.0
    for r, a in zip(got, (0, 30, 60, 90), strict=True):
        b, c = a + 50, min(150, a + 80)
        flags = signals("follow-predictions", {"threshold": r.threshold}, closes[b:c], preds[b:c])
        cash = simulate(opens[b:c], closes[b:c], flags, True, 0.001, 0.0005, cash)[0]
        assert r.test_equity == cash
