"""archive: Structured Streaming from Kafka into the Parquet lake, partitioned by type and date.

The file sink commits each micro-batch's files in its `_spark_metadata` log together with the
checkpointed Kafka offsets, so after a kill and restart every event is in the lake exactly once
(readers must read `{lake}/raw` itself, which honours that log; see lake.read_events).
Messages that are not recorded events go to `{lake}/rejected/` with the reason, never dropped.
The checkpoint defaults to `{lake}/checkpoints/archive`, on the same storage as what it commits.

    python -m tickvault_jobs.archive --bootstrap 127.0.0.1:19092 --topics tickvault.events --lake hdfs://127.0.0.1:19000/crypto
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import functions as F

from . import lake
from .kafka_source import kafka_stream, parse_events
from .lake import to_lake_rows
from .session import builder


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="archive", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers")
    p.add_argument("--topics", required=True, help="comma-separated topics of recorded events")
    p.add_argument("--lake", required=True)
    p.add_argument("--checkpoint", help="checkpoint folder (default {lake}/checkpoints/archive)")
    p.add_argument("--trigger-seconds", type=int, default=10)
    p.add_argument("--max-offsets", type=int, default=200_000, help="most messages per micro-batch")
    p.add_argument("--until-idle", action="store_true", help="stop once the topics are drained (availableNow)")
    p.add_argument("--master")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    checkpoint = a.checkpoint or lake.path(a.lake, lake.CHECKPOINTS, "archive")
    spark = builder("tickvault archive", a.master).getOrCreate()
    parsed = parse_events(kafka_stream(spark, a.bootstrap, a.topics, a.max_offsets))
    good = to_lake_rows(parsed.where(F.col("reason").isNull()).select("e.*"))
    bad = parsed.where(F.col("reason").isNotNull()).select("raw", "topic", "partition", "offset", "reason")

    def start(df, path, checkpoint, partitions):
        w = df.writeStream.format("parquet").option("path", path).option("checkpointLocation", checkpoint)
        w = w.partitionBy(*partitions) if partitions else w
        w = w.trigger(availableNow=True) if a.until_idle else w.trigger(processingTime=f"{a.trigger_seconds} seconds")
        return w.start()

    queries = [
        start(good, lake.path(a.lake, lake.RAW), f"{checkpoint}/raw", ["type", "date"]),
        start(bad, lake.path(a.lake, lake.REJECTED), f"{checkpoint}/rejected", []),
    ]
    for q in queries:
        q.awaitTermination()
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
