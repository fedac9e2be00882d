"""The feature store's rows, the twin of src/domain/features/computeFeatures.ts (docs/features.md).

Every window is a window of time (rangeBetween over bucket_start), and every figure folds the
window's values in time order with the same floating-point operations as the TS fold
(`aggregate` over `collect_list`): Spark's avg/stddev aggregates sum in their own order and update
moments one row at a time, which differs from the TS two-pass figures in the last place. So the
two engines agree exactly, not within a tolerance.

    candles (CANDLE_COLUMNS, per exchange) → per symbol (exchanges merged) → features per bar,
    with the market symbol's return and the latest market-cap snapshot and sentiment reading at or
    before each bar's end.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from .candles import INTERVAL_MS, roll_up
from .indicators import ema
from .lake import DAY_MS

DEFINITION_VERSION = 1
INTERVALS = ("1h", "1d")
MARKET_SYMBOL = "BTC-USDT"
MACD_WINDOW_BARS = 200
MACD_SIGNAL_WINDOW_BARS = 100

FEATURE_COLUMNS = [
    "symbol",
    "interval",
    "bucket_start",
    "close",
    "log_return_1",
    "log_return_3",
    "log_return_6",
    "log_return_12",
    "log_return_24",
    "log_return_1_lag_1",
    "log_return_1_lag_2",
    "log_return_1_lag_3",
    "realised_vol_24",
    "rsi_14",
    "macd",
    "macd_signal",
    "macd_hist",
    "bollinger_pct_b",
    "volume",
    "volume_z_20",
    "taker_buy_volume",
    "taker_sell_volume",
    "flow_imbalance",
    "cumulative_volume_delta",
    "trades",
    "market_log_return_1",
    "market_cap_usd",
    "market_cap_rank",
    "sentiment",
    "definition_version",
]


def _as_double(decimal: Column) -> Column:
    """The nearest double to the exact decimal, as the TS side's Number(text) gives it."""
    return decimal.cast("string").cast("double")


def symbol_bars(candles: DataFrame, interval: str) -> DataFrame:
    """One bar per symbol and bucket: the exchanges' candles merged as the OHLCV read side merges them."""
    merged = roll_up(candles.where(F.col("interval") == interval).withColumn("exchange", F.lit("*")), interval)
    return merged.select(
        "symbol",
        "interval",
        "bucket_start",
        "close",
        _as_double(F.col("volume")).alias("volume"),
        _as_double(F.col("taker_buy_volume")).alias("taker_buy_volume"),
        _as_double(F.col("taker_sell_volume")).alias("taker_sell_volume"),
        "trades",
    )


def sequential_sum(values: Column, of=lambda x: x) -> Column:
    """Σ of(x), left to right from 0 (the TS sequentialSum)."""
    return F.aggregate(values, F.lit(0.0), lambda acc, x: acc + of(x))


def _squared_deviations(values: Column, mean: Column) -> Column:
    return F.aggregate(values, F.lit(0.0), lambda acc, x: acc + (x - mean) * (x - mean))


def with_bar_features(bars: DataFrame, interval: str) -> DataFrame:
    """The features a bar's own series gives, for bars of one interval."""
    size = INTERVAL_MS[interval]
    ordered = Window.partitionBy("symbol").orderBy("bucket_start")

    def last(n: int) -> Window:
        return ordered.rangeBetween(-(n - 1) * size, 0)

    def at(history: str, field: str, bars_back: int) -> Column:
        """`field` of the bar exactly `bars_back` intervals back, from a collected history (null when missing)."""
        hit = F.filter(history, lambda p: p["t"] == F.col("bucket_start") - bars_back * size)
        return F.when(F.size(hit) == 1, hit[0][field])

    def full(values: str, n: int, value: Column) -> Column:
        return F.when(F.size(values) == n, value)

    point = F.struct(F.col("bucket_start").alias("t"), F.col("close").alias("c"))
    df = (
        bars.withColumn("_closes_back", F.collect_list(point).over(last(25)))
        .withColumn("log_return_1", F.log(F.col("close") / at("_closes_back", "c", 1)))
        .withColumn("_change", F.col("close") - at("_closes_back", "c", 1))
    )
    for h in (3, 6, 12, 24):
        df = df.withColumn(f"log_return_{h}", F.log(F.col("close") / at("_closes_back", "c", h)))
    r1_point = F.struct(F.col("bucket_start").alias("t"), F.col("log_return_1").alias("r"))
    df = df.withColumn("_returns_back", F.collect_list(r1_point).over(last(4)))
    for k in (1, 2, 3):
        df = df.withColumn(f"log_return_1_lag_{k}", at("_returns_back", "r", k))

    # Realised volatility: sample sd (ddof 1) of the last 24 one-bar returns, two-pass.
    df = (
        df.withColumn("_r24", F.collect_list("log_return_1").over(last(24)))
        .withColumn("_r24_mean", sequential_sum(F.col("_r24")) / 24)
        .withColumn(
            "realised_vol_24",
            full("_r24", 24, F.sqrt(_squared_deviations(F.col("_r24"), F.col("_r24_mean")) / 23)),
        )
    )
    # RSI 14 (Cutler's, as indicators.py): simple means of the last 14 gains and losses.
    df = (
        df.withColumn("_d14", F.collect_list("_change").over(last(14)))
        .withColumn("_gain", sequential_sum(F.col("_d14"), lambda x: F.when(x > 0, x).otherwise(F.lit(0.0))) / 14)
        .withColumn("_loss", sequential_sum(F.col("_d14"), lambda x: F.when(x < 0, -x).otherwise(F.lit(0.0))) / 14)
        .withColumn(
            "rsi_14",
            full(
                "_d14",
                14,
                F.when(F.col("_loss") == 0, F.lit(100.0)).otherwise(
                    100.0 - 100.0 / (1.0 + F.col("_gain") / F.col("_loss"))
                ),
            ),
        )
    )
    # MACD 12/26/9: EMAs seeded MACD_WINDOW_BARS back, the signal over MACD_SIGNAL_WINDOW_BARS of MACD values.
    df = (
        df.withColumn("_macd_closes", F.collect_list("close").over(last(MACD_WINDOW_BARS)))
        .withColumn(
            "macd",
            F.when(F.size("_macd_closes") >= 26, ema(F.col("_macd_closes"), 12) - ema(F.col("_macd_closes"), 26)),
        )
        .withColumn("_macds", F.collect_list("macd").over(last(MACD_SIGNAL_WINDOW_BARS)))
        .withColumn("macd_signal", F.when(F.size("_macds") >= 9, ema(F.col("_macds"), 9)))
        .withColumn("macd_hist", F.col("macd") - F.col("macd_signal"))
    )
    # Bollinger %b: 20 closes, bands at ± 2 population sd.
    df = (
        df.withColumn("_c20", F.collect_list("close").over(last(20)))
        .withColumn("_c20_mean", sequential_sum(F.col("_c20")) / 20)
        .withColumn("_c20_sd", F.sqrt(_squared_deviations(F.col("_c20"), F.col("_c20_mean")) / 20))
        .withColumn("_lower", F.col("_c20_mean") - 2.0 * F.col("_c20_sd"))
        .withColumn("_upper", F.col("_c20_mean") + 2.0 * F.col("_c20_sd"))
        .withColumn(
            "bollinger_pct_b",
            full(
                "_c20",
                20,
                F.when(F.col("_c20_sd") != 0, (F.col("close") - F.col("_lower")) / (F.col("_upper") - F.col("_lower"))),
            ),
        )
    )
    # Volume z-score: against the last 20 volumes (its own included), sample sd.
    df = (
        df.withColumn("_v20", F.collect_list("volume").over(last(20)))
        .withColumn("_v20_mean", sequential_sum(F.col("_v20")) / 20)
        .withColumn("_v20_sd", F.sqrt(_squared_deviations(F.col("_v20"), F.col("_v20_mean")) / 19))
        .withColumn(
            "volume_z_20",
            full("_v20", 20, F.when(F.col("_v20_sd") != 0, (F.col("volume") - F.col("_v20_mean")) / F.col("_v20_sd"))),
        )
    )
    # Order flow, and its sum over the bar's UTC day so far.
    day = Window.partitionBy("symbol", "_day").orderBy("bucket_start").rowsBetween(Window.unboundedPreceding, 0)
    df = (
        df.withColumn("_delta", F.col("taker_buy_volume") - F.col("taker_sell_volume"))
        .withColumn("_flow", F.col("taker_buy_volume") + F.col("taker_sell_volume"))
        .withColumn("flow_imbalance", F.when(F.col("_flow") != 0, F.col("_delta") / F.col("_flow")))
        .withColumn("_day", F.col("bucket_start") - F.pmod(F.col("bucket_start"), F.lit(DAY_MS)))
        .withColumn("cumulative_volume_delta", sequential_sum(F.collect_list("_delta").over(day)))
    )
    return df.drop(*[c for c in df.columns if c.startswith("_")])


def _latest_at_or_before_end(keys: DataFrame, facts: DataFrame, size: int, value: Column, name: str) -> DataFrame:
    """Per bar key, `value` of the latest fact (by event time, then ledger position) with event time ≤ the bar's end."""
    joined = keys.join(
        facts,
        (keys["symbol"] == facts["_symbol"]) & (facts["_time"] <= keys["bucket_start"] + (size - 1)),
    )
    return joined.groupBy("symbol", "bucket_start").agg(
        F.max_by(value, F.struct(F.col("_time"), F.col("_position"))).alias(name)
    )


def with_market(features: DataFrame, interval: str, snapshots: DataFrame, sentiment: DataFrame) -> DataFrame:
    """The market symbol's return at the same bar; market cap, rank and sentiment as of the bar's end."""
    size = INTERVAL_MS[interval]
    market = features.where(F.col("symbol") == MARKET_SYMBOL).select(
        "bucket_start", F.col("log_return_1").alias("market_log_return_1")
    )
    keys = features.select("symbol", "bucket_start")
    caps = snapshots.select(
        F.col("e.symbol").alias("_symbol"),
        F.col("e.eventTime").alias("_time"),
        F.col("position").alias("_position"),
        F.col("e.marketCapUsd").cast("double").alias("_cap"),
        F.col("e.rank").alias("_rank"),
    )
    moods = sentiment.select(
        F.col("e.symbol").alias("_symbol"),
        F.col("e.minute").alias("_time"),
        F.col("position").alias("_position"),
        F.col("e.score").alias("_score"),
    )
    cap = _latest_at_or_before_end(keys, caps, size, F.struct("_cap", "_rank"), "_c")
    mood = _latest_at_or_before_end(keys, moods, size, F.col("_score"), "sentiment")
    return (
        features.join(market, "bucket_start", "left")
        .join(cap, ["symbol", "bucket_start"], "left")
        .join(mood, ["symbol", "bucket_start"], "left")
        .withColumn("market_cap_usd", F.col("_c._cap"))
        .withColumn("market_cap_rank", F.col("_c._rank"))
        .drop("_c")
    )


def interval_rows(candles: DataFrame, interval: str, snapshots: DataFrame, sentiment: DataFrame) -> DataFrame:
    """FEATURE_COLUMNS for every symbol's bars of one interval."""
    bars = symbol_bars(candles, interval)
    features = with_market(with_bar_features(bars, interval), interval, snapshots, sentiment)
    return features.withColumn("definition_version", F.lit(DEFINITION_VERSION)).select(*FEATURE_COLUMNS)


def feature_rows(candles: DataFrame, snapshots: DataFrame, sentiment: DataFrame) -> DataFrame:
    """FEATURE_COLUMNS for every symbol's 1h and 1d bars.

    `snapshots`, `sentiment`: position and the parsed MarketSnapshotObserved / SentimentObserved as `e`.
    """
    hourly, daily = (interval_rows(candles, interval, snapshots, sentiment) for interval in INTERVALS)
    return hourly.unionByName(daily)
