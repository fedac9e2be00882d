"""The SparkSession every job starts from: adaptive query execution on, UTC, Arrow for pandas UDFs."""

from __future__ import annotations

from pyspark.sql import SparkSession

# Java 17 closes the JDK internals Spark's Arrow and memory code reach into.
JAVA17_OPENS = " ".join(
    f"--add-opens=java.base/{p}=ALL-UNNAMED"
    for p in ["java.lang", "java.lang.invoke", "java.nio", "java.util", "java.util.concurrent", "sun.nio.ch"]
)


def builder(app: str, master: str | None = None) -> SparkSession.Builder:
    b = (
        SparkSession.builder.appName(app)
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.extraJavaOptions", JAVA17_OPENS)
        .config("spark.executor.extraJavaOptions", JAVA17_OPENS)
    )
    return b.master(master) if master else b
