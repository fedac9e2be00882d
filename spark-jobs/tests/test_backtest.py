"""Spark's SMA-grid backtest (one backtest per pair as a grouped pandas UDF) against vectorbt 1.0's
Portfolio.from_signals, as the embedded engine is (test/support/backtest_reference.py): final equity within
1e-9 relative and the same trade count, long-only and long-short, on two days of the shared 1m klines and on
generated bars. Missing shared data skips the klines case, except under CI=true, where it fails."""

from __future__ import annotations

import csv
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest
from risk_reference_support import close_relative

from tickvault_jobs.backtest import sma_grid

REPO = Path(__file__).resolve().parents[2]
KLINES = (
    REPO / os.environ.get("TICKVAULT_SHARED_DATA", "../shared/data")
).resolve() / "binance-futures-klines-1m-2023-02"
PAIRS = [(5, 20), (10, 60), (30, 120), (3, 7)]


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


def _generated(seed, n):
    rng = np.random.default_rng(seed)
    rows, last = [], 100.0
    for i in range(n):
        o = last * (1 + rng.uniform(-0.002, 0.002))
        # One bar in ten unchanged: flat stretches, where averages tie.
        last = o if rng.random() < 0.1 else o * (1 + rng.uniform(-0.02, 0.02))
        rows.append((1_700_000_000_000 + i * 60_000, o, last))
    return rows


def _series():
    out = {f"GEN{s}-USD": _generated(s, 300 + 50 * s) for s in range(3)}
    if KLINES.is_dir():
        out.update({f"{s}-USDT": _klines(s) for s in ("BTCUSDT", "ETHUSDT")})
    elif os.environ.get("CI") == "true":
        pytest.fail(f"shared data folder {KLINES} does not exist (under CI=true missing data is a failure)")
    return out


@pytest.mark.parametrize("mode", ["long-only", "long-short"])
def test_spark_sma_grid_equals_vectorbt(spark, mode):
    ref = _reference()
    series = _series()
    bars = spark.createDataFrame(
        [(sym, t, o, c) for sym, rows in series.items() for t, o, c in rows],
        "symbol string, open_time long, open double, close double",
    )
    got = {(r.symbol, r.fast, r.slow): (r.final_equity, r.trades) for r in sma_grid(bars, PAIRS, mode).collect()}
    assert len(got) == len(series) * len(PAIRS)
    names = list(series)
    inputs = [{"open": [o for _, o, _ in series[n]], "close": [c for _, _, c in series[n]]} for n in names]
    mismatches = []
    for i, name in enumerate(names):
        for fast, slow in PAIRS:
            want = ref.run(
                {"series": i, "strategy": {"kind": "sma-crossover", "fast": fast, "slow": slow}, "mode": mode}, inputs
            )
            equity, trades = got[(name, fast, slow)]
            if not close_relative(equity, want["finalValue"]) or trades != want["trades"]:
                vbt = f"vectorbt {want['finalValue']} in {want['trades']}"
                mismatches.append(f"{name} {fast}/{slow}: spark {equity} in {trades} trades, {vbt}")
    assert mismatches == []
