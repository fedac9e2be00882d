"""Stress tests of a portfolio on Spark, the twin of the embedded engine's src/domain/portfolio/stress.ts
(docs/risk.md, "Stress tests"), held at constant weights rebalanced daily as its risk figures are:

- historical scenarios: the `count` worst days of r_p = sum_i w_i r_i in the window, and its worst weeks
  (7 consecutive calendar days, compounded prod(1 + r_p) - 1, none across a missing day), each week the
  worst of those sharing no day with a worse one; each named by its first and last day, with every asset's
  compounded return over it;
- a user's shock ({"BTC-USDT": -0.3}): the shocked assets move by the shock, every other asset by its
  conditional expectation given them, r_o = Sigma_os Sigma_ss^-1 s, Sigma the daily sample covariance
  (ddof 1) of the window (means taken as 0 over a one-day shock); the loss is -sum_i w_i r_i.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from tickvault_jobs.portfolio_optimiser import aligned_returns, moments
from tickvault_jobs.portfolio_risk import portfolio_returns
from tickvault_jobs.risk import in_window, simple_returns

WEEK_DAYS = 7
D = 86_400_000
SHOCK_METHOD = (
    "conditional expectation under the daily sample covariance (ddof 1) of the window: "
    "r_other = Sigma_os Sigma_ss^-1 shock"
)
SCENARIO_SCHEMA = (
    "exchange string, portfolio_id string, kind string, rank int, from_day string, to_day string, "
    "portfolio_return double, loss double, assets map<string, double>"
)


class StressError(ValueError):
    """A shock the window cannot answer: a bad return, no symbol named, a singular covariance."""


def _compound(returns: Column) -> Column:
    """prod(1 + r) - 1 of an ordered array, accumulated as a + r + a*r: exact for one return, as stress.ts."""
    return F.aggregate(returns, F.lit(0.0), lambda a, r: a + r + a * r)


def _day(ms: int) -> str:
    return (date(1970, 1, 1) + timedelta(milliseconds=ms)).isoformat()


def historical_scenarios(
    candles: DataFrame, weights: DataFrame, as_of: int, window: int = 3650, count: int = 5
) -> DataFrame:
    """SCENARIO_SCHEMA rows, kind "day" and "week", rank 1 the worst, per (exchange, portfolio_id)."""
    keys = ["exchange", "portfolio_id"]
    rp = portfolio_returns(candles, weights, window, as_of).select(*keys, "bucket_start", "ret")
    # Each held asset's return on the portfolio's days (the days every one of its symbols has a return).
    assets = (
        in_window(simple_returns(candles.where(F.col("interval") == "1d")), window, as_of)
        .join(F.broadcast(weights), "symbol")
        .join(rp.select(*keys, "bucket_start"), [*keys, "bucket_start"])
        .select(*keys, "symbol", "bucket_start", "ret")
    )
    days = (
        rp.withColumn("rank", F.row_number().over(Window.partitionBy(*keys).orderBy("ret", "bucket_start")))
        .where(F.col("rank") <= count)
        .join(assets.withColumnRenamed("ret", "asset_ret"), [*keys, "bucket_start"])
        .groupBy(*keys, "rank", "bucket_start", "ret")
        .agg(F.map_from_entries(F.collect_list(F.struct("symbol", "asset_ret"))).alias("assets"))
    )
    day_rows = [
        (
            r.exchange,
            r.portfolio_id,
            "day",
            r["rank"],
            _day(r.bucket_start),
            _day(r.bucket_start),
            r.ret,
            -r.ret,
            r.assets,
        )
        for r in days.collect()
    ]

    def weekly(frame: DataFrame, partition: list[str]) -> DataFrame:
        """Each 7-row window's compounded return, kept when its rows are 7 consecutive days."""
        w = Window.partitionBy(*partition).orderBy("bucket_start").rowsBetween(-(WEEK_DAYS - 1), 0)
        return (
            frame.withColumn("week", _compound(F.collect_list("ret").over(w)))
            .withColumn("rows", F.count("*").over(w))
            .withColumn("first", F.min("bucket_start").over(w))
            .where((F.col("rows") == WEEK_DAYS) & (F.col("bucket_start") - F.col("first") == (WEEK_DAYS - 1) * D))
        )

    asset_weeks = (
        weekly(assets, [*keys, "symbol"])
        .groupBy(*keys, "bucket_start")
        .agg(F.map_from_entries(F.collect_list(F.struct("symbol", "week"))).alias("assets"))
    )
    weeks = weekly(rp, keys).join(asset_weeks, [*keys, "bucket_start"]).orderBy(*keys, "week", "bucket_start")
    # The non-overlapping choice is a sequential greedy pass (each week excludes the ones it overlaps),
    # over one row per day of each portfolio's window: a few thousand rows, done on the driver.
    week_rows, chosen = [], {}
    for r in weeks.collect():
        taken = chosen.setdefault((r.exchange, r.portfolio_id), [])
        if len(taken) == count or any(abs(t - r.bucket_start) < WEEK_DAYS * D for t in taken):
            continue
        taken.append(r.bucket_start)
        first, last = _day(r["first"]), _day(r.bucket_start)
        week_rows.append((r.exchange, r.portfolio_id, "week", len(taken), first, last, r.week, -r.week, r.assets))
    return candles.sparkSession.createDataFrame(day_rows + week_rows, SCENARIO_SCHEMA)


def shock_scenario(
    candles: DataFrame, weights: dict[str, float], shocks: dict[str, float], as_of: int, window: int = 3650
) -> dict:
    """The shock's answer for one portfolio ({symbol: weight}): {method, shocks, assets, portfolio_return,
    loss}. The matrix is the held and the shocked symbols (sorted), on the days every one has a return."""
    symbols = sorted(set(weights) | set(shocks))
    for s, x in shocks.items():
        if not (np.isfinite(x) and x >= -1):
            raise StressError(f"shocks.{s}: expected a return of at least -1 (-0.3 = a 30% fall), got {x}")
    if not shocks:
        raise StressError('shocks: name at least one symbol and its return, like {"BTC-USDT": -0.3}')
    sigma = moments(aligned_returns(candles, symbols, window, as_of), len(symbols)).daily_covariance()
    shocked = [symbols.index(s) for s in shocks]
    others = [i for i in range(len(symbols)) if i not in shocked]
    s = np.array([shocks[symbols[i]] for i in shocked])
    try:
        x = np.linalg.solve(sigma[np.ix_(shocked, shocked)], s)
    except np.linalg.LinAlgError as e:
        raise StressError(
            "shocks: the shocked symbols' covariance is singular in this window "
            "(they move as one, or one never moved): shock fewer of them"
        ) from e
    r = np.zeros(len(symbols))
    r[shocked] = s
    r[others] = sigma[np.ix_(others, shocked)] @ x
    w = np.array([weights.get(sym, 0.0) for sym in symbols])
    portfolio_return = float(w @ r)
    return {
        "method": SHOCK_METHOD,
        "shocks": dict(shocks),
        "assets": dict(zip(symbols, r.tolist(), strict=True)),
        "portfolio_return": portfolio_return,
        "loss": -portfolio_return,
    }
