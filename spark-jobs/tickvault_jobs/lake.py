"""The lake, the master dataset, under one root URI: a local folder (`file://...`) on the embedded
profile, `hdfs://namenode/crypto` on the cluster profile. Its layout (the design's):

    {lake}/raw/type={type}/date={yyyy-mm-dd}/   every recorded event, Parquet (this module)
    {lake}/raw/orderbook/exchange={x}/date={d}/ the platform's order-book archive (book rows, another schema)
    {lake}/rejected/                            messages the archive could not read, with the reason
    {lake}/processed/{ohlcv,features,aggregates}/   batch views written as files
    {lake}/models/                              trained models
    {lake}/checkpoints/{job}/                   streaming checkpoints, beside the data they commit
    {lake}/tmp/                                 a job's scratch input (a recompute's, removed when it ends)


One row per recorded event. `data` stays the event's JSON text, exactly as the ledger holds it,
so the lake is a faithful copy; each job parses the types it reads with a declared schema.
`date` is the UTC day of the event's own time (trade time, kline open, snapshot time), or of
`recordedAt` for events without one (corrections), so jobs prune partitions by event time.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The ledger's RecordedEvent, as JSON lines exported from it or as Kafka message values.
RECORDED_EVENT = T.StructType(
    [
        T.StructField("position", T.LongType(), False),
        T.StructField("id", T.StringType(), False),
        T.StructField("type", T.StringType(), False),
        T.StructField("schemaVersion", T.IntegerType(), True),
        T.StructField("stream", T.StringType(), False),
        T.StructField("streamVersion", T.LongType(), True),
        T.StructField("data", T.StringType(), False),
        T.StructField("meta", T.StructType([T.StructField("recordedAt", T.LongType(), True)]), True),
    ]
)

LAKE_COLUMNS = ["position", "id", "type", "schema_version", "stream", "recorded_at", "data", "date"]

TRADE = T.StructType(
    [
        T.StructField("exchange", T.StringType()),
        T.StructField("symbol", T.StringType()),
        T.StructField("tradeId", T.StringType()),
        T.StructField("price", T.StringType()),
        T.StructField("quantity", T.StringType()),
        T.StructField("side", T.StringType()),
        T.StructField("eventTime", T.LongType()),
    ]
)

KLINE = T.StructType(
    [
        T.StructField("exchange", T.StringType()),
        T.StructField("symbol", T.StringType()),
        T.StructField("interval", T.StringType()),
        T.StructField("openTime", T.LongType()),
        T.StructField("open", T.StringType()),
        T.StructField("high", T.StringType()),
        T.StructField("low", T.StringType()),
        T.StructField("close", T.StringType()),
        T.StructField("volume", T.StringType()),
        T.StructField("quoteVolume", T.StringType()),
        T.StructField("trades", T.LongType()),
    ]
)

TRADE_REF = T.StructType(
    [
        T.StructField("exchange", T.StringType()),
        T.StructField("symbol", T.StringType()),
        T.StructField("tradeId", T.StringType()),
    ]
)

CORRECTION = T.StructType(
    [
        T.StructField("correctionId", T.StringType()),
        T.StructField("action", T.StringType()),
        T.StructField("target", TRADE_REF),
        T.StructField(
            "replacement",
            T.StructType(
                [
                    T.StructField("price", T.StringType()),
                    T.StructField("quantity", T.StringType()),
                    T.StructField("side", T.StringType()),
                    T.StructField("eventTime", T.LongType()),
                ]
            ),
        ),
        T.StructField("reason", T.StringType()),
    ]
)

MARKET_SNAPSHOT = T.StructType(
    [
        T.StructField("provider", T.StringType()),
        T.StructField("assetId", T.StringType()),
        T.StructField("symbol", T.StringType()),
        T.StructField("priceUsd", T.StringType()),
        T.StructField("marketCapUsd", T.StringType()),
        T.StructField("volume24hUsd", T.StringType()),
        T.StructField("rank", T.LongType()),
        T.StructField("eventTime", T.LongType()),
    ]
)

SENTIMENT = T.StructType(
    [
        T.StructField("provider", T.StringType()),
        T.StructField("symbol", T.StringType()),
        T.StructField("minute", T.LongType()),
        T.StructField("score", T.DoubleType()),
        T.StructField("posts", T.LongType()),
    ]
)

DAY_MS = 86_400_000


RAW = "raw"
REJECTED = "rejected"
PROCESSED = "processed"
MODELS = "models"
CHECKPOINTS = "checkpoints"


# Batch views written as files, by view name, in the design's `processed/` folders.
PROCESSED_FOLDERS = {
    "ohlcv": "ohlcv",
    "indicators": "features/indicators",
    "features": "features/store",
    "autocorrelation": "features/autocorrelation",
    "seasonality": "features/seasonality",
    "risk": "aggregates/risk",
    "correlation": "aggregates/correlation",
    "meta": "meta",
}


def path(lake: str, *parts: str) -> str:
    """`{lake}/part/part...` for a root URI with or without a trailing slash."""
    return "/".join([lake.rstrip("/"), *parts])


def utc_day(ms: Column) -> Column:
    """`yyyy-mm-dd` of an epoch-millisecond instant, UTC, independent of the session time zone."""
    return F.date_format(F.to_utc_timestamp(F.timestamp_millis(ms), F.current_timezone()), "yyyy-MM-dd")


def event_day(data: Column, recorded_at: Column) -> Column:
    """The partition day of an event: its own time when it has one, else when it was recorded."""
    own = F.coalesce(
        F.get_json_object(data, "$.eventTime"),
        F.get_json_object(data, "$.openTime"),
        F.get_json_object(data, "$.minute"),
    ).cast("long")
    return utc_day(F.coalesce(own, recorded_at))


def to_lake_rows(events: DataFrame) -> DataFrame:
    """RecordedEvent rows (RECORDED_EVENT) → lake rows (LAKE_COLUMNS)."""
    return events.select(
        "position",
        "id",
        "type",
        F.col("schemaVersion").alias("schema_version"),
        "stream",
        F.col("meta.recordedAt").alias("recorded_at"),
        "data",
        event_day(F.col("data"), F.col("meta.recordedAt")).alias("date"),
    )


def write_lake(rows: DataFrame, lake: str) -> None:
    """Appends lake rows, partitioned by type and date."""
    rows.write.mode("append").partitionBy("type", "date").parquet(path(lake, RAW))


LAKE_SCHEMA = T.StructType(
    [
        T.StructField("position", T.LongType()),
        T.StructField("id", T.StringType()),
        T.StructField("schema_version", T.IntegerType()),
        T.StructField("stream", T.StringType()),
        T.StructField("recorded_at", T.LongType()),
        T.StructField("data", T.StringType()),
        T.StructField("type", T.StringType()),
        T.StructField("date", T.StringType()),
    ]
)


def _exists(spark: SparkSession, p: str) -> bool:
    """Whether `p` exists, on whatever file system its URI names (local, HDFS)."""
    jvm_path = spark._jvm.org.apache.hadoop.fs.Path(p)
    return jvm_path.getFileSystem(spark._jsc.hadoopConfiguration()).exists(jvm_path)


def read_events(
    spark: SparkSession, lake: str, event_type: str, schema: T.StructType, days: tuple[str, str] | None
) -> DataFrame:
    """Events of one type, `data` parsed with `schema` into `e`; `days` (inclusive) prunes partitions.

    When the archive's streaming file sink wrote the lake, reads `{lake}/raw` itself: only the
    files its `_spark_metadata` log committed are read, so a micro-batch killed half-way leaves no
    duplicates behind (and the order-book lake's `raw/orderbook/` is not in that log). Otherwise
    reads the type's own folder with `raw/` as the base of the partition columns: `raw/` as a
    whole would mix `type=/date=` folders with `orderbook/exchange=/date=` ones, which partition
    discovery refuses as conflicting.
    """
    raw = path(lake, RAW)
    reader = spark.read.schema(LAKE_SCHEMA)
    source = raw if _exists(spark, f"{raw}/_spark_metadata") else f"{raw}/type={event_type}"
    try:
        df = reader.option("basePath", raw).parquet(source)
    except Exception as e:  # an empty lake is an empty input, not an error
        if "PATH_NOT_FOUND" not in str(e) and "Path does not exist" not in str(e):
            raise
        df = spark.createDataFrame([], LAKE_SCHEMA)
    df = df.where(F.col("type") == event_type)
    if days is not None:
        df = df.where(F.col("date").between(days[0], days[1]))
    return df.select("position", "recorded_at", F.from_json("data", schema).alias("e"))
