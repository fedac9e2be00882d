"""Spark's correlation network against numpy, scipy and networkx (test/support/network_reference.py, the
reference the embedded engine is held to by test/read-models/analytics/networkReference.int.spec.ts): rho
within 1e-9, PageRank within 1e-6 of networkx.pagerank, the spanning tree's edge set and the components
equal, Dijkstra distances to BTC and ETH within 1e-9. On the shared daily OHLCV data (coins listed inside
the window included) and on generated series with gaps, ties and a flat one. Missing data skips the shared
data test, except under CI=true, where it fails."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

from risk_reference_support import close_relative
from test_risk_shared_data import _coins

from tickvault_jobs.network import (
    connected_components,
    pagerank,
    pairwise_correlation,
    shortest_distances,
    spanning_tree,
    threshold_edges,
    window_returns,
)

D = 86_400_000


def load_network_reference():
    path = Path(__file__).resolve().parents[2] / "test" / "support" / "network_reference.py"
    spec = importlib.util.spec_from_file_location("network_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def candles_of(spark, series):
    """1d candles of {symbol: (day numbers, closes)}."""
    rows = [
        ("binance", s, "1d", d * D, float(c))
        for s, (days, closes) in series.items()
        for d, c in zip(days, closes, strict=True)
    ]
    return spark.createDataFrame(
        rows, "exchange string, symbol string, interval string, bucket_start long, close double"
    )


def aligned(returns_rows, symbols):
    """The reference's input: one list per symbol over the union of bar times, None where it has no return."""
    times = sorted({r.bucket_start for r in returns_rows})
    at = {(r.symbol, r.bucket_start): r.ret for r in returns_rows}
    return [[at.get((s, t)) for t in times] for s in symbols]


def check(spark, series, window, as_of_day, threshold):
    ref = load_network_reference()
    returns = window_returns(candles_of(spark, series), "1d", window, as_of_day * D).cache()
    returns_rows = returns.collect()
    symbols = sorted({r.symbol for r in returns_rows})
    nodes = spark.createDataFrame([(s,) for s in symbols], "symbol string")
    anchors = [s for s in symbols if s.split("-")[0] in ("BTC", "ETH")]
    ours = {}
    for method in ("pearson", "spearman"):
        corr = pairwise_correlation(returns, method).cache()
        rho = {(r.a, r.b): (r.rho, r.n) for r in corr.collect()}
        # The reference's network reads the pairs above the diagonal only.
        matrix = [[1.0 if a == b else rho.get(tuple(sorted((a, b))), (None, 0))[0] for b in symbols] for a in symbols]
        edges = threshold_edges(corr, threshold).cache()
        ours[method] = {
            "rho": rho,
            "matrix": matrix,
            "pagerank": {r.symbol: r.pagerank for r in pagerank(nodes, edges).collect()},
            "components": sorted(
                sorted(g)
                for g in _groups({r.symbol: r.component for r in connected_components(nodes, edges).collect()})
            ),
            "tree": sorted(sorted((a, b)) for a, b, _, _ in spanning_tree(corr, symbols)),
            "distances": {
                a: {r.symbol: r.distance for r in shortest_distances(nodes, edges, a).collect()} for a in anchors
            },
        }
    want = ref.answer(
        {
            "symbols": symbols,
            "columns": aligned(returns_rows, symbols),
            "threshold": threshold,
            "anchors": anchors,
            # Spark's own matrix, as the embedded engine's test passes its own: the network is compared on it.
            "matrices": {m: ours[m]["matrix"] for m in ours},
        }
    )
    problems = []
    for method, got in ours.items():
        w = want[method]
        for i, a in enumerate(symbols):
            for j, b in enumerate(symbols):
                if i >= j:
                    continue
                g, n = got["rho"].get((a, b), (None, 0))
                if not close_relative(g, w["values"][i][j]) or n != w["shared"][i][j]:
                    problems.append(f"{method} {a}/{b}: {g} ({n}) vs {w['values'][i][j]} ({w['shared'][i][j]})")
        for s in symbols:
            if abs(got["pagerank"][s] - w["network"]["pagerank"][s]) > 1e-6:
                problems.append(f"{method} pagerank {s}: {got['pagerank'][s]} vs {w['network']['pagerank'][s]}")
        if got["tree"] != w["network"]["spanningTree"]:
            problems.append(f"{method} spanning tree: {got['tree']} vs {w['network']['spanningTree']}")
        if got["components"] != w["network"]["components"]:
            problems.append(f"{method} components: {got['components']} vs {w['network']['components']}")
        for a in anchors:
            for s in symbols:
                if not close_relative(got["distances"][a][s], w["network"]["distances"][a].get(s)):
                    problems.append(
                        f"{method} distance {s}->{a}: {got['distances'][a][s]} vs {w['network']['distances'][a].get(s)}"
                    )
    return problems


def _groups(label_of):
    out = {}
    for s, label in label_of.items():
        out.setdefault(label, []).append(s)
    return list(out.values())


def test_network_equals_the_reference_on_the_shared_daily_data(spark):
    coins = _coins()
    last = max(days[-1] for days, _ in coins.values())
    # A year to the last day: Aave, Polkadot, Solana and Uniswap list inside it.
    assert check(spark, coins, 365, last, 0.5) == []


def generated_series(seed: int, symbols: list[str], days: int, first_day: int):
    """{symbol: (days, closes)} following one market factor (some against it), with a rounded series
    (ties, the fifth), gaps (the sixth: the returns on either side are missing) and a flat one (the
    eighth: its pairs have no correlation)."""
    rng = random.Random(seed)
    market = [rng.gauss(0, 0.03) for _ in range(days)]
    series = {}
    for k, symbol in enumerate(symbols):
        closes, listed, price = [], [], 100.0
        for t, m in enumerate(market):
            r = (0.8 if k % 3 else -0.6) * m + rng.gauss(0, 0.02)
            if k == 4:
                r = round(r, 2)
            if k == 7:
                r = 0.0
            price *= 1 + r
            if k == 5 and t % 7 == 3:
                continue
            listed.append(first_day + t)
            closes.append(price)
        series[symbol] = (listed, closes)
    return series


def test_network_equals_the_reference_on_generated_series(spark):
    series = generated_series(19, ["BTC-USDT", "ETH-USDT"] + [f"C{k}-USDT" for k in range(2, 9)], 60, 20_000)
    assert check(spark, series, 50, 20_059, 0.4) == []
