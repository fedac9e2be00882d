"""Coin metadata from MarketSnapshotObserved: the latest snapshot per symbol, broadcast-joined
onto per-symbol views (the table is one row per coin, tiny beside any view)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def latest_metadata(snapshots: DataFrame) -> DataFrame:
    """`snapshots`: position and the parsed MarketSnapshotObserved as `e`."""
    latest = snapshots.groupBy(F.col("e.symbol").alias("symbol")).agg(
        F.max_by("e", F.struct(F.col("e.eventTime"), F.col("position"))).alias("s")
    )
    return latest.select(
        "symbol",
        F.col("s.assetId").alias("asset_id"),
        F.col("s.marketCapUsd").cast("double").alias("market_cap_usd"),
        F.col("s.rank").alias("market_cap_rank"),
        F.col("s.eventTime").alias("metadata_time"),
    )


def with_metadata(per_symbol: DataFrame, metadata: DataFrame) -> DataFrame:
    return per_symbol.join(F.broadcast(metadata), "symbol", "left")
