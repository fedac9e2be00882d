"""What a lake holds, as the batch jobs read it: `python read_lake.py LAKE` prints one JSON line
{"trades": [[position, tradeId], ...], "rejected": [[partition, offset], ...]}.

Trades go through tickvault_jobs.lake.read_events (the reader batch_views uses, which honours the
archive's `_spark_metadata` log); rejected messages are read from `{lake}/rejected` the same way.
"""

import json
import os
import sys

from tickvault_jobs import lake
from tickvault_jobs.session import builder

if __name__ == "__main__":
    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = builder("tickvault read_lake", "local[1]").config("spark.ui.enabled", "false").getOrCreate()
    try:
        trades = lake.read_events(spark, sys.argv[1], "TradeObserved", lake.TRADE, None)
        rows = [[r.position, r.tradeId] for r in trades.select("position", "e.tradeId").collect()]
        rejected = [[r.partition, r.offset] for r in spark.read.parquet(f"{sys.argv[1]}/rejected").collect()]
        print(json.dumps({"trades": rows, "rejected": rejected}))
    finally:
        spark.stop()
