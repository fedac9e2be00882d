"""The nightly correlation matrices and networks on Spark: what the embedded engine's
src/app/analyticsPublication.ts publishes, computed with network.py's DataFrame transforms from the
closes the publication staged (docs/analytics.md).

Input: `--closes`, JSON lines of (symbol, interval, bucket_start, close), the closes of the symbols each
view selected; `--request`, JSON text {"threshold": t, "views": [{"window": "30d", "asOf": ms,
"symbols": [...]}]} (asOf: the start of the UTC day; symbols in the matrix's order). One application
computes every view asked (one JVM start for the nightly pass).

Output (`--out`, canonical JSON): {"views": [...]}, per view and method (pearson, spearman) the parts of
src/read-models/analytics/analyticsViews.ts's contents that Spark computes: the matrix and shared counts
(row-major, null for an undefined rho), the threshold edges in matrix order, Mantegna's tree in the order
Prim's algorithm takes it (the embedded engine's), per node PageRank, degree, strength and component,
the components, and the shortest paths to the BTC and ETH symbols. The communities (Louvain, label
propagation) are left to the publication, which hashes the whole content.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .model_export import canonical_json
from .models import write_text
from .network import (
    MIN_SHARED_RETURNS,
    connected_components,
    pagerank,
    pairwise_correlation,
    shortest_distances,
    spanning_tree,
    threshold_edges,
    window_returns,
)
from .session import builder

DAY_MS = 86_400_000
# The windows of src/domain/analytics/definitions.ts: bar interval, its length, returns in the window.
WINDOWS = {
    "30d": ("1d", DAY_MS, 30),
    "90d": ("1d", DAY_MS, 90),
    "365d": ("1d", DAY_MS, 365),
    "24h": ("1m", 60_000, 1_440),
}
METHODS = ("pearson", "spearman")

CLOSES_SCHEMA = T.StructType(
    [
        T.StructField("symbol", T.StringType()),
        T.StructField("interval", T.StringType()),
        T.StructField("bucket_start", T.LongType()),
        T.StructField("close", T.DoubleType()),
    ]
)


def anchor_symbols(symbols: list[str]) -> list[str]:
    """The BTC and ETH symbols (the first of each base in matrix order), as correlationNetwork.ts picks them."""
    out = []
    for base in ("BTC", "ETH"):
        found = next((s for s in symbols if s.split("-")[0] == base), None)
        if found is not None:
            out.append(found)
    return out


def _diagonal(returns: DataFrame) -> dict[str, tuple[float | None, int]]:
    """Each symbol's rho with itself (1, or null with fewer than 3 returns or none spread) and its return count."""
    rows = returns.groupBy("symbol").agg(F.count(F.lit(1)).alias("n"), (F.min("ret") == F.max("ret")).alias("flat"))
    return {r.symbol: (None if r.n < MIN_SHARED_RETURNS or r.flat else 1.0, r.n) for r in rows.collect()}


def prim_order(tree: list[tuple[str, str, float, float]], symbols: list[str]) -> list[dict]:
    """The spanning forest's edges in the order Prim's algorithm adds them, each tree grown from its first
    symbol in matrix order, `source` the earlier symbol. The forest is unique under the order (d, earlier
    position, later position), and the lightest edge leaving Prim's tree is always one of its edges, so
    Prim over the forest alone takes them in the embedded engine's order."""
    position = {s: i for i, s in enumerate(symbols)}
    near: dict[int, list[tuple[float, int, int, float]]] = {i: [] for i in range(len(symbols))}
    for a, b, rho, d in tree:
        i, j = sorted((position[a], position[b]))
        near[i].append((d, i, j, rho))
        near[j].append((d, i, j, rho))
    done = [False] * len(symbols)
    out = []
    for root in range(len(symbols)):
        if done[root]:
            continue
        done[root] = True
        frontier = list(near[root])
        while frontier:
            frontier.sort()
            d, i, j, rho = frontier.pop(0)
            new = j if done[i] else i
            if done[new]:
                continue
            done[new] = True
            out.append({"source": symbols[i], "target": symbols[j], "rho": rho, "distance": d})
            frontier.extend(e for e in near[new] if not (done[e[1]] and done[e[2]]))
    return out


def _groups(symbols: list[str], label_of: dict[str, str]) -> tuple[list[list[str]], dict[str, int]]:
    """Groups by label in matrix order (ordered by their first symbol) and each symbol's group index."""
    index_of_label: dict[str, int] = {}
    lists: list[list[str]] = []
    index = {}
    for s in symbols:
        g = index_of_label.setdefault(label_of[s], len(lists))
        if g == len(lists):
            lists.append([])
        lists[g].append(s)
        index[s] = g
    return lists, index


def _paths(symbols: list[str], rows: list, anchor: str) -> dict:
    """Each symbol's {distance, path to the anchor} (null when unreached), following each node's next hop."""
    hop = {r.symbol: (r.distance, r.toward) for r in rows}
    out = {}
    for s in symbols:
        distance, _ = hop[s]
        if distance is None:
            out[s] = None
            continue
        path = [s]
        while path[-1] != anchor:
            path.append(hop[path[-1]][1])
        out[s] = {"distance": distance, "path": path}
    return out


def method_view(spark: SparkSession, returns: DataFrame, symbols: list[str], method: str, threshold: float) -> dict:
    """One method's matrix and network over the window's returns (Spark's parts of the published contents)."""
    n = len(symbols)
    position = {s: i for i, s in enumerate(symbols)}
    corr = pairwise_correlation(returns, method).localCheckpoint()
    matrix = [[None] * n for _ in range(n)]
    shared = [[0] * n for _ in range(n)]
    for s, (rho, count) in _diagonal(returns).items():
        matrix[position[s]][position[s]] = rho
        shared[position[s]][position[s]] = count
    for r in corr.collect():
        i, j = position[r.a], position[r.b]
        matrix[i][j] = matrix[j][i] = r.rho
        shared[i][j] = shared[j][i] = r.n
    edges_df = threshold_edges(corr, threshold).localCheckpoint()
    edges = []
    for r in edges_df.collect():
        i, j = sorted((position[r.a], position[r.b]))
        edge = {"source": symbols[i], "target": symbols[j], "rho": r.rho, "weight": r.weight, "distance": r.distance}
        edges.append((i, j, edge))
    edges = [e for _, _, e in sorted(edges, key=lambda t: (t[0], t[1]))]
    nodes = spark.createDataFrame([(s,) for s in symbols], "symbol string")
    ranks = {r.symbol: r.pagerank for r in pagerank(nodes, edges_df).collect()}
    components, component_of = _groups(
        symbols, {r.symbol: r.component for r in connected_components(nodes, edges_df).collect()}
    )
    degree = {s: 0 for s in symbols}
    strength = {s: 0.0 for s in symbols}
    for e in edges:
        for s in (e["source"], e["target"]):
            degree[s] += 1
            strength[s] += e["weight"]
    return {
        "method": method,
        "matrix": matrix,
        "shared": shared,
        "edges": edges,
        "spanningTree": prim_order(spanning_tree(corr, symbols), symbols),
        "nodes": [
            {
                "symbol": s,
                "pagerank": ranks[s],
                "degree": degree[s],
                "strength": strength[s],
                "component": component_of[s],
            }
            for s in symbols
        ],
        "components": components,
        "shortestPaths": {
            a: _paths(symbols, shortest_distances(nodes, edges_df, a).collect(), a) for a in anchor_symbols(symbols)
        },
    }


def compute_views(spark: SparkSession, closes: DataFrame, request: dict) -> list[dict]:
    """Every view the request asks: per window, both methods over the window's selected symbols."""
    out = []
    candles = closes.withColumn("exchange", F.lit("published"))
    for v in request["views"]:
        interval, step, count = WINDOWS[v["window"]]
        symbols = list(v["symbols"])
        # The window's last bar is the as-of day's last: the day itself (1d) or its last minute (1m).
        as_of_bar = v["asOf"] + DAY_MS - step
        chosen = candles.where(F.col("symbol").isin(symbols))
        returns = window_returns(chosen, interval, count, as_of_bar).localCheckpoint()
        for method in METHODS:
            out.append({"window": v["window"], "asOf": v["asOf"], "symbols": symbols,
                        **method_view(spark, returns, symbols, method, request["threshold"])})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="analytics_views", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--closes", required=True, help="the closes as JSON lines (file:// or hdfs:// URI, or a path)")
    p.add_argument(
        "--request", required=True, help='JSON text: {"threshold": t, "views": [{"window", "asOf", "symbols"}]}'
    )
    p.add_argument("--out", required=True, help="where the views' JSON goes (file:// or hdfs:// URI, or a path)")
    p.add_argument("--master", help="Spark master URL")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    request = json.loads(a.request)
    if not isinstance(request.get("threshold"), int | float) or not math.isfinite(request["threshold"]):
        raise SystemExit("analytics_views: the request needs a finite threshold")
    for v in request.get("views", []):
        if v.get("window") not in WINDOWS:
            raise SystemExit(f"analytics_views: window {v.get('window')!r} is none of {', '.join(WINDOWS)}")
    # A few partitions per shuffle: the network is of at most 1,000 symbols, and PageRank, components
    # and shortest paths shuffle once or twice per step; Spark's default 200 tasks a step would be
    # nearly all scheduling.
    spark = builder("tickvault analytics_views", a.master).config("spark.sql.shuffle.partitions", "4").getOrCreate()
    try:
        closes = spark.read.schema(CLOSES_SCHEMA).json(a.closes)
        write_text(spark, a.out, canonical_json({"views": compute_views(spark, closes, request)}))
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
