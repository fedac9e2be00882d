"""Per-symbol risk from close-to-close log returns: Sharpe ratio, historical VaR and CVaR.

Aggregated with grouped-aggregate pandas UDFs (one per figure; Spark's grouped-aggregate UDFs
return one scalar each). Losses are positive numbers: VaR(95%) = −(5th percentile of returns),
CVaR(95%) = −(mean of the returns at or below that percentile). Sharpe is mean / sample std,
annualised by √(periods per year) of the interval, risk-free rate 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.functions import pandas_udf
from pyspark.sql.types import DoubleType
from pyspark.sql.window import Window

PERIODS_PER_YEAR = {"1m": 525_600, "1h": 8_760, "1d": 365}


def historical_var(returns: np.ndarray, level: float) -> float:
    """Loss not exceeded with probability `level` (linear-interpolated percentile, numpy's default)."""
    return float(-np.quantile(returns, 1 - level)) if len(returns) else math.nan


def historical_cvar(returns: np.ndarray, level: float) -> float:
    if not len(returns):
        return math.nan
    cut = np.quantile(returns, 1 - level)
    return float(-returns[returns <= cut].mean())


def sharpe(returns: np.ndarray, periods_per_year: int) -> float:
    if len(returns) < 2:
        return math.nan
    sd = returns.std(ddof=1)
    return float(returns.mean() / sd * math.sqrt(periods_per_year)) if sd > 0 else math.nan


def _udf(fn):
    @pandas_udf(DoubleType())
    def agg(r: pd.Series) -> float:
        return fn(r.dropna().to_numpy(dtype="float64"))

    return agg


def log_returns(candles: DataFrame) -> DataFrame:
    w = Window.partitionBy("exchange", "symbol", "interval").orderBy("bucket_start")
    return candles.withColumn("ret", F.log(F.col("close") / F.lag("close").over(w))).where(F.col("ret").isNotNull())


def risk_by_symbol(candles: DataFrame, interval: str) -> DataFrame:
    periods = PERIODS_PER_YEAR[interval]
    r = log_returns(candles.where(F.col("interval") == interval))
    # A grouped-aggregate pandas UDF cannot sit beside built-in aggregates: count through one too.
    return (
        r.groupBy("exchange", "symbol")
        .agg(
            _udf(len)("ret").cast("long").alias("observations"),
            _udf(lambda x: sharpe(x, periods))("ret").alias("sharpe"),
            _udf(lambda x: historical_var(x, 0.95))("ret").alias("var_95"),
            _udf(lambda x: historical_var(x, 0.99))("ret").alias("var_99"),
            _udf(lambda x: historical_cvar(x, 0.95))("ret").alias("cvar_95"),
            _udf(lambda x: historical_cvar(x, 0.99))("ret").alias("cvar_99"),
        )
        .withColumn("interval", F.lit(interval))
    )
