"""OHLCV with the same definitions as the TypeScript folds (src/domain/folds/candle.ts, minuteSlot.ts).

- open/close: the trade first/last by (event time, trade id); trade ids compare as numbers when
  numeric (left-padded here so that text order is numeric order), else as text;
- high/low: max/min of the prices as doubles (the nearest double to the decimal text, as Number());
- volume: exact decimal sum, DecimalType(38,18) (the TS folds keep 18 fractional digits);
- taker buy / sell volume: exact decimal sums of the quantities whose taker bought / sold; a kline
  does not say, so a minute taken from a kline carries its trades' taker volumes (zero when none);
- quote volume: Σ price × quantity as a double sum (the TS folds keep it exact at 36 digits, which
  no Spark decimal holds; served as a double, within 1e-9 relative of the exact figure);
- a minute with an exchange kline takes the kline (the fuller one when there are several), not
  its trades; 1h rolls up from minutes and 1d from hours, per exchange and symbol.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window

VOLUME = "decimal(38,18)"
INTERVAL_MS = {"1m": 60_000, "1h": 3_600_000, "1d": 86_400_000}
MINUTE_MS = INTERVAL_MS["1m"]
# The TS kline candle's tie-break keys: '' sorts before every trade id and U+FFFF after.
KLINE_OPEN_KEY = ""
KLINE_CLOSE_KEY = "\uffff"
KEY_WIDTH = 40

CANDLE_COLUMNS = [
    "exchange",
    "symbol",
    "interval",
    "bucket_start",
    "open_time",
    "open_key",
    "open",
    "high",
    "low",
    "close_time",
    "close_key",
    "close",
    "volume",
    "quote_volume",
    "taker_buy_volume",
    "taker_sell_volume",
    "trades",
]


def sort_key(trade_id: Column) -> Column:
    """A text key whose order is compareKeys' order: numeric ids padded so longer means larger."""
    numeric = trade_id.rlike(r"^\d+$") & (F.length(trade_id) <= KEY_WIDTH)
    return F.when(numeric, F.lpad(trade_id, KEY_WIDTH, "0")).otherwise(trade_id)


def bucket(ms: Column, interval: str) -> Column:
    size = INTERVAL_MS[interval]
    return ms - F.pmod(ms, F.lit(size))


def apply_corrections(trades: DataFrame, corrections: DataFrame, day_range: tuple[int, int] | None = None) -> DataFrame:
    """Trades with corrections applied (the last correction of a trade, in ledger order, wins).

    `trades`: exchange, symbol, tradeId, price, quantity, side, eventTime.
    `corrections`: position and the parsed CorrectionIssued as `e`.
    A void drops the trade; a replace swaps in the replacement's fields. A replacement that moves
    a trade into `day_range` from outside it is added from the correction itself: it carries every
    field the replaced trade needs, and IssueCorrection only accepts corrections of recorded trades.
    """
    key = ["exchange", "symbol", "tradeId"]
    last = corrections.groupBy(
        F.col("e.target.exchange").alias("exchange"),
        F.col("e.target.symbol").alias("symbol"),
        F.col("e.target.tradeId").alias("tradeId"),
    ).agg(F.max_by("e", "position").alias("c"))
    untouched = trades.join(last, key, "left_anti")
    replaced = last.where(F.col("c.action") == "replace").select(
        *key,
        F.col("c.replacement.price").alias("price"),
        F.col("c.replacement.quantity").alias("quantity"),
        F.col("c.replacement.side").alias("side"),
        F.col("c.replacement.eventTime").alias("eventTime"),
    )
    if day_range is not None:
        replaced = replaced.where(F.col("eventTime").between(day_range[0], day_range[1] - 1))
    return untouched.unionByName(replaced)


def trade_minutes(trades: DataFrame) -> DataFrame:
    """1m candles from trades, per exchange and symbol. open_key/close_key keep the raw trade ids
    (the stored form the TS side reads back); ordering always goes through sort_key."""
    order = F.struct(F.col("eventTime"), sort_key(F.col("tradeId")))
    point = F.struct(F.col("eventTime").alias("t"), F.col("tradeId").alias("k"), F.col("price_d").alias("p"))
    return (
        trades.withColumn("price_d", F.col("price").cast("double"))
        .withColumn("bucket_start", bucket(F.col("eventTime"), "1m"))
        .groupBy("exchange", "symbol", "bucket_start")
        .agg(
            F.min_by(point, order).alias("o"),
            F.max_by(point, order).alias("c"),
            F.max("price_d").alias("high"),
            F.min("price_d").alias("low"),
            F.sum(F.col("quantity").cast(VOLUME)).alias("volume"),
            F.sum(F.col("price_d") * F.col("quantity").cast("double")).alias("quote_volume"),
            F.sum(_taker_quantity("buy")).alias("taker_buy_volume"),
            F.sum(_taker_quantity("sell")).alias("taker_sell_volume"),
            F.count(F.lit(1)).alias("trades"),
        )
        .select(*_candle_select("1m"))
    )


def _taker_quantity(side: str) -> Column:
    return F.when(F.col("side") == side, F.col("quantity").cast(VOLUME)).otherwise(F.lit(0).cast(VOLUME))


def _candle_select(interval: str) -> list:
    return [
        "exchange",
        "symbol",
        F.lit(interval).alias("interval"),
        "bucket_start",
        F.col("o.t").alias("open_time"),
        F.col("o.k").alias("open_key"),
        F.col("o.p").alias("open"),
        "high",
        "low",
        F.col("c.t").alias("close_time"),
        F.col("c.k").alias("close_key"),
        F.col("c.p").alias("close"),
        F.col("volume").cast(VOLUME).alias("volume"),
        "quote_volume",
        F.col("taker_buy_volume").cast(VOLUME).alias("taker_buy_volume"),
        F.col("taker_sell_volume").cast(VOLUME).alias("taker_sell_volume"),
        F.col("trades").cast("long").alias("trades"),
    ]


def kline_minutes(klines: DataFrame) -> DataFrame:
    """1m candles from the exchanges' 1m klines; of several for one minute, the fuller one
    (more trades, then more volume, then the first recorded), as addKline keeps."""
    ranked = (
        klines.where(F.col("interval") == "1m")
        .withColumn("volume_d", F.col("volume").cast(VOLUME))
        .withColumn(
            "rank",
            F.row_number().over(
                Window.partitionBy("exchange", "symbol", "openTime").orderBy(
                    F.col("trades").desc(), F.col("volume_d").desc(), F.col("position").asc()
                )
            ),
        )
        .where(F.col("rank") == 1)
    )
    return ranked.select(
        "exchange",
        "symbol",
        F.lit("1m").alias("interval"),
        F.col("openTime").alias("bucket_start"),
        F.col("openTime").alias("open_time"),
        F.lit(KLINE_OPEN_KEY).alias("open_key"),
        F.col("open").cast("double").alias("open"),
        F.col("high").cast("double").alias("high"),
        F.col("low").cast("double").alias("low"),
        (F.col("openTime") + MINUTE_MS - 1).alias("close_time"),
        F.lit(KLINE_CLOSE_KEY).alias("close_key"),
        F.col("close").cast("double").alias("close"),
        F.col("volume_d").alias("volume"),
        F.col("quoteVolume").cast("double").alias("quote_volume"),
        # Set from the minute's trades by minutes().
        F.lit(0).cast(VOLUME).alias("taker_buy_volume"),
        F.lit(0).cast(VOLUME).alias("taker_sell_volume"),
        F.col("trades").cast("long").alias("trades"),
    )


def minutes(trade_candles: DataFrame, kline_candles: DataFrame) -> DataFrame:
    """The minute slot's candle: the kline when the minute has one (with the trades' taker volumes,
    as slotCandle gives them), else the trades' candle."""
    key = ["exchange", "symbol", "bucket_start"]
    flow = trade_candles.select(*key, F.col("taker_buy_volume").alias("_tb"), F.col("taker_sell_volume").alias("_ts"))
    klines = (
        kline_candles.join(flow, key, "left")
        .withColumn("taker_buy_volume", F.coalesce("_tb", F.lit(0).cast(VOLUME)))
        .withColumn("taker_sell_volume", F.coalesce("_ts", F.lit(0).cast(VOLUME)))
        .drop("_tb", "_ts")
    )
    return klines.unionByName(trade_candles.join(kline_candles.select(*key), key, "left_anti"))


def roll_up(candles: DataFrame, interval: str) -> DataFrame:
    """Candles of a finer interval merged into `interval` buckets (mergeCandles, associatively)."""
    o = F.struct(F.col("open_time").alias("t"), F.col("open_key").alias("k"), F.col("open").alias("p"))
    c = F.struct(F.col("close_time").alias("t"), F.col("close_key").alias("k"), F.col("close").alias("p"))
    return (
        candles.withColumn("bucket_start", bucket(F.col("bucket_start"), interval))
        .groupBy("exchange", "symbol", "bucket_start")
        .agg(
            F.min_by(o, F.struct(F.col("open_time"), sort_key(F.col("open_key")))).alias("o"),
            F.max_by(c, F.struct(F.col("close_time"), sort_key(F.col("close_key")))).alias("c"),
            F.max("high").alias("high"),
            F.min("low").alias("low"),
            F.sum("volume").alias("volume"),
            F.sum("quote_volume").alias("quote_volume"),
            F.sum("taker_buy_volume").alias("taker_buy_volume"),
            F.sum("taker_sell_volume").alias("taker_sell_volume"),
            F.sum("trades").alias("trades"),
        )
        .select(*_candle_select(interval))
    )
