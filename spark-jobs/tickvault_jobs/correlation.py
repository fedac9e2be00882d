"""Correlation of returns between symbols: returns pivoted to one column per symbol, then the
Pearson correlation of every pair over the buckets both have, in long form (a, b, corr, n)."""

from __future__ import annotations

from itertools import combinations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .risk import log_returns


def correlation_matrix(candles: DataFrame, interval: str, exchange: str | None = None) -> DataFrame:
    series = candles.where(F.col("interval") == interval)
    if exchange is not None:
        series = series.where(F.col("exchange") == exchange)
    returns = log_returns(series)
    symbols = sorted(r.symbol for r in returns.select("symbol").distinct().collect())
    wide = returns.groupBy("bucket_start").pivot("symbol", symbols).agg(F.first("ret"))
    pairs = [(a, b) for a, b in combinations(symbols, 2)]
    spark = candles.sparkSession
    schema = "a string, b string, corr double, n long"
    if not pairs:
        return spark.createDataFrame([], schema)
    aggs = []
    for i, (a, b) in enumerate(pairs):
        both = F.col(f"`{a}`").isNotNull() & F.col(f"`{b}`").isNotNull()
        aggs.append(F.corr(F.when(both, F.col(f"`{a}`")), F.when(both, F.col(f"`{b}`"))).alias(f"c{i}"))
        aggs.append(F.count(F.when(both, F.lit(1))).alias(f"n{i}"))
    row = wide.agg(*aggs).first()
    rows = [(a, b, row[f"c{i}"], row[f"n{i}"]) for i, (a, b) in enumerate(pairs)]
    rows += [(b, a, c, n) for a, b, c, n in rows] + [(s, s, 1.0, None) for s in symbols]
    return spark.createDataFrame(rows, schema)
