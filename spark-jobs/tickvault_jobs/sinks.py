"""Where batch views go. A sink takes named DataFrames and the `views` meta; jobs never know which.

- FileSink: Parquet (or JSON lines, for tools that cannot read Parquet) under `{out}/{name}/`, or
  under `{out}/{folders[name]}/` (the lake's `processed/` layout);
- HBaseRestSink: the HBase read models through the REST gateway, one multi-row PUT per chunk from
  foreachPartition, in the layout the TS HBase BatchStore reads (src/adapters/batch-store/hbase/):
  table `{prefix}ohlcv`, row `{symbol}#{interval}#{bucketStart, 15 digits}`, column `c:{exchange}`
  holding the candle's stored form (StoredSlot for 1m, StoredCandle for 1h/1d, as JSON); table
  `{prefix}views`, row `{view}#{symbol}`, column `m:meta` with version, computedThrough and
  throughPosition. Writes are idempotent (deterministic keys), so a retried partition is harmless.
  Spark keeps quote volume as a double: its stored form is that double at scale 36, not the
  exact sum the TS fold keeps (within 1e-15 relative of it).
"""

from __future__ import annotations

import base64
import json
import urllib.request
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .candles import KLINE_OPEN_KEY


class ViewSink(Protocol):
    def write(self, name: str, df: DataFrame) -> None: ...


class FileSink:
    def __init__(self, out: str, fmt: str = "parquet", folders: dict[str, str] | None = None) -> None:
        if fmt not in ("parquet", "json"):
            raise ValueError(f"output format {fmt!r}: expected parquet or json")
        self.out, self.fmt, self.folders = out, fmt, folders or {}

    def write(self, name: str, df: DataFrame) -> None:
        if self.fmt == "json":
            # JSON numbers lose exact decimals in most readers: decimals go out as text.
            df = df.select(
                *[
                    F.col(f.name).cast("string") if isinstance(f.dataType, T.DecimalType) else F.col(f.name)
                    for f in df.schema.fields
                ]
            )
        df.write.mode("overwrite").format(self.fmt).save(f"{self.out}/{self.folders.get(name, name)}")


def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


TIME_WIDTH = 15


def row_key(symbol: str, interval: str, bucket_start: int) -> str:
    return f"{symbol}#{interval}#{bucket_start:0{TIME_WIDTH}d}"


def stored_candle(r: dict) -> dict:
    """A candle row as the TS StoredCandle: volumes (taker ones too) unscaled at 18 digits, quote volume at 36."""
    return {
        "b": r["bucket_start"],
        "ot": r["open_time"],
        "ok": r["open_key"],
        "o": r["open"],
        "h": r["high"],
        "l": r["low"],
        "ct": r["close_time"],
        "ck": r["close_key"],
        "c": r["close"],
        "v": str(int(Decimal(r["volume"]).scaleb(18))),
        "qv": str(int(Decimal(repr(float(r["quote_volume"]))).scaleb(36))),
        "tb": str(int(Decimal(r["taker_buy_volume"]).scaleb(18))),
        "ts": str(int(Decimal(r["taker_sell_volume"]).scaleb(18))),
        "n": r["trades"],
    }


def stored_value(r: dict) -> str:
    """The `c:{exchange}` cell: a minute slot for 1m (the kline's when the minute came from one), else the candle."""
    c = stored_candle(r)
    if r["interval"] != "1m":
        return json.dumps(c)
    from_kline = r["open_key"] == KLINE_OPEN_KEY
    return json.dumps({"t": None if from_kline else c, "k": c if from_kline else None})


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
    """Candle rows into `{prefix}ohlcv`, the meta into `{prefix}views`; other views stay in files."""

    def __init__(self, rest_url: str, prefix: str = "tickvault_", through_position: int = 0) -> None:
        self.rest_url, self.prefix, self.through_position = rest_url.rstrip("/"), prefix, through_position

    def write(self, name: str, df: DataFrame) -> None:
        url = self.rest_url
        if name == "meta":
            cells = [
                (
                    f"{r['view']}#{r['symbol']}",
                    "m:meta",
                    json.dumps(
                        {
                            "version": r["version"],
                            "computedThrough": r["computed_through"],
                            "throughPosition": self.through_position,
                        }
                    ),
                )
                for r in df.collect()
            ]
            put_rows(url, f"{self.prefix}views", cells)
            return
        if name != "ohlcv":
            return
        table = f"{self.prefix}ohlcv"

        def cells(rows):
            for row in rows:
                r = row.asDict()
                yield row_key(r["symbol"], r["interval"], r["bucket_start"]), f"c:{r['exchange']}", stored_value(r)

        df.foreachPartition(lambda rows: put_rows(url, table, cells(rows)))
