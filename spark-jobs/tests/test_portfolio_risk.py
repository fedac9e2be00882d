"""Spark's portfolio risk (constant weights rebalanced daily) against the numpy reference the embedded engine
is held to (test/support/portfolio_reference.py), on generated walks with gaps and on the shared daily OHLCV
data (missing data skips that case, except under CI=true, where it fails)."""

from __future__ import annotations

import random

from risk_reference_support import assert_figures_match, close_relative, load_reference
from test_risk_shared_data import _coins

from tickvault_jobs.portfolio_risk import portfolio_returns, portfolio_risk, weights_frame

D = 86_400_000


def _walk(rng, n, start_day=19_000, gap_every=0):
    days, closes, day, close = [], [], start_day, 100.0
    for i in range(n):
        days.append(day)
        closes.append(close)
        day += 2 if gap_every and i % gap_every == gap_every - 1 else 1
        close *= 1 + rng.choice([0.0, 0.01, -0.01, rng.gauss(0, 0.04)])
    return days, closes


def _candles(spark, series, exchange="binance"):
    rows = [
        (exchange, sym, "1d", d * D, float(c))
        for sym, (days, closes) in series.items()
        for d, c in zip(days, closes, strict=True)
    ]
    return spark.createDataFrame(
        rows, "exchange string, symbol string, interval string, bucket_start long, close double"
    )


def _check(spark, series, portfolios, as_of, window, risk_free):
    ref = load_reference("portfolio_reference.py")
    candles = _candles(spark, series)
    got = {
        r.portfolio_id: r
        for r in portfolio_risk(candles, weights_frame(spark, portfolios), as_of * D, window, risk_free).collect()
    }
    returns = portfolio_returns(candles, weights_frame(spark, portfolios), window, as_of * D)
    assert set(got) == set(portfolios)
    for pid, weights in portfolios.items():
        symbols = sorted(weights)
        want = ref.portfolio(
            {
                "series": [{"days": series[s][0], "closes": series[s][1]} for s in symbols],
                "weights": [weights[s] for s in symbols],
                "from": as_of - window,
                "to": as_of,
                "riskFree": risk_free,
            }
        )
        mine = sorted((r.bucket_start // D, r.ret) for r in returns.where(returns.portfolio_id == pid).collect())
        assert [d for d, _ in mine] == want["days"], pid
        for (_, g), w in zip(mine, want["returns"], strict=True):
            assert close_relative(g, w), f"{pid}: {g} vs {w}"
        assert got[pid].observations == want["figures"]["observations"], pid
        assert_figures_match(pid, got[pid], want["figures"])


def test_portfolio_risk_equals_the_reference_on_generated_walks(spark):
    rng = random.Random(23)
    series = {
        "A-USDT": _walk(rng, 300),
        "B-USDT": _walk(rng, 300, gap_every=13),
        "C-USDT": _walk(rng, 250, start_day=19_050),
    }
    portfolios = {
        "pair": {"A-USDT": 0.7, "B-USDT": 0.3},
        "three": {"A-USDT": 0.2, "B-USDT": 0.3, "C-USDT": 0.5},
        "one": {"C-USDT": 1.0},
    }
    _check(spark, series, portfolios, as_of=19_290, window=200, risk_free=0.03)


def test_portfolio_risk_equals_the_reference_on_the_shared_daily_data(spark):
    coins = _coins()
    picked = {s: coins[s] for s in ("BTC-USD", "ETH-USD", "LTC-USD", "XRP-USD")}
    portfolios = {
        "majors": {"BTC-USD": 0.5, "ETH-USD": 0.5},
        "four": {"BTC-USD": 0.4, "ETH-USD": 0.3, "LTC-USD": 0.2, "XRP-USD": 0.1},
    }
    as_of = min(days[-1] for days, _ in picked.values())
    for window in (365, 90):
        _check(spark, picked, portfolios, as_of=as_of, window=window, risk_free=0.0)
