"""The Spark candle fold against the TS fold's definitions (candle.ts, minuteSlot.ts, corrections.ts)."""

from __future__ import annotations

import random
from decimal import Decimal

from pyspark.sql import functions as F

from tickvault_jobs import lake
from tickvault_jobs.candles import apply_corrections, kline_minutes, minutes, roll_up, trade_minutes

T0 = 1_675_209_600_000  # 2023-02-01T00:00:00Z


def trades_df(spark, rows):
    return spark.createDataFrame(rows, lake.TRADE)


def trade(tid, price, qty, t, exchange="binance", symbol="BTC-USDT", side="buy"):
    return (exchange, symbol, tid, price, qty, side, t)


def corrections_df(spark, rows):
    schema = f"position long, e {lake.CORRECTION.simpleString()}"
    return spark.createDataFrame(rows, schema)


def correction(position, action, tid, replacement=None, symbol="BTC-USDT"):
    return (position, ("c" + str(position), action, ("binance", symbol, tid), replacement, "test"))


def test_open_and_close_by_event_time_then_numeric_trade_id(spark):
    rows = [
        trade("10", "3", "1", T0 + 5),
        trade("9", "2", "1", T0 + 5),
        trade("100", "5", "1", T0 + 59_999),
        trade("11", "4", "1", T0 + 59_999),
    ]
    m = trade_minutes(trades_df(spark, rows)).first()
    assert (m.open, m.close) == (2.0, 5.0)  # '9' < '10' and '11' < '100' as numbers, not as text
    assert (m.high, m.low, m.trades) == (5.0, 2.0, 4)


def test_volume_is_an_exact_decimal_sum(spark):
    rows = [
        trade(str(i), "1.5", q, T0 + i)
        for i, q in enumerate(["0.1", "0.2", "0.000000000000000001", "12345678901.123456789012345678"])
    ]
    m = trade_minutes(trades_df(spark, rows)).first()
    assert m.volume == Decimal("12345678901.423456789012345679")
    assert m.taker_buy_volume == m.volume and m.taker_sell_volume == 0
    assert abs(m.quote_volume - 1.5 * float(m.volume)) <= 1e-9 * m.quote_volume


def test_corrections_void_replace_and_last_one_wins(spark):
    rows = [trade("1", "10", "1", T0), trade("2", "20", "1", T0 + 1), trade("3", "30", "1", T0 + 2)]
    corr = corrections_df(
        spark,
        [
            correction(5, "void", "1"),
            correction(6, "replace", "2", ("21", "2", "sell", T0 + 61_000)),
            correction(7, "replace", "3", ("31", "1", "buy", T0 + 3)),
            correction(8, "void", "3"),  # the later correction of trade 3 wins
        ],
    )
    out = {r.tradeId: r for r in apply_corrections(trades_df(spark, rows), corr).collect()}
    assert set(out) == {"2"}
    assert (out["2"].price, out["2"].quantity, out["2"].eventTime) == ("21", "2", T0 + 61_000)


def test_a_replacement_moving_a_trade_into_the_range_is_added_and_one_moving_out_is_dropped(spark):
    day = lake.DAY_MS
    corr = corrections_df(
        spark,
        [
            correction(5, "replace", "in", ("7", "1", "buy", T0 + day + 10)),
            correction(6, "replace", "out", ("8", "1", "buy", T0 + 10)),
        ],
    )
    rows = [trade("out", "1", "1", T0 + day + 5)]
    out = apply_corrections(trades_df(spark, rows), corr, (T0 + day, T0 + 2 * day)).collect()
    assert [(r.tradeId, r.price) for r in out] == [("in", "7")]


def test_the_minute_takes_the_fuller_kline_over_its_trades_with_the_trades_taker_volumes(spark):
    tr = trade_minutes(
        trades_df(
            spark,
            [
                trade("1", "99", "5", T0 + 1),
                trade("3", "99", "0.5", T0 + 2, side="sell"),
                trade("2", "98", "1", T0 + 60_001),
            ],
        )
    )
    kl_schema = f"position long, {', '.join(f'{f.name} {f.dataType.simpleString()}' for f in lake.KLINE.fields)}"
    kl = spark.createDataFrame(
        [
            (1, "binance", "BTC-USDT", "1m", T0, "1", "3", "0.5", "2", "10", "20", 7),
            (2, "binance", "BTC-USDT", "1m", T0, "1", "4", "0.5", "2", "11", "20", 9),
            (3, "binance", "BTC-USDT", "1h", T0, "1", "4", "0.5", "2", "11", "20", 9),
        ],
        kl_schema,
    )
    m = {r.bucket_start: r for r in minutes(tr, kline_minutes(kl)).collect()}
    assert m[T0].trades == 9 and m[T0].high == 4.0 and m[T0].open_key == ""
    assert (m[T0].volume, m[T0].taker_buy_volume, m[T0].taker_sell_volume) == (Decimal(11), Decimal(5), Decimal("0.5"))
    assert m[T0 + 60_000].trades == 1 and m[T0 + 60_000].open == 98.0


def _reference_candle(rows):
    def key(tid):
        return (len(tid), tid)

    first = min(rows, key=lambda r: (r[6], key(r[2])))
    last = max(rows, key=lambda r: (r[6], key(r[2])))
    return {
        "open": float(first[3]),
        "close": float(last[3]),
        "high": max(float(r[3]) for r in rows),
        "low": min(float(r[3]) for r in rows),
        "volume": sum((Decimal(r[4]) for r in rows), Decimal(0)),
        "trades": len(rows),
    }


def test_hours_and_days_rolled_up_from_minutes_equal_direct_folds_of_random_trades(spark):
    rng = random.Random(7)
    rows = []
    for i in range(600):
        t = T0 + rng.randrange(0, 2 * lake.DAY_MS)
        t -= t % rng.choice([1, 1000])  # many equal times, so the id tie-break matters
        rows.append(
            trade(
                str(rng.randrange(1, 10 ** rng.randrange(1, 6))) + f"{i}",
                f"{rng.uniform(1, 100):.8f}",
                f"{rng.uniform(0, 3):.18f}",
                t,
            )
        )
    m1 = trade_minutes(trades_df(spark, rows))
    for interval, size in (("1h", 3_600_000), ("1d", lake.DAY_MS)):
        rolled = roll_up(m1 if interval == "1h" else roll_up(m1, "1h"), interval)
        got = {r.bucket_start: r for r in rolled.collect()}
        groups: dict[int, list] = {}
        for r in rows:
            groups.setdefault(r[6] - r[6] % size, []).append(r)
        assert set(got) == set(groups)
        for b, g in groups.items():
            ref = _reference_candle(g)
            assert {k: getattr(got[b], k) for k in ref} == ref, f"{interval} bucket {b}"


def test_sort_key_orders_numeric_ids_as_numbers(spark):
    from tickvault_jobs.candles import sort_key

    ids = spark.createDataFrame([("9",), ("10",), ("abc",), ("",), ("\uffff",)], "id string")
    ordered = [r.id for r in ids.orderBy(sort_key(F.col("id"))).collect()]
    assert ordered == ["", "9", "10", "abc", "\uffff"]
