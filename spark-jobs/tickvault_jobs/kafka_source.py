"""Reading ledger events from Kafka: message values are RecordedEvent JSON (one event each)."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .lake import RECORDED_EVENT


def kafka_stream(spark: SparkSession, bootstrap: str, topics: str, max_offsets: int | None = None) -> DataFrame:
    reader = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topics)
        .option("startingOffsets", "earliest")
        .option("failOnDataLoss", "true")
    )
    if max_offsets is not None:
        reader = reader.option("maxOffsetsPerTrigger", str(max_offsets))
    return reader.load()


def parse_events(messages: DataFrame) -> DataFrame:
    """Kafka rows → (e: RecordedEvent or null, raw, topic, partition, offset, reason)."""
    raw = F.col("value").cast("string")
    parsed = messages.select(
        raw.alias("raw"),
        "topic",
        "partition",
        "offset",
        F.from_json(raw, RECORDED_EVENT, {"mode": "PERMISSIVE"}).alias("e"),
    )
    valid = F.col("e.position").isNotNull() & F.col("e.type").isNotNull() & F.col("e.data").isNotNull()
    return parsed.withColumn(
        "reason",
        F.when(valid, F.lit(None)).otherwise(F.lit("not a recorded event: JSON with position, type and data expected")),
    )
