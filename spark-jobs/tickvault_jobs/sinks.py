"""Where batch views go. A sink takes named DataFrames and the `views` meta; jobs never know which.

- FileSink: Parquet (or JSON lines, for tools that cannot read Parquet) under `{out}/{name}/`;
- HBaseRestSink: the HBase read models through the REST gateway, one multi-row PUT per chunk from
  foreachPartition. Row keys are `{symbol}#{interval}#{bucketStart:013d}` (fixed-width time, so a
  scan of one symbol and interval is one key range), one column per exchange in family `c`
  holding the candle's JSON; the `views` table holds `m:version` and `m:computedThrough` per
  `{view}#{symbol}`. Writes are idempotent (deterministic keys), so a retried partition is harmless.
"""

from __future__ import annotations

import base64
import json
import urllib.request
from collections.abc import Iterable
from typing import Protocol

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T


class ViewSink(Protocol):
    def write(self, name: str, df: DataFrame) -> None: ...


class FileSink:
    def __init__(self, out: str, fmt: str = "parquet") -> None:
        if fmt not in ("parquet", "json"):
            raise ValueError(f"output format {fmt!r}: expected parquet or json")
        self.out, self.fmt = out, fmt

    def write(self, name: str, df: DataFrame) -> None:
        if self.fmt == "json":
            # JSON numbers lose exact decimals in most readers: decimals go out as text.
            df = df.select(
                *[
                    F.col(f.name).cast("string") if isinstance(f.dataType, T.DecimalType) else F.col(f.name)
                    for f in df.schema.fields
                ]
            )
        df.write.mode("overwrite").format(self.fmt).save(f"{self.out}/{name}")


def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def row_key(symbol: str, interval: str, bucket_start: int) -> str:
    return f"{symbol}#{interval}#{bucket_start:013d}"


def put_rows(
    base_url: str, table: str, rows: Iterable[tuple[str, str, str]], chunk: int = 1000, timeout: float = 30
) -> int:
    """Multi-row PUT of (row key, column, value) cells; returns the cells written."""
    written, batch = 0, []

    def flush() -> None:
        body = json.dumps({"Row": [{"key": _b64(k), "Cell": [{"column": _b64(c), "$": _b64(v)}]} for k, c, v in batch]})
        req = urllib.request.Request(
            f"{base_url}/{table}/batch",
            data=body.encode(),
            method="PUT",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as res:
            if res.status not in (200, 201):
                raise RuntimeError(f"HBase REST PUT {table}: HTTP {res.status}")

    for cell in rows:
        batch.append(cell)
        if len(batch) >= chunk:
            flush()
            written += len(batch)
            batch = []
    if batch:
        flush()
        written += len(batch)
    return written


class HBaseRestSink:
    """Candle views into `table` (family `c`); other views are not served from HBase."""

    def __init__(self, rest_url: str, table: str = "ohlcv") -> None:
        self.rest_url, self.table = rest_url.rstrip("/"), table

    def write(self, name: str, df: DataFrame) -> None:
        if name == "meta":
            cells = []
            for r in df.collect():
                key = f"{r['view']}#{r['symbol']}"
                cells += [(key, "m:version", str(r["version"])), (key, "m:computedThrough", str(r["computed_through"]))]
            put_rows(self.rest_url, "views", cells)
            return
        if not name.startswith("ohlcv"):
            return
        url, table = self.rest_url, self.table

        def cells(rows):
            for r in rows:
                value = json.dumps(
                    {
                        k: (str(v) if k == "volume" else v)
                        for k, v in r.asDict().items()
                        if k not in ("exchange", "symbol")
                    }
                )
                yield row_key(r["symbol"], r["interval"], r["bucket_start"]), f"c:{r['exchange']}", value

        df.foreachPartition(lambda rows: put_rows(url, table, cells(rows)))
