"""The analytics_views job's views (what the Spark publication hashes) against numpy, scipy and networkx
(test/support/network_reference.py) on generated series with gaps, ties and a flat one: rho within 1e-9,
PageRank within 1e-6, the tree's edge set and the components equal; each shortest path a chain of edges
of the graph whose lengths sum to the distance, which is Dijkstra's within 1e-9; degree and strength the
edges'. prim_order against a plain Prim over the full matrix on random matrices (the embedded engine's
order). test/adapters/batch-engine/spark/analyticsParity.int.spec.ts holds the job to the embedded engine."""

from __future__ import annotations

import math
import random

from risk_reference_support import close_relative
from test_network import aligned, candles_of, generated_series, load_network_reference

from tickvault_jobs.analytics_views import DAY_MS, compute_views, prim_order
from tickvault_jobs.network import window_returns

D = 86_400_000


def test_views_equal_the_reference_and_their_paths_are_paths_of_the_graph(spark):
    series = generated_series(7, ["ETH-USDT", "BTC-USDT"] + [f"C{k}-USDT" for k in range(2, 8)], 40, 20_000)
    symbols = sorted(series)
    as_of_day = 20_039
    candles = candles_of(spark, series).drop("exchange")
    request = {"threshold": 0.4, "views": [{"window": "30d", "asOf": as_of_day * DAY_MS, "symbols": symbols}]}
    views = compute_views(spark, candles, request)
    assert [v["method"] for v in views] == ["pearson", "spearman"]
    returns = window_returns(candles_of(spark, series), "1d", 30, as_of_day * D).collect()
    ref = load_network_reference()
    anchors = ["BTC-USDT", "ETH-USDT"]
    want = ref.answer(
        {
            "symbols": symbols,
            "columns": aligned(returns, symbols),
            "threshold": 0.4,
            "anchors": anchors,
            "matrices": {v["method"]: v["matrix"] for v in views},
        }
    )
    problems = []
    for v in views:
        w = want[v["method"]]
        n = len(symbols)
        for i in range(n):
            for j in range(n):
                if not close_relative(v["matrix"][i][j], w["values"][i][j]) or v["shared"][i][j] != w["shared"][i][j]:
                    problems.append(f"{v['method']} {i}/{j}: {v['matrix'][i][j]} vs {w['values'][i][j]}")
        net = w["network"]
        assert len(v["edges"]) == net["edges"] > 0
        for node in v["nodes"]:
            if abs(node["pagerank"] - net["pagerank"][node["symbol"]]) > 1e-6:
                problems.append(f"pagerank {node['symbol']}")
            mine = [e for e in v["edges"] if node["symbol"] in (e["source"], e["target"])]
            assert node["degree"] == len(mine)
            assert close_relative(node["strength"], math.fsum(e["weight"] for e in mine))
        assert sorted(sorted((e["source"], e["target"])) for e in v["spanningTree"]) == net["spanningTree"]
        assert sorted(sorted(c) for c in v["components"]) == net["components"]
        length = {frozenset((e["source"], e["target"])): e["distance"] for e in v["edges"]}
        assert sorted(v["shortestPaths"]) == anchors
        for anchor, paths in v["shortestPaths"].items():
            for s in symbols:
                p, d = paths[s], net["distances"][anchor].get(s)
                if p is None:
                    assert d is None, f"{s} unreached but networkx reaches it"
                    continue
                assert p["path"][0] == s and p["path"][-1] == anchor
                hops = [length[frozenset(h)] for h in zip(p["path"], p["path"][1:], strict=False)]
                assert close_relative(math.fsum(hops), p["distance"]) and close_relative(p["distance"], d)
    assert problems == []


def plain_prim(matrix: list[list[float | None]], symbols: list[str]) -> list[tuple[str, str]]:
    """Prim's algorithm over every defined pair, under the order (d, earlier position, later position)."""
    n = len(symbols)
    done = [False] * n
    out = []
    for root in range(n):
        if done[root]:
            continue
        done[root] = True
        while True:
            best = None
            for u in range(n):
                for v in range(n):
                    if done[u] and not done[v] and matrix[u][v] is not None:
                        key = (math.sqrt(2 * (1 - matrix[u][v])), min(u, v), max(u, v))
                        best = key if best is None or key < best else best
            if best is None:
                break
            _, i, j = best
            done[i] = done[j] = True
            out.append((symbols[i], symbols[j]))
    return out


def test_prim_order_is_the_order_prim_takes_the_forest_in():
    rng = random.Random(19)
    for _ in range(200):
        n = rng.randint(1, 9)
        symbols = [f"S{k}" for k in range(n)]
        matrix = [[None] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < 0.8:
                    # A coarse grid of values: ties in d are common, so the tie order is exercised.
                    matrix[i][j] = matrix[j][i] = rng.choice([-0.5, 0.0, 0.25, 0.5, 0.75, 1.0])
        want = plain_prim(matrix, symbols)
        # The forest as Kruskal would hand it over: the same edges, in any order.
        tree = [(a, b, matrix[int(a[1:])][int(b[1:])], 0.0) for a, b in want]
        rng.shuffle(tree)
        tree = [(a, b, rho, math.sqrt(2 * (1 - rho))) for a, b, rho, _ in tree]
        assert [(e["source"], e["target"]) for e in prim_order(tree, symbols)] == want
