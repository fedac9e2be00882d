"""The time-series views beside the feature rows, the twin of src/read-models/featureProfiles.ts
(src/domain/features/autocorrelation.ts and seasonalProfile.ts; docs/features.md).

Over each symbol's feature rows of the batch range, bars without a 1-bar log return left out:
  autocorrelation  per symbol and interval, the returns' autocorrelation at lags 1..30 with the
                   statsmodels `acf(x, adjusted=False)` estimator (null when the lag is not
                   shorter than the series or the series has no variance);
  seasonality      per symbol, the mean 1h log return of the bars starting at each ISO weekday
                   (1 = Monday) and UTC hour, all 168 cells listed, an empty one with a null mean.

Every sum runs over the returns in time order, left to right from 0, with the TS side's
floating-point operations (`aggregate` over a sorted list, as features.py does), so the two engines
agree exactly, not within a tolerance.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .features import sequential_sum
from .lake import DAY_MS

ACF_MAX_LAG = 30
HOUR_MS = 3_600_000


def _returns_in_time_order(features: DataFrame, *keys: str) -> DataFrame:
    """Per `keys`, `_xs`: the non-null 1-bar log returns ordered by bar start."""
    points = F.struct(F.col("bucket_start").alias("t"), F.col("log_return_1").alias("r"))
    return (
        features.where(F.col("log_return_1").isNotNull())
        .groupBy(*keys)
        .agg(F.array_sort(F.collect_list(points)).alias("_points"))
        .withColumn("_xs", F.transform("_points", lambda p: p["r"]))
    )


def _lagged_products(dev: Column, n: Column, lag: Column) -> Column:
    """Σ_{t=0}^{n−1−lag} dev[t]·dev[t+lag], left to right (element_at counts from 1)."""
    return F.aggregate(
        F.sequence(F.lit(0), n - 1 - lag),
        F.lit(0.0),
        lambda acc, t: acc + F.element_at(dev, t + 1) * F.element_at(dev, t + lag + 1),
    )


def autocorrelation(features: DataFrame) -> DataFrame:
    """symbol, interval, observations, lag, value: ACF_MAX_LAG rows per symbol and interval."""
    series = _returns_in_time_order(features, "symbol", "interval")
    n = F.size("_xs")
    with_dev = series.withColumn("_mean", sequential_sum(F.col("_xs")) / n).withColumn(
        "_dev", F.transform("_xs", lambda x: x - F.col("_mean"))
    )
    with_den = with_dev.withColumn("_den", F.aggregate("_dev", F.lit(0.0), lambda acc, d: acc + d * d))
    # CASE WHEN evaluates its value only where the condition holds, so no sequence runs backwards.
    acf = F.transform(
        F.sequence(F.lit(1), F.lit(ACF_MAX_LAG)),
        lambda lag: F.struct(
            lag.alias("lag"),
            F.when((lag < n) & (F.col("_den") != 0), _lagged_products(F.col("_dev"), n, lag) / F.col("_den")).alias(
                "value"
            ),
        ),
    )
    return with_den.select("symbol", "interval", n.alias("observations"), F.explode(acf).alias("_p")).select(
        "symbol", "interval", "observations", F.col("_p.lag").alias("lag"), F.col("_p.value").alias("value")
    )


def _iso_weekday(ms: Column) -> Column:
    """1 = Monday .. 7 = Sunday of a UTC instant (1970-01-01 was a Thursday)."""
    return F.pmod(F.floor(ms / DAY_MS) + 3, 7) + 1


def seasonality(features: DataFrame) -> DataFrame:
    """symbol, day_of_week, hour, mean_log_return, count: 168 rows per symbol with 1h bars."""
    hourly = features.where(F.col("interval") == "1h")
    cells = hourly.withColumn("day_of_week", _iso_weekday(F.col("bucket_start")).cast("int")).withColumn(
        "hour", F.floor(F.pmod(F.col("bucket_start"), F.lit(DAY_MS)) / HOUR_MS).cast("int")
    )
    filled = (
        _returns_in_time_order(cells, "symbol", "day_of_week", "hour")
        .withColumn("count", F.size("_xs").cast("long"))
        .withColumn("mean_log_return", sequential_sum(F.col("_xs")) / F.col("count"))
    )
    every_cell = features.sparkSession.range(168).select(
        (F.floor(F.col("id") / 24) + 1).cast("int").alias("day_of_week"), (F.col("id") % 24).cast("int").alias("hour")
    )
    grid = hourly.select("symbol").distinct().crossJoin(every_cell)
    return grid.join(filled, ["symbol", "day_of_week", "hour"], "left").select(
        "symbol",
        "day_of_week",
        "hour",
        "mean_log_return",
        F.coalesce(F.col("count"), F.lit(0).cast("long")).alias("count"),
    )
