"""One local SparkSession for the whole test run (local[2], no UI), and the equality helper."""

from __future__ import annotations

import os
import sys

import pytest
from pyspark.sql import DataFrame, SparkSession

from tickvault_jobs.session import builder


@pytest.fixture(scope="session")
def spark() -> SparkSession:
    # Python workers must run this venv's interpreter (pandas, pyarrow), not the system one.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        builder("tickvault-jobs tests", "local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        # One session runs every test: keep no old query's plan text (the UI's store holds 1,000 by default).
        .config("spark.sql.ui.retainedExecutions", "5")
        .getOrCreate()
    )
    yield session
    session.stop()


def rows_of(df: DataFrame, order_by: list[str]) -> list[dict]:
    return [r.asDict(recursive=True) for r in df.orderBy(*order_by).collect()]


def assert_df_equality(actual: DataFrame, expected: DataFrame, order_by: list[str]) -> None:
    """Same columns (by name) and the same rows, in `order_by` order; a readable diff otherwise."""
    assert sorted(actual.columns) == sorted(expected.columns), f"columns differ: {actual.columns} vs {expected.columns}"
    a = rows_of(actual.select(*expected.columns), order_by)
    e = rows_of(expected, order_by)
    for i, (ra, re_) in enumerate(zip(a, e, strict=False)):
        assert ra == re_, f"row {i} differs:\n  actual   {ra}\n  expected {re_}"
    assert len(a) == len(e), f"{len(a)} rows, expected {len(e)}"
