"""export: ledger events as JSON lines (RecordedEvent, one per line) → the Parquet lake.

The embedded profile's ledger is SQLite; `tickvault` exports its events as JSON lines and this
job files them into the same lake layout the archive job fills from Kafka.

    python -m tickvault_jobs.export --input events.jsonl --lake L
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from .lake import RECORDED_EVENT, to_lake_rows, write_lake
from .session import builder


def run(spark: SparkSession, input_uri: str, lake_uri: str) -> None:
    # `data` is an object in the JSON lines; read it as text so the lake keeps it verbatim.
    raw = spark.read.text(input_uri)
    events = raw.select(F.from_json("value", RECORDED_EVENT, {"mode": "FAILFAST"}).alias("e")).select("e.*")
    write_lake(to_lake_rows(events), lake_uri)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="export", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--input", required=True, help="JSON lines of recorded events (a file, folder or glob)")
    p.add_argument("--lake", required=True, help="lake URI to append to")
    p.add_argument("--master", help="Spark master URL")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    spark = builder("tickvault export", a.master).getOrCreate()
    try:
        run(spark, a.input, a.lake)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
