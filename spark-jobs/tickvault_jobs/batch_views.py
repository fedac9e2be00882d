"""batch_views: the batch layer's views, recomputed from the Parquet lake.

lake (trades, klines, corrections, market snapshots, pruned to the days asked for)
  → corrections applied → 1m candles (klines over trades) → 1h → 1d
  → indicators per candle, trend per candle, daily and hourly risk per symbol (+ coin metadata), return correlations,
    the feature store's rows per symbol and 1h/1d bar (features.py) with their autocorrelation and weekday × hour
    profile (feature_profiles.py)
  → a sink (Parquet/JSON files or HBase) with the `views` meta.

    python -m tickvault_jobs.batch_views --lake L --out O --from 2023-02-01 --to 2023-02-02 [--symbols A,B]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timezone

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from . import export, lake
from .candles import CANDLE_COLUMNS, apply_corrections, kline_minutes, minutes, roll_up, trade_minutes
from .correlation import correlation_matrix
from .feature_profiles import autocorrelation, seasonality
from .features import feature_rows
from .indicators import with_indicators
from .metadata import latest_metadata, with_metadata
from .risk import risk_by_symbol
from .session import builder
from .sinks import FileSink, HBaseRestSink, ViewSink
from .trend import trend_udf

OHLCV_VIEW = "ohlcv"
VIEW_NAMES = ("ohlcv", "indicators", "risk", "correlation", "features", "autocorrelation", "seasonality")


def day_start_ms(day: str) -> int:
    return int(datetime.combine(date.fromisoformat(day), datetime.min.time(), timezone.utc).timestamp() * 1000)


def candles_from_lake(
    spark: SparkSession, lake_uri: str, days: tuple[str, str], symbols: list[str] | None
) -> DataFrame:
    """1m, 1h and 1d candles of the days asked for, corrections applied (CANDLE_COLUMNS)."""
    span = (day_start_ms(days[0]), day_start_ms(days[1]) + lake.DAY_MS)

    def only(df: DataFrame) -> DataFrame:
        return df if symbols is None else df.where(F.col("symbol").isin(symbols))

    trades = only(lake.read_events(spark, lake_uri, "TradeObserved", lake.TRADE, days).select("e.*"))
    klines = only(lake.read_events(spark, lake_uri, "CandleObserved", lake.KLINE, days).select("position", "e.*"))
    # Corrections are few and may come any day after the trade: all of them, no pruning.
    corrections = lake.read_events(spark, lake_uri, "CorrectionIssued", lake.CORRECTION, None)
    if symbols is not None:
        corrections = corrections.where(F.col("e.target.symbol").isin(symbols))
    corrected = apply_corrections(trades, corrections, span)
    in_span = corrected.where(F.col("eventTime").between(span[0], span[1] - 1))
    m1 = minutes(trade_minutes(in_span), kline_minutes(klines)).select(*CANDLE_COLUMNS).cache()
    h1 = roll_up(m1, "1h").cache()
    d1 = roll_up(h1, "1d")
    # Every view reads these candles: computed once, not once per view.
    return m1.unionByName(h1).unionByName(d1).cache()


def views(
    spark: SparkSession, candles: DataFrame, lake_uri: str, wanted: tuple[str, ...] = VIEW_NAMES
) -> dict[str, DataFrame]:
    """Every view, each a lazy DataFrame: one that is not written (not in `wanted`) is not computed."""
    analysed = with_indicators(candles.where(F.col("interval") != "1m")).withColumn(
        "trend", trend_udf("close", "ma_7", "ma_30", "rsi_14")
    )
    snapshots = lake.read_events(spark, lake_uri, "MarketSnapshotObserved", lake.MARKET_SNAPSHOT, None)
    # Daily figures by the fixed definitions (a year of UTC days), and their intraday twin (a year of hours).
    figures = risk_by_symbol(candles, "1d", window=365).unionByName(risk_by_symbol(candles, "1h", window=8_760))
    risk = with_metadata(figures, latest_metadata(snapshots))
    sentiment = lake.read_events(spark, lake_uri, "SentimentObserved", lake.SENTIMENT, None)
    features = feature_rows(candles, snapshots, sentiment)
    # The time-series views read the returns through a lazy local checkpoint: on top of the
    # features' plan (hundreds of window expressions) their own 30 lags made a plan whose text
    # alone filled the driver's heap. When the rows are written too, they are computed once.
    if "features" in wanted and {"autocorrelation", "seasonality"} & set(wanted):
        features = features.cache()
    returns = features.select("symbol", "interval", "bucket_start", "log_return_1").localCheckpoint(eager=False)
    return {
        "ohlcv": candles,
        "indicators": analysed,
        "risk": risk,
        "correlation": correlation_matrix(candles, "1h"),
        "features": features,
        "autocorrelation": autocorrelation(returns),
        "seasonality": seasonality(returns),
    }


def meta(candles: DataFrame, version: int, symbols: list[str] | None, computed_through: int | None) -> DataFrame:
    """Per symbol: the view version and the end of the event time it covers.

    A full run covers through the end of each symbol's last minute. A recompute of past days
    (`computed_through` given, the view's own) leaves that boundary between the batch and speed
    layers where it was, and publishes the new version for every symbol asked, even one whose
    days now hold no candle at all (every trade voided).
    """
    if computed_through is not None and symbols is not None:
        rows = [(OHLCV_VIEW, s, version, computed_through) for s in symbols]
        return candles.sparkSession.createDataFrame(
            rows, "view string, symbol string, version int, computed_through long"
        )
    through = F.lit(computed_through) if computed_through is not None else F.max("bucket_start") + 60_000
    return (
        candles.where(F.col("interval") == "1m")
        .groupBy("symbol")
        .agg(through.alias("computed_through"))
        .select(F.lit(OHLCV_VIEW).alias("view"), "symbol", F.lit(version).alias("version"), "computed_through")
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="batch_views", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--lake", required=True, help="lake root URI, file:// or hdfs:// (the folder holding raw/)")
    p.add_argument(
        "--events",
        help="JSON lines of recorded events to file into --lake first, as the export job does, in this same "
        "application (a recompute then starts one JVM, not two)",
    )
    p.add_argument("--out", help="output folder for Parquet/JSON views (file sink)")
    p.add_argument(
        "--processed",
        action="store_true",
        help="write the views as files into the lake's processed/ (ohlcv, features, aggregates)",
    )
    p.add_argument("--format", default="parquet", choices=["parquet", "json"], help="file sink format")
    p.add_argument("--hbase-rest", help="HBase REST gateway URL: write the views there instead of files")
    p.add_argument(
        "--hbase-table-prefix", default="tickvault_", help="prefix of the HBase table names (the TS store's setting)"
    )
    p.add_argument("--from", dest="from_day", required=True, help="first event-time day, yyyy-mm-dd (UTC)")
    p.add_argument("--to", dest="to_day", required=True, help="last event-time day, inclusive")
    p.add_argument("--symbols", help="comma-separated symbols (default: all)")
    p.add_argument(
        "--views",
        type=lambda text: tuple(text.split(",")),
        default=VIEW_NAMES,
        help=f"comma-separated views to write (default: all of {','.join(VIEW_NAMES)}); the meta is always written",
    )
    p.add_argument("--view-version", type=int, default=1, help="version number to publish in the views meta")
    p.add_argument("--through-position", type=int, default=0, help="ledger position the lake holds events through")
    p.add_argument(
        "--computed-through",
        type=int,
        help="epoch ms to publish as the meta's computedThrough (a recompute keeps the view's own); "
        "default: the end of each symbol's last minute",
    )
    p.add_argument("--master", help="Spark master URL (default: spark-submit's)")
    p.add_argument(
        "--shuffle-partitions",
        type=int,
        default=16,
        help="initial shuffle partitions (AQE coalesces further; Spark's 200 is for big clusters)",
    )
    a = p.parse_args(argv)
    for d in (a.from_day, a.to_day):
        try:
            date.fromisoformat(d)
        except ValueError:
            p.error(f"{d!r} is not a yyyy-mm-dd day")
    if a.from_day > a.to_day:
        p.error(f"--from {a.from_day} is after --to {a.to_day}")
    unknown = [v for v in a.views if v not in VIEW_NAMES]
    if unknown:
        p.error(f"--views: unknown view {', '.join(map(repr, unknown))} (known: {', '.join(VIEW_NAMES)})")
    if [a.out is not None, a.processed, a.hbase_rest is not None].count(True) != 1:
        p.error("give exactly one of --out (files), --processed (files in the lake) or --hbase-rest (HBase)")
    return a


def run(spark: SparkSession, a: argparse.Namespace) -> None:
    symbols = a.symbols.split(",") if a.symbols else None
    sink: ViewSink = (
        FileSink(a.out, a.format)
        if a.out
        else FileSink(lake.path(a.lake, lake.PROCESSED), a.format, lake.PROCESSED_FOLDERS)
        if a.processed
        else HBaseRestSink(a.hbase_rest, a.hbase_table_prefix, a.through_position)
    )
    if a.events:
        export.run(spark, a.events, a.lake)
    candles = candles_from_lake(spark, a.lake, (a.from_day, a.to_day), symbols)
    for name, df in views(spark, candles, a.lake, a.views).items():
        if name not in a.views:
            continue
        print(f"batch_views: writing {name}", file=sys.stderr)
        sink.write(name, df)
    sink.write("meta", meta(candles, a.view_version, symbols, a.computed_through))


def main(argv: list[str] | None = None) -> int:
    a = parse_args(sys.argv[1:] if argv is None else argv)
    spark = (
        builder("tickvault batch_views", a.master)
        .config("spark.sql.shuffle.partitions", str(a.shuffle_partitions))
        .getOrCreate()
    )
    try:
        run(spark, a)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
