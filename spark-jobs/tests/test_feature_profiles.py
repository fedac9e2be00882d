"""The time-series views beside the feature rows, against numpy/pandas references of their definitions
(docs/features.md): statsmodels' `acf(x, adjusted=False)` estimator and a weekday × hour groupby."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from tickvault_jobs.feature_profiles import ACF_MAX_LAG, autocorrelation, seasonality

H = 3_600_000
D = 86_400_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00Z, a Monday
SCHEMA = "symbol string, interval string, bucket_start long, log_return_1 double"


def reference_acf(x: np.ndarray, lag: int) -> float | None:
    """statsmodels.tsa.stattools.acf(x, adjusted=False)[lag], written out."""
    d = x - x.mean()
    den = float(d @ d)
    if lag >= len(x) or den == 0:
        return None
    return float(d[:-lag] @ d[lag:]) / den


def close(got, want) -> bool:
    if want is None:
        return got is None
    return got is not None and abs(got - want) <= 1e-12 * max(1.0, abs(want))


def test_autocorrelation_is_the_statsmodels_estimator_per_symbol_and_interval(spark):
    rng = random.Random(30)
    rows = []
    series: dict[tuple[str, str], list[float]] = {}
    for symbol, interval, step, n in (("ETH-USDT", "1h", H, 200), ("ETH-USDT", "1d", D, 40), ("SOL-USDT", "1h", H, 12)):
        x = 0.0
        for i in range(n):
            # An AR(1) series, so the lags are not all near zero; some bars without a return are left out.
            x = 0.6 * x + rng.gauss(0, 0.01)
            r = None if rng.random() < 0.05 else x
            rows.append((symbol, interval, T0 + i * step, r))
            if r is not None:
                series.setdefault((symbol, interval), []).append(r)
    rng.shuffle(rows)  # the view orders by time itself
    got = autocorrelation(spark.createDataFrame(rows, SCHEMA)).collect()
    assert len(got) == 3 * ACF_MAX_LAG
    for r in got:
        x = np.array(series[(r.symbol, r.interval)])
        assert r.observations == len(x)
        assert close(r.value, reference_acf(x, r.lag)), (r.symbol, r.interval, r.lag, r.value)
    # Not vacuous: the AR(1) series has a clearly positive first lag, and SOL's 11 returns leave lags 11.. null.
    assert next(r.value for r in got if (r.symbol, r.interval, r.lag) == ("ETH-USDT", "1h", 1)) > 0.4
    sol = {r.lag: r.value for r in got if r.symbol == "SOL-USDT"}
    assert all(sol[k] is None for k in range(len(series[("SOL-USDT", "1h")]), ACF_MAX_LAG + 1))
    assert sol[1] is not None


def test_a_series_with_no_variance_has_no_autocorrelation(spark):
    # 0.25 sums exactly, so the mean is exact and every deviation is 0 (0.001 would leave rounding dust).
    rows = [("BTC-USDT", "1h", T0 + i * H, 0.25) for i in range(10)]
    got = autocorrelation(spark.createDataFrame(rows, SCHEMA)).collect()
    assert [r.value for r in got] == [None] * ACF_MAX_LAG


def test_seasonality_is_the_weekday_hour_mean_with_every_cell_listed(spark):
    rng = random.Random(24)
    rows = [
        ("ETH-USDT", "1h", T0 + i * H, None if rng.random() < 0.1 else rng.gauss(0, 0.01)) for i in range(24 * 20)
    ] + [("ETH-USDT", "1d", T0 + i * D, 0.5) for i in range(20)]  # daily rows are not hours: left out
    got = seasonality(spark.createDataFrame(rows, SCHEMA)).collect()
    assert len(got) == 168
    df = pd.DataFrame([r for r in rows if r[1] == "1h" and r[3] is not None], columns=["s", "i", "t", "r"])
    when = pd.to_datetime(df["t"], unit="ms", utc=True)
    want = df.groupby([when.dt.dayofweek + 1, when.dt.hour])["r"].agg(["mean", "count"])
    for r in got:
        key = (r.day_of_week, r.hour)
        if key in want.index:
            assert r["count"] == want.loc[key, "count"]
            assert close(r.mean_log_return, float(want.loc[key, "mean"])), (key, r.mean_log_return)
        else:
            assert (r["count"], r.mean_log_return) == (0, None)
    # 2024-01-01 00:00 UTC was a Monday: its bar sits in cell (1, 0).
    assert {(r.day_of_week, r.hour) for r in got} == {(d, h) for d in range(1, 8) for h in range(24)}
    assert next(r["count"] for r in got if (r.day_of_week, r.hour) == (1, 0)) == want.loc[(1, 0), "count"]
