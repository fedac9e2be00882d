"""export → lake → batch_views, end to end on JSON lines shaped like the ledger's RecordedEvent."""

from __future__ import annotations

import json
import os
from decimal import Decimal

import pytest

from tickvault_jobs import batch_views, export, lake

T0 = 1_675_209_600_000  # 2023-02-01T00:00:00Z
H = 3_600_000


def recorded(position, type_, data, recorded_at=T0):
    return {
        "position": position,
        "id": f"e{position}",
        "type": type_,
        "schemaVersion": 1,
        "stream": "s",
        "streamVersion": position,
        "data": data,
        "meta": {"recordedAt": recorded_at, "actor": "t", "correlationId": "c", "causationId": None, "source": "t"},
        "dedupKey": None,
        "prevHash": "0" * 64,
        "hash": "0" * 64,
    }


def trade(position, tid, price, t, symbol="BTC-USDT"):
    return recorded(
        position,
        "TradeObserved",
        {
            "exchange": "binance",
            "symbol": symbol,
            "tradeId": tid,
            "price": price,
            "quantity": "0.5",
            "side": "buy",
            "eventTime": t,
        },
    )


@pytest.fixture(scope="module")
def lake_dir(spark, tmp_path_factory):
    base = tmp_path_factory.mktemp("lake")
    events = [
        trade(i + 1, str(i + 1), f"{100 + i}.25", T0 + i * 20 * 60_000) for i in range(80)
    ]  # 80 trades, 20 min apart
    events.append(trade(81, "x1", "5", T0 + 2 * 86_400_000))  # a day outside the range asked for
    events.append(
        recorded(
            82,
            "CorrectionIssued",
            {
                "correctionId": "c1",
                "action": "void",
                "target": {"exchange": "binance", "symbol": "BTC-USDT", "tradeId": "1"},
                "reason": "bust",
            },
            T0 + 3 * 86_400_000,
        )
    )
    events.append(
        recorded(
            83,
            "MarketSnapshotObserved",
            {
                "provider": "coingecko",
                "assetId": "bitcoin",
                "symbol": "BTC-USDT",
                "priceUsd": "1",
                "marketCapUsd": "900",
                "volume24hUsd": "1",
                "rank": 1,
                "eventTime": T0,
            },
        )
    )
    src = base / "events.jsonl"
    src.write_text("".join(json.dumps(e) + "\n" for e in events))
    export.run(spark, str(src), str(base))
    return str(base)


def test_export_files_events_by_type_and_event_day(lake_dir):
    dates = sorted(os.listdir(f"{lake_dir}/raw/type=TradeObserved"))
    assert dates == ["date=2023-02-01", "date=2023-02-02", "date=2023-02-03"]
    assert os.listdir(f"{lake_dir}/raw/type=CorrectionIssued") == ["date=2023-02-04"]  # recordedAt: no event time


def test_reading_a_day_range_prunes_partitions(spark, lake_dir):
    spark.conf.set("spark.sql.maxMetadataStringLength", "10000")  # the plan text is cut at 100 characters otherwise
    df = lake.read_events(spark, lake_dir, "TradeObserved", lake.TRADE, ("2023-02-01", "2023-02-01"))
    plan = df._jdf.queryExecution().executedPlan().toString()
    filters = plan.split("PartitionFilters: [", 1)[1].split("]", 1)[0]
    assert "(type#" in filters and "(date#" in filters and "2023-02-01" in filters
    assert df.count() == 72  # 24 h / 20 min


def test_the_order_book_lake_beside_the_events_leaves_their_reading_unchanged(spark, lake_dir, tmp_path):
    before = lake.read_events(spark, lake_dir, "TradeObserved", lake.TRADE, None).count()
    # What the platform's book archive writes: raw/orderbook/exchange=<x>/date=<d>/<file>.parquet, another layout.
    book = f"{lake_dir}/raw/orderbook/exchange=okx/date=2023-02-01"
    spark.createDataFrame(
        [("bookSnapshot", "exchange", "{}")], "kind string, origin string, data string"
    ).write.parquet(book)
    assert lake.read_events(spark, lake_dir, "TradeObserved", lake.TRADE, None).count() == before > 0
    assert lake.read_events(spark, lake_dir, "CorrectionIssued", lake.CORRECTION, None).count() > 0


def test_batch_views_write_candles_with_corrections_applied_and_meta(spark, lake_dir, tmp_path):
    out = tmp_path / "views"
    args = batch_views.parse_args(
        [
            "--lake",
            lake_dir,
            "--out",
            str(out),
            "--from",
            "2023-02-01",
            "--to",
            "2023-02-02",
            "--format",
            "json",
            "--view-version",
            "3",
            "--views",
            "ohlcv,risk,indicators",
        ]
    )
    batch_views.run(spark, args)
    ohlcv = spark.read.json(str(out / "ohlcv"))
    day1 = ohlcv.where(f"interval = '1d' and bucket_start = {T0}").first()
    assert day1.trades == 71  # trade 1 voided
    assert day1.open == 101.25 and Decimal(day1.volume) == Decimal("35.5")
    assert ohlcv.where("interval = '1d'").count() == 2  # the trade on 2023-02-03 is outside the range
    meta = spark.read.json(str(out / "meta")).first()
    assert (meta.version, meta.computed_through) == (3, T0 + 79 * 20 * 60_000 + 60_000)
    risk = {r.interval: r for r in spark.read.json(str(out / "risk")).collect()}
    assert risk["1h"].market_cap_usd == 900.0 and risk["1h"].observations == 26  # 27 hourly candles, 26 returns
    assert (risk["1h"].annualisation, risk["1d"].annualisation) == (8_760, 365)
    assert risk["1d"].observations == 1  # two daily candles, one return
    assert spark.read.json(str(out / "indicators")).where("interval = '1h'").count() == 27


def test_a_recompute_keeps_the_views_boundary_and_versions_every_symbol_asked(spark, lake_dir, tmp_path):
    out = tmp_path / "views"
    kept = T0 + 5 * 86_400_000
    args = ["--lake", lake_dir, "--out", str(out), "--format", "json", "--from", "2023-02-03", "--to", "2023-02-03"]
    args += [
        "--symbols",
        "BTC-USDT,ETH-USDT",
        "--view-version",
        "4",
        "--computed-through",
        str(kept),
        "--views",
        "ohlcv",
    ]
    batch_views.run(spark, batch_views.parse_args(args))
    meta = {r.symbol: (r.version, r.computed_through) for r in spark.read.json(str(out / "meta")).collect()}
    # ETH-USDT has no trade at all that day: its new version is published all the same.
    assert meta == {"BTC-USDT": (4, kept), "ETH-USDT": (4, kept)}
    assert spark.read.json(str(out / "ohlcv")).where("interval = '1d'").first().trades == 1


def test_batch_views_files_the_events_it_is_given_first_and_writes_only_the_views_asked(spark, tmp_path):
    src = tmp_path / "events.jsonl"
    src.write_text("".join(json.dumps(trade(i, str(i), "10", T0 + i * 60_000)) + "\n" for i in range(1, 4)))
    out = tmp_path / "views"
    args = ["--events", str(src), "--lake", str(tmp_path / "lake"), "--out", str(out), "--format", "json"]
    args += ["--from", "2023-02-01", "--to", "2023-02-01", "--views", "ohlcv"]
    batch_views.run(spark, batch_views.parse_args(args))
    assert spark.read.json(str(out / "ohlcv")).where("interval = '1d'").first().trades == 3
    assert sorted(p.name for p in out.iterdir()) == ["meta", "ohlcv"]
    assert lake.read_events(spark, str(tmp_path / "lake"), "TradeObserved", lake.TRADE, None).count() == 3


def test_batch_views_refuses_a_view_it_does_not_know(capsys):
    with pytest.raises(SystemExit):
        batch_views.parse_args(
            ["--lake", "x", "--out", "y", "--from", "2023-02-01", "--to", "2023-02-01", "--views", "ohlcv,vwap"]
        )
    assert "--views: unknown view 'vwap'" in capsys.readouterr().err


def test_batch_views_write_into_the_lakes_processed_folders(spark, lake_dir):
    args = ["--lake", lake_dir, "--processed", "--format", "json", "--from", "2023-02-01", "--to", "2023-02-02"]
    args += ["--views", "ohlcv,indicators,risk,correlation"]  # the feature store's views have tests of their own
    batch_views.run(spark, batch_views.parse_args(args))
    processed = f"{lake_dir}/processed"
    assert spark.read.json(f"{processed}/ohlcv").where("interval = '1d'").count() == 2
    assert spark.read.json(f"{processed}/features/indicators").where("interval = '1h'").count() == 27
    # One symbol: its daily figures and their hourly variant.
    risk = spark.read.json(f"{processed}/aggregates/risk").collect()
    assert sorted(r.annualisation for r in risk) == [365, 8760]
    assert os.path.isdir(f"{processed}/aggregates/correlation")  # one symbol: no pair to correlate
    assert spark.read.json(f"{processed}/meta").first().version == 1


def test_bad_arguments_are_refused_with_a_reason(capsys):
    with pytest.raises(SystemExit):
        batch_views.parse_args(["--lake", "l", "--out", "o", "--from", "2023-02-03", "--to", "2023-02-01"])
    assert "is after --to" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        both = ["--out", "o", "--processed"]
        batch_views.parse_args(["--lake", "l", *both, "--from", "2023-02-01", "--to", "2023-02-01"])
    assert "exactly one of" in capsys.readouterr().err
