"""The streaming jobs' transformations on static DataFrames (the Kafka runs need a broker)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from tickvault_jobs.kafka_source import parse_events
from tickvault_jobs.stream_windows import VOL_LAMBDA, advance, sliding_windows, trades_of

T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z


def message(value: str, offset: int):
    return (value.encode(), "tickvault.events", 0, offset)


def trade_event(position, tid, price, t):
    data = {
        "exchange": "binance",
        "symbol": "BTC-USDT",
        "tradeId": tid,
        "price": price,
        "quantity": "2",
        "side": "buy",
        "eventTime": t,
    }
    return json.dumps(
        {
            "position": position,
            "id": f"e{position}",
            "type": "TradeObserved",
            "stream": "s",
            "data": data,
            "meta": {"recordedAt": t},
        }
    )


@pytest.fixture
def messages(spark):
    rows = [
        message(trade_event(1, "1", "100", T0 + 30_000), 0),
        message(trade_event(2, "2", "110", T0 + 90_000), 1),
        message("not json at all", 2),
        message(json.dumps({"position": 3}), 3),
    ]
    return spark.createDataFrame(rows, "value binary, topic string, partition int, offset long")


def test_garbage_messages_are_kept_with_a_reason(messages):
    parsed = {r.offset: r for r in parse_events(messages).collect()}
    assert parsed[0].reason is None and parsed[1].reason is None
    assert parsed[2].reason.startswith("not a recorded event") and parsed[2].raw == "not json at all"
    assert parsed[3].reason is not None


def test_sliding_windows_of_five_minutes_every_minute(messages):
    events = parse_events(messages)
    windows = {r.window_start: r for r in sliding_windows(trades_of(events.where("reason is null"))).collect()}
    # A trade at 00:00:30 lies in the 5 windows starting 23:56..00:00; one at 00:01:30 in 23:57..00:01.
    assert sorted(windows) == [T0 + m * 60_000 for m in range(-4, 2)]
    both = windows[T0]
    assert (both.open, both.close, both.high, both.low, both.trades, both.volume) == (
        100.0,
        110.0,
        110.0,
        100.0,
        2,
        4.0,
    )
    assert both.vwap == pytest.approx(105.0)
    assert windows[T0 + 60_000].trades == 1 and windows[T0 - 240_000].trades == 1


def test_running_state_folds_trades_in_event_order_whatever_the_batch_order():
    batch = pd.DataFrame({"tradeId": ["10", "9", "11"], "eventTime": [5, 5, 6], "price": ["121", "100", "110"]})
    last, count, var = advance((None, 0, 0.0), batch)
    r1, r2 = math.log(121 / 100), math.log(110 / 121)
    assert (last, count) == (110.0, 3)
    assert var == pytest.approx(VOL_LAMBDA * (1 - VOL_LAMBDA) * r1 * r1 + (1 - VOL_LAMBDA) * r2 * r2)
    split = advance(advance((None, 0, 0.0), batch.iloc[[1, 0]]), batch.iloc[[2]])
    assert split == pytest.approx((last, count, var))
