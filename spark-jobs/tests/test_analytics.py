"""Indicators, risk, trend and correlation against plain pandas/numpy references."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from tickvault_jobs.correlation import correlation_matrix
from tickvault_jobs.indicators import with_indicators
from tickvault_jobs.metadata import latest_metadata, with_metadata
from tickvault_jobs.risk import historical_cvar, historical_var, risk_by_symbol, sharpe
from tickvault_jobs.trend import classify

H = 3_600_000


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


def test_risk_figures_match_numpy_definitions():
    r = np.array([-0.05, -0.02, 0.0, 0.01, 0.03, -0.01, 0.02, 0.04, -0.03, 0.01])
    assert historical_var(r, 0.95) == pytest.approx(-np.quantile(r, 0.05))
    assert historical_cvar(r, 0.95) == pytest.approx(0.05)  # only the worst return is at or below the 5% quantile
    assert historical_cvar(r, 0.95) >= historical_var(r, 0.95)
    assert sharpe(r, 365) == pytest.approx(r.mean() / r.std(ddof=1) * math.sqrt(365))
    assert math.isnan(sharpe(np.array([0.01]), 365))


def test_risk_by_symbol_aggregates_each_series_through_the_pandas_udfs(spark):
    closes = {"A-USDT": [100, 101, 99, 102, 98, 103, 97], "B-USDT": [10, 10.5, 10.2, 10.1, 10.8, 10.4, 10.6]}
    got = {r.symbol: r for r in risk_by_symbol(series_df(spark, closes), "1h").collect()}
    for sym, c in closes.items():
        r = np.diff(np.log(np.array(c, dtype=float)))
        assert got[sym].observations == len(r)
        assert got[sym].var_99 == pytest.approx(historical_var(r, 0.99), rel=1e-12)
        assert got[sym].cvar_95 == pytest.approx(historical_cvar(r, 0.95), rel=1e-12)
        assert got[sym].sharpe == pytest.approx(sharpe(r, 8760), rel=1e-12)


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
