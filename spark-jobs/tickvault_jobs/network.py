"""The correlation network on Spark: the embedded engine's src/domain/analytics/ and
src/read-models/analytics/correlationNetwork.ts written as DataFrame transforms (docs/analytics.md).

GraphFrames cannot be installed here, so its calls become DataFrame iterations:

    window_returns(candles, interval, window, as_of)    simple returns of the window's consecutive bars
    pairwise_correlation(returns, method)               rho per pair over the bars both symbols have
    threshold_edges(corr, threshold)                    |rho| >= threshold, weight |rho|, d = sqrt(2(1 - rho))
    pagerank(nodes, edges, alpha, tol)                  power iteration as joins (networkx's update)
    connected_components(nodes, edges)                  smallest-label propagation until nothing changes
    shortest_distances(nodes, edges, anchor)            Bellman-Ford relaxation on d until nothing changes,
                                                        with each node's next hop towards the anchor
    spanning_tree(corr)                                 Kruskal over the collected pairs (see its docstring)

analytics_views.py runs them for the nightly publication on the cluster profile (docs/analytics.md).
Communities (Louvain, label propagation) are computed by the publication over the edges found here,
with the embedded engine's code: both visit nodes one at a time, which DataFrame iterations cannot
express without collecting the graph.
"""

from __future__ import annotations

import math

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from .risk import in_window, simple_returns

MIN_SHARED_RETURNS = 3
DEFAULT_THRESHOLD = 0.5
PAGERANK_ALPHA = 0.85
PAGERANK_TOLERANCE = 1e-12
MAX_ITERATIONS = 10_000


def window_returns(candles: DataFrame, interval: str, window: int, as_of: int) -> DataFrame:
    """(symbol, bucket_start, ret): the simple returns of consecutive `interval` bars among the last
    `window` ending at the `as_of` bar. Candles of one exchange per symbol (filter before)."""
    series = candles.where(F.col("interval") == interval)
    return in_window(simple_returns(series), window, as_of).select("symbol", "bucket_start", "ret")


def _average_rank(value: str, pair: list[str]):
    """scipy's rankdata 'average': the first rank of a value plus half its ties, within the pair's shared bars."""
    ordered = Window.partitionBy(*pair).orderBy(value)
    ties = Window.partitionBy(*pair, value)
    return F.rank().over(ordered) + (F.count(F.lit(1)).over(ties) - 1) / 2.0


def pairwise_correlation(returns: DataFrame, method: str = "pearson") -> DataFrame:
    """(a, b, rho, n) for a < b: Pearson's rho of the returns both have (Spearman: of their average
    ranks within those shared returns, as scipy.stats.spearmanr ranks a pair); null with fewer than
    3 shared returns or without spread (all values equal) on either side."""
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method: expected pearson or spearman, got {method!r}")
    left = returns.select(F.col("symbol").alias("a"), "bucket_start", F.col("ret").alias("x"))
    right = returns.select(F.col("symbol").alias("b"), "bucket_start", F.col("ret").alias("y"))
    shared = left.join(right, "bucket_start").where(F.col("a") < F.col("b"))
    if method == "spearman":
        shared = shared.withColumn("x", _average_rank("x", ["a", "b"])).withColumn("y", _average_rank("y", ["a", "b"]))
    stats = shared.groupBy("a", "b").agg(
        F.count(F.lit(1)).alias("n"),
        F.corr("x", "y").alias("r"),
        (F.min("x") == F.max("x")).alias("flat_x"),
        (F.min("y") == F.max("y")).alias("flat_y"),
    )
    defined = (F.col("n") >= MIN_SHARED_RETURNS) & ~F.col("flat_x") & ~F.col("flat_y")
    # Clipped to [-1, 1] as numpy's corrcoef and the embedded engine clip rounding past them.
    rho = F.when(defined, F.greatest(F.lit(-1.0), F.least(F.lit(1.0), F.col("r"))))
    return stats.select("a", "b", rho.alias("rho"), "n")


def threshold_edges(corr: DataFrame, threshold: float = DEFAULT_THRESHOLD) -> DataFrame:
    """(a, b, rho, weight, distance): the undirected edges where |rho| >= threshold, weight |rho|."""
    return corr.where(F.abs("rho") >= threshold).select(
        "a", "b", "rho", F.abs("rho").alias("weight"), F.sqrt(2 * (1 - F.col("rho"))).alias("distance")
    )


def _both_ways(edges: DataFrame, *columns: str) -> DataFrame:
    there = edges.select(F.col("a").alias("src"), F.col("b").alias("dst"), *columns)
    back = edges.select(F.col("b").alias("src"), F.col("a").alias("dst"), *columns)
    return there.unionByName(back)


def pagerank(
    nodes: DataFrame, edges: DataFrame, alpha: float = PAGERANK_ALPHA, tol: float = PAGERANK_TOLERANCE
) -> DataFrame:
    """(symbol, pagerank): networkx.pagerank's power iteration on the undirected weighted graph, each
    step a join of the ranks with the edges (weight / the source's total weight) and a group by target;
    a node without edges spreads its rank evenly, as networkx's dangling nodes do. Stops when the L1
    change is below n * tol, networkx's test."""
    n = nodes.count()
    directed = _both_ways(edges, "weight")
    strength = directed.groupBy("src").agg(F.sum("weight").alias("strength"))
    links = directed.join(strength, "src").select("src", "dst", (F.col("weight") / F.col("strength")).alias("share"))
    links = links.localCheckpoint()
    # A dangling node (no edges) keeps the flag beside its rank, so one action per step sums both the
    # change and the rank the dangling nodes spread next.
    flagged = nodes.join(strength, nodes.symbol == strength.src, "left").select(
        "symbol", F.col("src").isNull().alias("dangling")
    )
    ranks = flagged.select("symbol", "dangling", F.lit(1.0 / n).alias("rank")).localCheckpoint()
    lost = ranks.where("dangling").agg(F.sum("rank")).first()[0] or 0.0
    # Each step's checkpoint is lazy: the step's one action (the change, below) computes it, and the
    # next step reads it with its lineage cut; an eager one would cost a second Spark job per step.
    # (The same in the two loops below.)
    for _ in range(MAX_ITERATIONS):
        flow = (
            links.join(ranks.select(F.col("symbol").alias("src"), "rank"), "src")
            .groupBy("dst")
            .agg(F.sum(F.col("rank") * F.col("share")).alias("inflow"))
        )
        base = (1 - alpha) / n + alpha * lost / n
        updated = (
            ranks.withColumnRenamed("rank", "previous")
            .join(flow, F.col("symbol") == flow.dst, "left")
            .select(
                "symbol",
                "dangling",
                "previous",
                (F.lit(base) + alpha * F.coalesce(F.col("inflow"), F.lit(0.0))).alias("rank"),
            )
            .localCheckpoint(eager=False)
        )
        change, lost = updated.agg(
            F.sum(F.abs(F.col("rank") - F.col("previous"))),
            F.sum(F.when(F.col("dangling"), F.col("rank")).otherwise(F.lit(0.0))),
        ).first()
        ranks = updated.drop("previous")
        if change < n * tol:
            return ranks.select("symbol", F.col("rank").alias("pagerank"))
    raise RuntimeError(f"pagerank did not converge in {MAX_ITERATIONS} iterations over {n} nodes")


def connected_components(nodes: DataFrame, edges: DataFrame) -> DataFrame:
    """(symbol, component): each node's component named by its smallest symbol, found by handing the
    smallest label seen to the neighbours until no label changes (at most the graph's diameter steps)."""
    links = _both_ways(edges).localCheckpoint()
    labels = nodes.select("symbol", F.col("symbol").alias("component")).localCheckpoint()
    while True:
        offered = (
            links.join(labels.withColumnRenamed("symbol", "src"), "src")
            .groupBy("dst")
            .agg(F.min("component").alias("offer"))
        )
        updated = (
            labels.join(offered, labels.symbol == offered.dst, "left")
            .select("symbol", F.least("component", F.coalesce("offer", "component")).alias("component"))
            .localCheckpoint(eager=False)
        )
        changed = (
            updated.join(labels.withColumnRenamed("component", "before"), "symbol")
            .where(F.col("component") != F.col("before"))
            .count()
        )
        labels = updated
        if changed == 0:
            return labels


def shortest_distances(nodes: DataFrame, edges: DataFrame, anchor: str) -> DataFrame:
    """(symbol, distance, toward): the length on d of the shortest path to `anchor` (null where none) and
    the neighbour the path leaves by (null for the anchor and the unreached); relaxed over every edge
    until no distance shrinks (Bellman-Ford: d is never negative, so at most n - 1 steps). Each distance
    is summed from the anchor outwards, as Dijkstra from the anchor sums it, so equal paths give equal bits."""
    links = _both_ways(edges, "distance").localCheckpoint()
    dist = nodes.select(
        "symbol",
        F.when(F.col("symbol") == anchor, F.lit(0.0)).alias("distance"),
        F.lit(None).cast("string").alias("toward"),
    ).localCheckpoint()
    while True:
        # The smallest offer and, among equal ones, the smallest neighbour's: a deterministic path.
        reached = (
            links.join(dist.select(F.col("symbol").alias("src"), F.col("distance").alias("from_src")), "src")
            .where(F.col("from_src").isNotNull())
            .groupBy("dst")
            .agg(F.min(F.struct((F.col("from_src") + F.col("distance")).alias("offer"), "src")).alias("best"))
            .select("dst", "best.offer", F.col("best.src").alias("via"))
        )
        better = F.col("offer").isNotNull() & (F.col("distance").isNull() | (F.col("offer") < F.col("distance")))
        updated = (
            dist.join(reached, dist.symbol == reached.dst, "left")
            .select(
                "symbol",
                F.when(better, F.col("offer")).otherwise(F.col("distance")).alias("distance"),
                F.when(better, F.col("via")).otherwise(F.col("toward")).alias("toward"),
                better.alias("improved"),
            )
            .localCheckpoint(eager=False)
        )
        improved = updated.where("improved").count()
        dist = updated.drop("improved")
        if improved == 0:
            return dist


def spanning_tree(corr: DataFrame, symbols: list[str]) -> list[tuple[str, str, float, float]]:
    """Mantegna's minimum spanning forest: (a, b, rho, d) of every defined pair, by d = sqrt(2(1 - rho)),
    ties by the symbols' positions in `symbols` (the matrix order, as the embedded engine breaks them).

    Kruskal over the collected pairs, not a DataFrame iteration: the network is of the top symbols (100 in
    the nightly pass, at most 1,000), whose at most 499,500 pairs fit on the driver, and Kruskal's one sort
    and union-find there is exact and cheaper than Boruvka's log(n) rounds of several shuffles each."""
    position = {s: i for i, s in enumerate(symbols)}
    pairs = []
    for r in corr.where(F.col("rho").isNotNull()).select("a", "b", "rho").collect():
        i, j = sorted((position[r.a], position[r.b]))
        pairs.append((math.sqrt(2 * (1 - r.rho)), i, j, r.rho))
    pairs.sort()
    parent = list(range(len(symbols)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tree = []
    for d, i, j, rho in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
            tree.append((symbols[i], symbols[j], rho, d))
    return tree
