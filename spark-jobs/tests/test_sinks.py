"""The HBase cells batch_views writes, in the layout the TS HBase BatchStore reads back."""

from __future__ import annotations

import json
from decimal import Decimal

from tickvault_jobs.sinks import row_key, stored_value

ROW = {
    "exchange": "binance",
    "symbol": "BTC-USDT",
    "interval": "1h",
    "bucket_start": 1_675_209_600_000,
    "open_time": 1_675_209_600_123,
    "open_key": "9",
    "open": 23125.13,
    "high": 23200.0,
    "low": 23100.5,
    "close_time": 1_675_213_199_000,
    "close_key": "100",
    "close": 23133.74,
    "volume": Decimal("12.500000000000000001"),
    "quote_volume": 289164.25,
    "taker_buy_volume": Decimal("10.25"),
    "taker_sell_volume": Decimal("2.250000000000000001"),
    "trades": 42,
}


def test_row_keys_are_fixed_width_so_byte_order_is_time_order():
    assert row_key("BTC-USDT", "1h", 1_675_209_600_000) == "BTC-USDT#1h#001675209600000"
    keys = [row_key("BTC-USDT", "1m", t) for t in (9_999_999_999, 10_000_000_000, 123)]
    assert sorted(keys) == [keys[2], keys[0], keys[1]]


def test_candle_cells_hold_the_ts_stored_candle():
    c = json.loads(stored_value(ROW))
    assert c == {
        "b": 1_675_209_600_000,
        "ot": 1_675_209_600_123,
        "ok": "9",
        "o": 23125.13,
        "h": 23200.0,
        "l": 23100.5,
        "ct": 1_675_213_199_000,
        "ck": "100",
        "c": 23133.74,
        "v": "12500000000000000001",
        "qv": "289164250000000000000000000000000000000000",
        "tb": "10250000000000000000",
        "ts": "2250000000000000001",
        "n": 42,
    }


def test_minute_cells_are_slots_from_trades_or_from_a_kline():
    trades_minute = json.loads(stored_value({**ROW, "interval": "1m"}))
    assert trades_minute["k"] is None and trades_minute["t"]["ok"] == "9"
    kline_minute = json.loads(stored_value({**ROW, "interval": "1m", "open_key": "", "close_key": "\uffff"}))
    assert kline_minute["t"] is None and kline_minute["k"]["ck"] == "\uffff"
