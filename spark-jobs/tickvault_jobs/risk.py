"""Per-symbol risk by tickvault's fixed definitions (docs/risk.md; the embedded engine's src/domain/risk/).

Simple returns r_t = C_t / C_{t-1} - 1 of consecutive bars (a missing bar leaves its returns out), the
last `window` bars ending at the as-of bar (default: each series' last bar), annualised by the bars
per year (365 daily, 8,760 hourly), risk-free rate 0 unless given:

    volatility   = std(r, ddof=1) * sqrt(A)
    sharpe       = (mean(r) - rf/A) / std(r, ddof=1) * sqrt(A)
    sortino      = (mean(r) - rf/A) / sqrt(mean(min(r, 0)^2)) * sqrt(A)
    max_drawdown = min_t V_t / max_{s<=t} V_s - 1,  V_0 = 1, V_t = prod(1 + r)
    var_a        = -quantile(r, 1 - a), linear interpolation           (historical, a = 0.95, 0.99)
    cvar_a       = -mean(r where r <= -var_a)
    pvar_a       = -(mean(r) + std(r, ddof=1) * inverse normal cdf(1 - a))   (parametric)

Losses are positive numbers. The `log_` columns are the same Sharpe, VaR and CVaR of log returns
ln(C_t / C_{t-1}), kept beside for readers of the earlier figures, and labelled as such.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window

PERIODS_PER_YEAR = {"1h": 8_760, "1d": 365}
BAR_MS = {"1m": 60_000, "1h": 3_600_000, "1d": 86_400_000}
LEVELS = (0.95, 0.99)
DEFAULT_WINDOW = 365

FIGURES_SCHEMA = (
    "interval string, as_of long, window int, annualisation int, risk_free double, "
    "observations long, mean_return double, volatility double, sharpe double, sortino double, max_drawdown double, "
    "var_95 double, cvar_95 double, pvar_95 double, var_99 double, cvar_99 double, pvar_99 double, "
    "log_sharpe double, log_var_95 double, log_cvar_95 double, log_var_99 double, log_cvar_99 double"
)
RISK_SCHEMA = "exchange string, symbol string, " + FIGURES_SCHEMA


def historical_var(returns: np.ndarray, level: float) -> float:
    """Loss not exceeded with probability `level`: -quantile(r, 1 - level), linear interpolation (numpy's default)."""
    return float(-np.quantile(returns, 1 - level)) if len(returns) else math.nan


def historical_cvar(returns: np.ndarray, level: float) -> float:
    """Mean loss of the returns at or below -VaR."""
    if not len(returns):
        return math.nan
    return float(-returns[returns <= -historical_var(returns, level)].mean())


def parametric_var(returns: np.ndarray, level: float) -> float:
    if len(returns) < 2:
        return math.nan
    return float(-(returns.mean() + returns.std(ddof=1) * NormalDist().inv_cdf(1 - level)))


def volatility(returns: np.ndarray, periods_per_year: int) -> float:
    return float(returns.std(ddof=1) * math.sqrt(periods_per_year)) if len(returns) >= 2 else math.nan


def sharpe(returns: np.ndarray, periods_per_year: int, risk_free: float = 0.0) -> float:
    if len(returns) < 2:
        return math.nan
    sd = returns.std(ddof=1)
    excess = returns.mean() - risk_free / periods_per_year
    return float(excess / sd * math.sqrt(periods_per_year)) if sd > 0 else math.nan


def sortino(returns: np.ndarray, periods_per_year: int, risk_free: float = 0.0) -> float:
    if not len(returns):
        return math.nan
    downside = math.sqrt(np.mean(np.minimum(returns, 0) ** 2))
    excess = returns.mean() - risk_free / periods_per_year
    return float(excess / downside * math.sqrt(periods_per_year)) if downside > 0 else math.nan


def max_drawdown(returns: np.ndarray) -> float:
    """Returns in time order."""
    if not len(returns):
        return math.nan
    value = np.concatenate([[1.0], np.cumprod(1 + returns)])
    return float(np.min(value / np.maximum.accumulate(value) - 1))


def _bar_ms():
    """The length of the row's bar in ms, as a long (a window of them overflows an int)."""
    return F.create_map(*[x for k, v in BAR_MS.items() for x in (F.lit(k), F.lit(v).cast("long"))])[F.col("interval")]


def simple_returns(candles: DataFrame) -> DataFrame:
    """`ret` (simple) and `log_ret` of each bar whose previous bar is the one just before it."""
    w = Window.partitionBy("exchange", "symbol", "interval").orderBy("bucket_start")
    step = _bar_ms()
    prev_close = F.lag("close").over(w)
    consecutive = (F.col("bucket_start") - F.lag("bucket_start").over(w)) == step
    return (
        candles.withColumn("ret", F.when(consecutive, F.col("close") / prev_close - 1))
        .withColumn("log_ret", F.when(consecutive, F.log(F.col("close") / prev_close)))
        .where(F.col("ret").isNotNull())
    )


def log_returns(candles: DataFrame) -> DataFrame:
    """`ret` = ln(C_t / C_{t-1}) of consecutive bars (the correlation matrix's input)."""
    return simple_returns(candles).withColumn("ret", F.col("log_ret")).drop("log_ret")


def in_window(returns: DataFrame, window: int, as_of: int | None) -> DataFrame:
    """The returns of bars in [as_of - (window - 1) bars, as_of]; as_of defaults to each series' last bar."""
    series = Window.partitionBy("exchange", "symbol", "interval")
    end = F.lit(as_of) if as_of is not None else F.max("bucket_start").over(series)
    step = _bar_ms()
    return returns.withColumn("as_of", end.cast("long")).where(
        (F.col("bucket_start") <= F.col("as_of")) & (F.col("bucket_start") > F.col("as_of") - step * window)
    )


def figures_of(interval: str, window: int, risk_free: float, keys: tuple[str, ...] = ("exchange", "symbol")):
    """The applyInPandas function of one series' returns (`ret`, `log_ret`, `bucket_start`, `as_of` and
    the `keys` columns) to its row of figures: `keys` then FIGURES_SCHEMA."""
    periods = PERIODS_PER_YEAR[interval]

    def figures(pdf: pd.DataFrame) -> pd.DataFrame:
        pdf = pdf.sort_values("bucket_start")
        r = pdf["ret"].to_numpy(dtype="float64")
        lr = pdf["log_ret"].to_numpy(dtype="float64")
        row = {
            **{k: pdf[k].iloc[0] for k in keys},
            "interval": interval,
            "as_of": int(pdf["as_of"].iloc[0]),
            "window": window,
            "annualisation": periods,
            "risk_free": risk_free,
            "observations": len(r),
            "mean_return": float(r.mean()),
            "volatility": volatility(r, periods),
            "sharpe": sharpe(r, periods, risk_free),
            "sortino": sortino(r, periods, risk_free),
            "max_drawdown": max_drawdown(r),
            "log_sharpe": sharpe(lr, periods, risk_free),
        }
        for level in LEVELS:
            k = round(level * 100)
            row[f"var_{k}"] = historical_var(r, level)
            row[f"cvar_{k}"] = historical_cvar(r, level)
            row[f"pvar_{k}"] = parametric_var(r, level)
            row[f"log_var_{k}"] = historical_var(lr, level)
            row[f"log_cvar_{k}"] = historical_cvar(lr, level)
        return pd.DataFrame([row])

    return figures


def risk_by_symbol(
    candles: DataFrame, interval: str, window: int = DEFAULT_WINDOW, as_of: int | None = None, risk_free: float = 0.0
) -> DataFrame:
    """One row of figures per (exchange, symbol) from its `interval` candles (1d or 1h)."""
    if interval not in PERIODS_PER_YEAR:
        raise ValueError(f"risk: interval must be one of {sorted(PERIODS_PER_YEAR)}, got {interval!r}")
    returns = in_window(simple_returns(candles.where(F.col("interval") == interval)), window, as_of)
    return (
        returns.select("exchange", "symbol", "bucket_start", "as_of", "ret", "log_ret")
        .groupBy("exchange", "symbol")
        .applyInPandas(figures_of(interval, window, risk_free), RISK_SCHEMA)
    )
