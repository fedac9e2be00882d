"""stream_windows: the speed layer's windows on Spark, from Kafka to `crypto.prices.processed`.

- sliding windows of 5 minutes every minute per symbol (event time, watermark), with open/close
  by (event time, trade id), high, low, volume, VWAP and trade count;
- per-symbol running state with applyInPandasWithState: last price, trade count and an EWMA of
  squared log returns (realised volatility), emitted after each micro-batch;
both as JSON messages keyed by symbol, checkpointed. The Kafka sink is at-least-once: consumers
dedupe by (kind, symbol, window start) or (kind, symbol, count).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterator

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.streaming.state import GroupState, GroupStateTimeout

from .candles import sort_key
from .kafka_source import kafka_stream, parse_events
from .lake import TRADE
from .session import builder

VOL_LAMBDA = 0.94  # RiskMetrics' daily decay; per trade here, a fast-reacting volatility
STATE_SCHEMA = "last_price double, trades long, ewma_var double"
OUTPUT_SCHEMA = "symbol string, last_price double, trades long, volatility double, as_of long"


def trades_of(events: DataFrame) -> DataFrame:
    """TradeObserved events → trades with an event-time timestamp column `ts`."""
    return (
        events.where(F.col("e.type") == "TradeObserved")
        .select(F.from_json("e.data", TRADE).alias("t"))
        .select("t.*")
        .withColumn("ts", F.timestamp_millis("eventTime"))
    )


def sliding_windows(trades: DataFrame, watermark: str = "2 minutes") -> DataFrame:
    order = F.struct(F.col("eventTime"), sort_key(F.col("tradeId")))
    price = F.col("price").cast("double")
    qty = F.col("quantity").cast("double")
    return (
        trades.withWatermark("ts", watermark)
        .groupBy("symbol", F.window("ts", "5 minutes", "1 minute"))
        .agg(
            F.min_by(price, order).alias("open"),
            F.max(price).alias("high"),
            F.min(price).alias("low"),
            F.max_by(price, order).alias("close"),
            F.sum(qty).alias("volume"),
            (F.sum(price * qty) / F.sum(qty)).alias("vwap"),
            F.count(F.lit(1)).alias("trades"),
        )
        .select(
            F.lit("window5m").alias("kind"),
            "symbol",
            (F.unix_millis(F.col("window.start"))).alias("window_start"),
            (F.unix_millis(F.col("window.end"))).alias("window_end"),
            "open",
            "high",
            "low",
            "close",
            "volume",
            "vwap",
            "trades",
        )
    )


def advance(state: tuple[float | None, int, float], batch: pd.DataFrame) -> tuple[float | None, int, float]:
    """Folds a batch of one symbol's trades (any order within the batch: sorted by time, id) into the state."""
    last, count, var = state
    ordered = batch.assign(_k=batch["tradeId"].map(lambda k: (len(k), k) if k.isdigit() else (0, k))).sort_values(
        ["eventTime", "_k"]
    )
    for p in ordered["price"].astype("float64"):
        if last is not None and last > 0 and p > 0:
            r = math.log(p / last)
            var = VOL_LAMBDA * var + (1 - VOL_LAMBDA) * r * r
        last = p
        count += 1
    return last, count, var


def per_symbol_state(key: tuple, batches: Iterator[pd.DataFrame], state: GroupState) -> Iterator[pd.DataFrame]:
    (symbol,) = key
    current = state.get if state.exists else (None, 0, 0.0)
    as_of = 0
    for b in batches:
        current = advance(current, b)
        as_of = max(as_of, int(b["eventTime"].max()))
    state.update(current)
    last, count, var = current
    yield pd.DataFrame(
        [{"symbol": symbol, "last_price": last, "trades": count, "volatility": math.sqrt(var), "as_of": as_of}]
    )


def running_state(trades: DataFrame) -> DataFrame:
    return (
        trades.groupBy("symbol")
        .applyInPandasWithState(per_symbol_state, OUTPUT_SCHEMA, STATE_SCHEMA, "update", GroupStateTimeout.NoTimeout)
        .withColumn("kind", F.lit("state"))
    )


def to_kafka(df: DataFrame) -> DataFrame:
    return df.select(F.col("symbol").alias("key"), F.to_json(F.struct(*df.columns)).alias("value"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="stream_windows", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topics", required=True, help="topics of recorded events holding trades")
    p.add_argument("--output-topic", default="crypto.prices.processed")
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--watermark", default="2 minutes")
    p.add_argument("--master")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    spark = builder("tickvault stream_windows", a.master).getOrCreate()
    parsed = parse_events(kafka_stream(spark, a.bootstrap, a.topics)).where(F.col("reason").isNull())
    trades = trades_of(parsed)

    def start(df: DataFrame, name: str, mode: str):
        return (
            to_kafka(df)
            .writeStream.format("kafka")
            .option("kafka.bootstrap.servers", a.bootstrap)
            .option("topic", a.output_topic)
            .option("checkpointLocation", f"{a.checkpoint}/{name}")
            .outputMode(mode)
            .start()
        )

    queries = [
        start(sliding_windows(trades, a.watermark), "windows", "append"),
        start(running_state(trades), "state", "update"),
    ]
    for q in queries:
        q.awaitTermination()
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
