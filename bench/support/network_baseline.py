"""The network bench's baseline: the same nightly pass with the Python field's own tools.

Reads {"asOf", "threshold", "windows": [{"window", "symbols", "columns": [[float | null]]}]} on stdin; per
window and method, as the embedded engine does: the matrix pairwise over shared returns
(pandas.DataFrame.corr(min_periods=3), numpy/Cython inside; numpy.corrcoef alone cannot skip missing
returns), the threshold graph, networkx.pagerank (alpha 0.85, tol 1e-12), networkx.minimum_spanning_tree
on d = sqrt(2(1 - rho)), connected components, Louvain (seed 19), label propagation, Dijkstra from BTC and
ETH, and the SHA-256 of the sorted-key JSON of the matrix and of the network. Writes the timings (seconds,
after the input is parsed) as JSON on stdout.
"""

import hashlib
import json
import math
import sys
import time

import networkx as nx
import numpy as np
import pandas as pd


def digest(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def one(symbols, frame, method, threshold, as_of, window):
    t0 = time.perf_counter()
    corr = frame.corr(method=method, min_periods=3).to_numpy()
    t1 = time.perf_counter()
    rho = [[None if math.isnan(v) else float(v) for v in row] for row in corr]
    digest({"asOf": as_of, "window": window, "method": method, "symbols": symbols, "matrix": rho})
    g = nx.Graph()
    g.add_nodes_from(symbols)
    tree_input = nx.Graph()
    n = len(symbols)
    iu, ju = np.triu_indices(n, 1)
    values = corr[iu, ju]
    for i, j, r in zip(iu.tolist(), ju.tolist(), values.tolist(), strict=True):
        if math.isnan(r):
            continue
        d = math.sqrt(2 * (1 - r))
        tree_input.add_edge(symbols[i], symbols[j], weight=d)
        if abs(r) >= threshold:
            g.add_edge(symbols[i], symbols[j], weight=abs(r), distance=d)
    ranks = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=10_000)
    tree = list(nx.minimum_spanning_tree(tree_input, weight="weight").edges(data="weight"))
    components = [sorted(c) for c in nx.connected_components(g)]
    louvain = [sorted(c) for c in nx.community.louvain_communities(g, weight="weight", seed=19)]
    lpa = [sorted(c) for c in nx.community.asyn_lpa_communities(g, weight="weight", seed=19)]
    paths = {a: nx.single_source_dijkstra(g, a, weight="distance") for a in symbols[:2]}
    digest(
        {
            "pagerank": ranks,
            "tree": tree,
            "components": components,
            "louvain": louvain,
            "lpa": lpa,
            "paths": {a: p[1] for a, p in paths.items()},
            "edges": g.number_of_edges(),
        }
    )
    return {"matrix": t1 - t0, "total": time.perf_counter() - t0, "edges": g.number_of_edges()}


def main():
    request = json.load(sys.stdin)
    out = []
    t0 = time.perf_counter()
    for w in request["windows"]:
        frame = pd.DataFrame(
            {
                s: np.array([math.nan if v is None else v for v in c], dtype=np.float64)
                for s, c in zip(w["symbols"], w["columns"], strict=True)
            }
        )
        for method in ("pearson", "spearman"):
            out.append(
                {
                    "window": w["window"],
                    "method": method,
                    **one(w["symbols"], frame, method, request["threshold"], request["asOf"], w["window"]),
                }
            )
    json.dump({"seconds": time.perf_counter() - t0, "runs": out}, sys.stdout)


if __name__ == "__main__":
    main()
