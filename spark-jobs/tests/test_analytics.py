"""Indicators, risk, trend and correlation against plain pandas/numpy references."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest
from risk_reference_support import assert_figures_match, close_relative, load_reference

from tickvault_jobs.correlation import correlation_matrix
from tickvault_jobs.indicators import with_indicators
from tickvault_jobs.metadata import latest_metadata, with_metadata
from tickvault_jobs.risk import risk_by_symbol
from tickvault_jobs.trend import classify

H = 3_600_000
D = 86_400_000


def series_df(spark, closes_by_symbol):
    rows = [
        ("binance", sym, "1h", i * H, float(c))
        for sym, closes in closes_by_symbol.items()
        for i, c in enumerate(closes)
    ]
    return spark.createDataFrame(
        rows, "exchange string, symbol string, interval string, bucket_start long, close double"
    )


def close_enough(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def test_indicators_equal_pandas_rolling_and_ewm(spark):
    rng = random.Random(3)
    closes = [100.0]
    for _ in range(79):
        closes.append(closes[-1] * math.exp(rng.gauss(0, 0.01)))
    got = with_indicators(series_df(spark, {"BTC-USDT": closes})).orderBy("bucket_start").toPandas()
    s = pd.Series(closes)
    change = s.diff()
    gain, loss = change.clip(lower=0).rolling(14).mean(), (-change).clip(lower=0).rolling(14).mean()
    macd = s.ewm(span=12, adjust=False).mean() - s.ewm(span=26, adjust=False).mean()
    signal = macd.ewm(span=9, adjust=False).mean()
    expected = {
        "ma_7": s.rolling(7).mean(),
        "ma_30": s.rolling(30).mean(),
        "rsi_14": 100 - 100 / (1 + gain / loss),
        "macd": macd,
        "macd_signal": signal,
        "macd_hist": macd - signal,
        "bb_upper": s.rolling(20).mean() + 2 * s.rolling(20).std(ddof=0),
        "bb_lower": s.rolling(20).mean() - 2 * s.rolling(20).std(ddof=0),
    }
    for col, ref in expected.items():
        for i in range(len(closes)):
            want = None if pd.isna(ref[i]) else float(ref[i])
            assert close_enough(got[col][i], want), f"{col}[{i}]: {got[col][i]} vs {want}"


def _daily_df(spark, series):
    rows = [
        ("binance", sym, "1d", day * D, float(close))
        for sym, (days, closes) in series.items()
        for day, close in zip(days, closes, strict=True)
    ]
    return spark.createDataFrame(
        rows, "exchange string, symbol string, interval string, bucket_start long, close double"
    )


def _walk(rng, n, start_day=19_000, gap_every=0):
    days, closes, day, close = [], [], start_day, 100.0
    for i in range(n):
        days.append(day)
        closes.append(close)
        day += 2 if gap_every and i % gap_every == gap_every - 1 else 1
        close *= 1 + rng.choice([0.0, 0.01, -0.01, rng.gauss(0, 0.04)])
    return days, closes


def test_risk_by_symbol_equals_the_numpy_scipy_reference_of_the_definitions(spark):
    ref = load_reference()
    rng = random.Random(19)
    series = {"A-USDT": _walk(rng, 420), "B-USDT": _walk(rng, 200, gap_every=17), "C-USDT": _walk(rng, 40)}
    window, risk_free = 365, 0.04
    got = {
        r.symbol: r
        for r in risk_by_symbol(_daily_df(spark, series), "1d", window=window, risk_free=risk_free).collect()
    }
    for sym, (days, closes) in series.items():
        keep = [i for i, d in enumerate(days) if d >= days[-1] - window]
        want = ref.assess(
            {
                "days": [days[i] for i in keep],
                "closes": [closes[i] for i in keep],
                "annualisation": 365,
                "riskFree": risk_free,
            }
        )
        row = got[sym]
        assert (row.observations, row.annualisation, row.window, row.as_of) == (
            want["observations"],
            365,
            window,
            days[-1] * D,
        )
        assert_figures_match(sym, row, want)


def test_log_return_figures_stay_beside_labelled_log(spark):
    closes = {"A-USDT": [100, 101, 99, 102, 98, 103, 97]}
    row = risk_by_symbol(series_df(spark, closes), "1h").first()
    r = np.diff(np.log(np.array(closes["A-USDT"], dtype=float)))
    assert row.annualisation == 8_760 and row.observations == len(r)
    assert close_relative(row.log_var_99, float(-np.quantile(r, 0.01)))
    assert close_relative(row.log_cvar_95, float(-r[r <= np.quantile(r, 0.05)].mean()))
    assert close_relative(row.log_sharpe, float(r.mean() / r.std(ddof=1) * math.sqrt(8_760)))


def test_the_window_ends_at_the_as_of_bar_and_a_missing_bar_leaves_its_returns_out(spark):
    days = [0, 1, 2, 4, 5, 6]  # day 3 missing: no return for day 3 nor for day 4
    df = _daily_df(spark, {"A-USDT": (days, [100, 110, 99, 120, 126, 100.8])})
    row = risk_by_symbol(df, "1d", window=3, as_of=5 * D).first()
    # Window of 3 returns ending at day 5: days 3, 4, 5; only day 5's (126 / 120 - 1) exists.
    assert (row.observations, row.as_of) == (1, 5 * D)
    assert close_relative(row.mean_return, 126 / 120 - 1)
    full = risk_by_symbol(df, "1d", window=10).first()
    assert full.observations == 4 and close_relative(full.max_drawdown, 0.9 * 1.05 * 0.8 - 1)  # peak after day 1


def test_risk_by_symbol_refuses_an_interval_without_an_annualisation(spark):
    with pytest.raises(ValueError, match="interval must be one of"):
        risk_by_symbol(series_df(spark, {"A-USDT": [1, 2]}), "1m")


def test_trend_classification():
    s = lambda *v: pd.Series(v, dtype="float64")  # noqa: E731
    out = classify(s(10, 10, 10, 10, 10, 10), s(9, 9, 9, 11, 9, 9), s(8, 8, 8, 12, 10, None), s(50, 75, 25, 50, 50, 50))
    assert list(out) == ["uptrend", "overbought", "oversold", "downtrend", "sideways", "unknown"]


def test_correlation_matrix_of_pivoted_returns(spark):
    rng = random.Random(5)
    a = [100.0]
    for _ in range(30):
        a.append(a[-1] * math.exp(rng.gauss(0, 0.02)))
    b = [x * 2 for x in a]  # same returns
    c = [10000 / x for x in a]  # opposite returns
    d = [100.0 + rng.random() for _ in a]
    got = {
        (r.a, r.b): r.corr
        for r in correlation_matrix(series_df(spark, {"A": a, "B": b, "C": c, "D": d}), "1h").collect()
    }
    assert got[("A", "B")] == pytest.approx(1.0)
    assert got[("A", "C")] == pytest.approx(-1.0)
    assert got[("A", "A")] == 1.0 and got[("D", "A")] == got[("A", "D")]
    ra, rd = np.diff(np.log(a)), np.diff(np.log(d))
    assert got[("A", "D")] == pytest.approx(np.corrcoef(ra, rd)[0, 1], rel=1e-9)


def test_latest_market_snapshot_is_broadcast_joined(spark):
    snap = spark.createDataFrame(
        [
            (1, ("coingecko", "bitcoin", "BTC-USDT", "1", "100", "5", 1, 1000)),
            (2, ("coingecko", "bitcoin", "BTC-USDT", "1", "200", "5", 1, 2000)),
        ],
        "position long, e struct<provider:string,assetId:string,symbol:string,priceUsd:string,"
        "marketCapUsd:string,volume24hUsd:string,rank:long,eventTime:long>",
    )
    per_symbol = spark.createDataFrame([("BTC-USDT", 1.0), ("ETH-USDT", 2.0)], "symbol string, x double")
    joined = with_metadata(per_symbol, latest_metadata(snap))
    assert "BroadcastHashJoin" in joined._jdf.queryExecution().executedPlan().toString()
    got = {r.symbol: r for r in joined.collect()}
    assert got["BTC-USDT"].market_cap_usd == 200.0 and got["ETH-USDT"].asset_id is None
