"""Technical indicators over a candle series, per (exchange, symbol, interval), with window functions.

- MA 7 and 30: mean close of the last 7 / 30 candles (null until that many exist);
- RSI 14: 100 − 100 / (1 + average gain / average loss) over the last 14 close-to-close changes
  (simple averages, Cutler's RSI: a window, unlike Wilder's recursive smoothing); 100 when no loss;
- MACD 12/26/9: EMA12 − EMA26 of closes, signal = EMA9 of MACD, histogram = MACD − signal; EMAs
  with α = 2/(n+1) seeded with the first value (pandas' `ewm(span=n, adjust=False)`);
- Bollinger 20/2: MA20 ± 2 population standard deviations of the last 20 closes.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window

SERIES = ["exchange", "symbol", "interval"]


def ema(values: Column, span: int) -> Column:
    """EMA of an ordered array of values, folded with aggregate (a recursive filter as a SQL fold)."""
    alpha = 2.0 / (span + 1)
    return F.aggregate(
        values,
        F.lit(None).cast("double"),
        lambda acc, x: F.when(acc.isNull(), x).otherwise(F.lit(alpha) * x + F.lit(1 - alpha) * acc),
    )


def _over_last(n: int) -> Window:
    return Window.partitionBy(*SERIES).orderBy("bucket_start").rowsBetween(-(n - 1), 0)


def with_indicators(candles: DataFrame) -> DataFrame:
    history = Window.partitionBy(*SERIES).orderBy("bucket_start").rowsBetween(Window.unboundedPreceding, 0)
    ordered = Window.partitionBy(*SERIES).orderBy("bucket_start")

    def mean_of_last(col: str, n: int) -> Column:
        return F.when(F.count(col).over(_over_last(n)) == n, F.avg(col).over(_over_last(n)))

    change = F.col("close") - F.lag("close").over(ordered)
    df = (
        candles.withColumn("ma_7", mean_of_last("close", 7))
        .withColumn("ma_30", mean_of_last("close", 30))
        # greatest() skips nulls: keep the first candle's missing change missing.
        .withColumn("_gain", F.when(change.isNotNull(), F.greatest(change, F.lit(0.0))))
        .withColumn("_loss", F.when(change.isNotNull(), F.greatest(-change, F.lit(0.0))))
        .withColumn("_avg_gain", mean_of_last("_gain", 14))
        .withColumn("_avg_loss", mean_of_last("_loss", 14))
        .withColumn(
            "rsi_14",
            F.when(F.col("_avg_loss") == 0, F.lit(100.0)).otherwise(
                100.0 - 100.0 / (1.0 + F.col("_avg_gain") / F.col("_avg_loss"))
            ),
        )
        .withColumn("_closes", F.collect_list("close").over(history))
        .withColumn("macd", ema(F.col("_closes"), 12) - ema(F.col("_closes"), 26))
        .withColumn("_macds", F.collect_list("macd").over(history))
        .withColumn("macd_signal", ema(F.col("_macds"), 9))
        .withColumn("macd_hist", F.col("macd") - F.col("macd_signal"))
        .withColumn("_ma_20", mean_of_last("close", 20))
        .withColumn("_sd_20", F.stddev_pop("close").over(_over_last(20)))
        .withColumn("bb_middle", F.col("_ma_20"))
        .withColumn("bb_upper", F.col("_ma_20") + 2 * F.col("_sd_20"))
        .withColumn("bb_lower", F.col("_ma_20") - 2 * F.col("_sd_20"))
    )
    return df.drop(*[c for c in df.columns if c.startswith("_")])
