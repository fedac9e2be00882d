"""The correlation matrices and network of docs/analytics.md written with numpy, scipy and networkx: the
reference tickvault's embedded and Spark engines are held to.

Reads one JSON document on stdin and writes the answers on stdout:
  {"cases": [{"symbols": [str], "columns": [[float | null per aligned bar] per symbol], "threshold": float,
              "anchors": [str], "matrices": {"pearson": [[float | null]], "spearman": [...]},
              "louvain": {"pearson": [[str]], "spearman": [[str]]}}]}
Per case and method (pearson, spearman): the matrix pairwise over the bars both symbols have (null with
fewer than 3 shared returns or no spread: numpy.corrcoef, scipy.stats.spearmanr), the shared counts, and
the network of the matrix given in "matrices" (tickvault's own, so that a rho a rounding error away from
the threshold or from a tie cannot make the two graphs differ; the matrices are compared above):
networkx.pagerank(G, alpha=0.85, weight='weight', tol=1e-12) of the graph with an edge where
|rho| >= threshold weighted by |rho|, networkx.minimum_spanning_tree of every defined pair on
d = sqrt(2(1 - rho)), the connected components of G, the Dijkstra distances on d from each anchor, and
the modularity networkx gives the Louvain partition in "louvain" (to check the one tickvault reports).
"""

import json
import math
import sys
import warnings

import networkx as nx
import numpy as np
from scipy import stats

MIN_SHARED = 3


def pair(x, y, method):
    both = ~(np.isnan(x) | np.isnan(y))
    a, b = x[both], y[both]
    n = int(both.sum())
    if n < MIN_SHARED or np.ptp(a) == 0 or np.ptp(b) == 0:
        return None, n
    if method == "pearson":
        rho = np.corrcoef(a, b)[0, 1]
    else:
        rho = stats.spearmanr(a, b).statistic
    return (float(rho) if math.isfinite(rho) else None), n


def matrix(columns, method):
    k = len(columns)
    values = [[None] * k for _ in range(k)]
    shared = [[0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            rho, n = pair(columns[i], columns[j], method)
            if i == j and rho is not None:
                rho = 1.0
            values[i][j] = values[j][i] = rho
            shared[i][j] = shared[j][i] = n
    return values, shared


def network(symbols, values, threshold, anchors, partition):
    g = nx.Graph()
    g.add_nodes_from(symbols)
    tree_input = nx.Graph()
    tree_input.add_nodes_from(symbols)
    for i, a in enumerate(symbols):
        for j in range(i + 1, len(symbols)):
            rho = values[i][j]
            if rho is None:
                continue
            d = math.sqrt(2 * (1 - rho))
            tree_input.add_edge(a, symbols[j], weight=d)
            if abs(rho) >= threshold:
                g.add_edge(a, symbols[j], weight=abs(rho), distance=d)
    ranks = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=10_000)
    tree = nx.minimum_spanning_tree(tree_input, weight="weight")
    out = {
        "pagerank": {s: ranks[s] for s in symbols},
        "spanningTree": sorted(sorted([a, b]) for a, b in tree.edges()),
        "components": sorted(sorted(c) for c in nx.connected_components(g)),
        "distances": {a: nx.single_source_dijkstra_path_length(g, a, weight="distance") for a in anchors},
        "edges": g.number_of_edges(),
    }
    if partition is not None:
        # Modularity is undefined without edges (networkx divides by the total weight).
        out["modularity"] = (
            None
            if g.number_of_edges() == 0
            else nx.community.modularity(g, [set(c) for c in partition], weight="weight")
        )
    return out


def answer(case):
    columns = [np.array([math.nan if v is None else v for v in c], dtype=np.float64) for c in case["columns"]]
    out = {}
    for method in ("pearson", "spearman"):
        values, shared = matrix(columns, method)
        partition = case.get("louvain", {}).get(method)
        out[method] = {
            "values": values,
            "shared": shared,
            "network": network(
                case["symbols"], case["matrices"][method], case["threshold"], case["anchors"], partition
            ),
        }
    return out


def main():
    warnings.simplefilter("ignore")
    request = json.load(sys.stdin)
    json.dump({"cases": [answer(c) for c in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
