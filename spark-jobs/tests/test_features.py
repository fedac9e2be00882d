"""The feature store's Spark rows: nothing after a bar changes its features, and the definitions
(docs/features.md) agree with plain pandas/numpy."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd

from tickvault_jobs.features import with_bar_features, with_market

H = 3_600_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00Z
BAR_SCHEMA = (
    "symbol string, interval string, bucket_start long, close double, volume double, "
    "taker_buy_volume double, taker_sell_volume double, trades long"
)
FEATURES = [
    "log_return_1", "log_return_3", "log_return_6", "log_return_12", "log_return_24",
    "log_return_1_lag_1", "log_return_1_lag_2", "log_return_1_lag_3", "realised_vol_24", "rsi_14",
    "macd", "macd_signal", "macd_hist", "bollinger_pct_b", "volume_z_20", "flow_imbalance",
    "cumulative_volume_delta",
]  # fmt: skip


def random_bars(rng: random.Random, symbol: str, hours: range, missing: float = 0.05) -> list[tuple]:
    return [
        (
            symbol,
            "1h",
            T0 + h * H,
            rng.uniform(1, 1e4),
            rng.uniform(0, 100),
            rng.uniform(0, 50),
            rng.uniform(0, 50),
            rng.randint(0, 99),
        )
        for h in hours
        if rng.random() >= missing
    ]


def features_by_key(spark, bars: list[tuple]) -> dict:
    rows = with_bar_features(spark.createDataFrame(bars, BAR_SCHEMA), "1h").collect()
    return {(r.symbol, r.bucket_start): tuple(r[c] for c in FEATURES) for r in rows}


def test_no_feature_changes_when_the_bars_after_it_do(spark):
    rng = random.Random(18)
    bars = random_bars(rng, "ETH-USDT", range(90)) + random_bars(rng, "SOL-USDT", range(90))
    before = features_by_key(spark, bars)
    for cut_hour in (10, 40, 77):
        cut = T0 + cut_hour * H
        later = random_bars(rng, "ETH-USDT", range(cut_hour + 1, 110), missing=0.3) + random_bars(
            rng, "SOL-USDT", range(cut_hour + 1, 95), missing=0.3
        )
        after = features_by_key(spark, [b for b in bars if b[2] <= cut] + later)
        kept = {k: v for k, v in before.items() if k[1] <= cut}
        assert {k: v for k, v in after.items() if k[1] <= cut} == kept
        # Not vacuous: the bars after the cut did change.
        assert any(after.get(k) != v for k, v in before.items() if k[1] > cut)


def close_enough(got, want) -> bool:
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got is None
    return got is not None and abs(got - want) <= 1e-9 * max(1.0, abs(want))


def test_definitions_agree_with_pandas_on_a_full_series(spark):
    rng = random.Random(7)
    bars = random_bars(rng, "ETH-USDT", range(150), missing=0.0)
    got = sorted(
        with_bar_features(spark.createDataFrame(bars, BAR_SCHEMA), "1h").collect(), key=lambda r: r.bucket_start
    )
    df = pd.DataFrame(bars, columns=["symbol", "interval", "t", "close", "volume", "buy", "sell", "trades"])
    c, v = df["close"], df["volume"]
    r1 = np.log(c / c.shift(1))
    d = c.diff()
    gain, loss = d.clip(lower=0).rolling(14).mean(), (-d).clip(lower=0).rolling(14).mean()
    macd = c.ewm(span=12, adjust=False).mean() - c.ewm(span=26, adjust=False).mean()
    mid, sd = c.rolling(20).mean(), c.rolling(20).std(ddof=0)
    want = {
        **{f"log_return_{h}": np.log(c / c.shift(h)) for h in (1, 3, 6, 12, 24)},
        **{f"log_return_1_lag_{k}": r1.shift(k) for k in (1, 2, 3)},
        "realised_vol_24": r1.rolling(24).std(ddof=1),
        "rsi_14": 100 - 100 / (1 + gain / loss),
        "bollinger_pct_b": (c - (mid - 2 * sd)) / (4 * sd),
        "volume_z_20": (v - v.rolling(20).mean()) / v.rolling(20).std(ddof=1),
        "flow_imbalance": (df["buy"] - df["sell"]) / (df["buy"] + df["sell"]),
        "cumulative_volume_delta": (df["buy"] - df["sell"]).groupby(df["t"] // 86_400_000).cumsum(),
    }
    for name, series in want.items():
        for i, row in enumerate(got):
            assert close_enough(row[name], series.iloc[i]), (name, i, row[name], series.iloc[i])
    # MACD from 26 bars on, while the 200-bar window still holds the whole history (then it is pandas' EMA).
    for i in range(25, 150):
        assert close_enough(got[i].macd, macd.iloc[i]), ("macd", i)
    assert all(r.macd is None for r in got[:25])


def test_market_facts_are_the_latest_at_or_before_the_bars_end(spark):
    bars = spark.createDataFrame(
        [("ETH-USDT", "1h", T0 + h * H, 100.0 + h, 1.0, 1.0, 0.0, 1) for h in range(4)]
        + [("BTC-USDT", "1h", T0 + h * H, 50.0 * (h + 1), 1.0, 0.0, 1.0, 1) for h in range(4)],
        BAR_SCHEMA,
    )
    features = with_bar_features(bars, "1h")
    snapshots = spark.createDataFrame(
        [
            (7, ("ETH-USDT", T0 + H - 1, "1000", 3)),
            (5, ("ETH-USDT", T0 + H - 1, "900", 4)),
            (9, ("ETH-USDT", T0 + H, "2000", 2)),
        ],
        "position long, e struct<symbol string, eventTime long, marketCapUsd string, rank long>",
    )
    sentiment = spark.createDataFrame(
        [(3, ("ETH-USDT", T0 + 2 * H + 60_000, 0.5))],
        "position long, e struct<symbol string, minute long, score double>",
    )
    rows = {(r.symbol, r.bucket_start): r for r in with_market(features, "1h", snapshots, sentiment).collect()}
    eth = [rows[("ETH-USDT", T0 + h * H)] for h in range(4)]
    # Two snapshots at the end of hour 0: the later in the ledger (position 7) wins; hour 1's is at its start.
    assert [(r.market_cap_usd, r.market_cap_rank) for r in eth] == [(1000.0, 3), (2000.0, 2), (2000.0, 2), (2000.0, 2)]
    assert [r.sentiment for r in eth] == [None, None, 0.5, 0.5]
    assert [r.market_log_return_1 for r in eth] == [None, math.log(2.0), math.log(1.5), math.log(4 / 3)]
