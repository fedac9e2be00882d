"""Spark's stress tests against a numpy reference of docs/risk.md's definitions (the ones the embedded
engine's src/domain/portfolio/stress.ts follows): the worst days and the worst non-overlapping weeks of the
portfolio's daily-rebalanced returns, named by date, with every asset's compounded return, and a user's shock
spread through the daily covariance; within 1e-9 relative, on coins of the shared daily OHLCV data and on
generated walks with missing days. Missing shared data skips that case, except under CI=true, where it fails."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest
from risk_reference_support import close_relative
from test_portfolio_optimiser import _matrix
from test_portfolio_risk import _candles, _walk
from test_risk_shared_data import _coins

from tickvault_jobs.portfolio_risk import weights_frame
from tickvault_jobs.portfolio_stress import StressError, historical_scenarios, shock_scenario

D = 86_400_000
COUNT = 5


def _iso(day):
    return (date(1970, 1, 1) + timedelta(days=int(day))).isoformat()


def _reference_scenarios(series, weights, as_of, window, count):
    """(kind, rank) -> (from, to, portfolio return, {symbol: return}) written from the definitions."""
    symbols = sorted(weights)
    days, rows = _matrix(series, symbols, as_of - window, as_of)
    rp = rows @ np.array([weights[s] for s in symbols])
    out = {}
    for rank, t in enumerate(sorted(range(len(rp)), key=lambda t: (rp[t], days[t]))[:count], start=1):
        out[("day", rank)] = (_iso(days[t]), _iso(days[t]), rp[t], dict(zip(symbols, rows[t], strict=True)))
    weeks = [(np.prod(1 + rp[t - 6 : t + 1]) - 1, days[t], t) for t in range(6, len(rp)) if days[t] - days[t - 6] == 6]
    taken = []
    for r, day, t in sorted(weeks):
        if len(taken) == count or any(abs(day - other) < 7 for other in taken):
            continue
        taken.append(day)
        assets = dict(zip(symbols, np.prod(1 + rows[t - 6 : t + 1], axis=0) - 1, strict=True))
        out[("week", len(taken))] = (_iso(days[t - 6]), _iso(day), r, assets)
    return out


def _check_scenarios(spark, series, portfolios, as_of, window):
    candles = _candles(spark, series)
    got = historical_scenarios(candles, weights_frame(spark, portfolios), as_of * D, window, COUNT).collect()
    problems = []
    for pid, weights in portfolios.items():
        want = _reference_scenarios(series, weights, as_of, window, COUNT)
        mine = {(r.kind, r.rank): r for r in got if r.portfolio_id == pid}
        assert sorted(mine) == sorted(want), f"{pid}: scenarios {sorted(mine)} vs {sorted(want)}"
        for key, (first, last, r, assets) in want.items():
            g = mine[key]
            if (g.from_day, g.to_day) != (first, last):
                problems.append(f"{pid} {key}: {g.from_day}..{g.to_day} vs {first}..{last}")
            if not (close_relative(g.portfolio_return, r) and close_relative(g.loss, -r)):
                problems.append(f"{pid} {key}: return {g.portfolio_return} vs {r}")
            if set(g.assets) != set(assets) or not all(close_relative(g.assets[s], x) for s, x in assets.items()):
                problems.append(f"{pid} {key}: assets {g.assets} vs {assets}")
    assert problems == []


def _reference_shock(series, weights, shocks, as_of, window):
    symbols = sorted(set(weights) | set(shocks))
    _, rows = _matrix(series, symbols, as_of - window, as_of)
    sigma = np.cov(rows, rowvar=False, ddof=1)
    s = [symbols.index(x) for x in shocks]
    o = [i for i in range(len(symbols)) if i not in s]
    r = np.zeros(len(symbols))
    r[s] = [shocks[symbols[i]] for i in s]
    r[o] = sigma[np.ix_(o, s)] @ np.linalg.inv(sigma[np.ix_(s, s)]) @ r[s]
    return dict(zip(symbols, r, strict=True)), float(np.array([weights.get(x, 0.0) for x in symbols]) @ r)


def _check_shock(spark, series, weights, shocks, as_of, window):
    got = shock_scenario(_candles(spark, series), weights, shocks, as_of * D, window)
    assets, r = _reference_shock(series, weights, shocks, as_of, window)
    assert set(got["assets"]) == set(assets)
    assert all(close_relative(got["assets"][s], x) for s, x in assets.items()), (got["assets"], assets)
    assert close_relative(got["portfolio_return"], r) and close_relative(got["loss"], -r)
    assert all(got["assets"][s] == x for s, x in shocks.items())


def test_spark_stress_equals_the_definitions_on_the_shared_daily_data(spark):
    coins = _coins()
    series = {s: coins[s] for s in ("BTC-USD", "ETH-USD", "XRP-USD", "DOGE-USD", "LTC-USD")}
    as_of = date(2021, 6, 30).toordinal() - date(1970, 1, 1).toordinal()
    portfolios = {"core": {"BTC-USD": 0.5, "ETH-USD": 0.3, "XRP-USD": 0.2}, "alt": {"DOGE-USD": 0.4, "LTC-USD": 0.6}}
    _check_scenarios(spark, series, portfolios, as_of, 3650)
    # One shock of a held coin; two shocks, one of a coin the portfolio does not hold.
    _check_shock(spark, series, portfolios["core"], {"BTC-USD": -0.3}, as_of, 3650)
    _check_shock(spark, series, portfolios["alt"], {"BTC-USD": -0.3, "ETH-USD": -0.4}, as_of, 365)


def test_spark_stress_equals_the_definitions_on_walks_with_missing_days(spark):
    rng = random.Random(19)
    series = {"A-USD": _walk(rng, 400, gap_every=23), "B-USD": _walk(rng, 400), "C-USD": _walk(rng, 390, 19_005)}
    as_of = 19_000 + 380
    portfolios = {"p": {"A-USD": 0.2, "B-USD": 0.5, "C-USD": 0.3}, "q": {"B-USD": 1.0}}
    _check_scenarios(spark, series, portfolios, as_of, 300)
    _check_shock(spark, series, portfolios["p"], {"A-USD": 0.1}, as_of, 300)


def test_a_shock_below_minus_one_or_naming_nothing_is_refused_saying_why():
    with pytest.raises(StressError, match="at least -1"):
        shock_scenario(None, {"A-USD": 1.0}, {"A-USD": -1.5}, 0)
    with pytest.raises(StressError, match="name at least one symbol"):
        shock_scenario(None, {"A-USD": 1.0}, {}, 0)
