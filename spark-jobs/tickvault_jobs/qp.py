"""A small strictly convex quadratic program solver for the optimiser's driver side:

    minimise ½ xᵀGx + aᵀx   subject to   C[:meq] x = b[:meq],   C[meq:] x ≥ b[meq:]

Goldfarb and Idnani's dual active-set method (1983), the method of the `quadprog` package the embedded
engine's optimiser uses (src/adapters/optimiser/quadprogSolver.ts): it starts from the unconstrained
minimum, adds the most violated constraint and drops whichever active one would turn its multiplier
negative, so it needs no feasible starting point and ends at the exact active set of the optimum.

Written here rather than taken from a package because the Spark jobs' runtime environment holds numpy,
pandas and pyarrow only (spark-jobs/pyproject.toml's dependencies; scipy and PyPortfolioOpt are test-only
`[dev]` dependencies), and a portfolio's program has a few dozen variables at most: dense numpy linear
algebra, recomputed at each step, is plenty, and keeps the method short enough to read against the paper.
"""

from __future__ import annotations

import numpy as np


class Infeasible(ValueError):
    """No x satisfies the constraints."""


def solve_qp(G: np.ndarray, a: np.ndarray, C: np.ndarray, b: np.ndarray, meq: int = 0) -> np.ndarray:
    """The minimiser x, or Infeasible. G must be symmetric positive definite."""
    G, a = np.asarray(G, dtype=float), np.asarray(a, dtype=float)
    C, b = np.asarray(C, dtype=float).reshape(-1, len(a)), np.asarray(b, dtype=float)
    g_inv = np.linalg.inv(G)
    x = -g_inv @ a
    active: list[int] = []  # constraint indices, in the order they were added
    normals: list[np.ndarray] = []  # their normals (an equality's possibly flipped, so that it reads ≥)
    u = np.zeros(0)  # their multipliers
    scale = np.abs(C).sum(axis=1)
    for _ in range(50 * (len(b) + len(a) + 1)):
        # Step 1: the equalities first, then the most violated inequality; none violated: optimal.
        missing = [i for i in range(meq) if i not in active]
        if missing:
            p = missing[0]
        else:
            slack = C[meq:] @ x - b[meq:]
            tol = 1e-12 * np.maximum(1.0, np.abs(b[meq:]) + scale[meq:] * np.abs(x).max(initial=0.0))
            worst = slack / tol
            if len(worst) == 0 or worst.min() >= -1.0:
                return x
            p = meq + int(np.argmin(worst))
        n_p, b_p = C[p], b[p]
        if p < meq and n_p @ x - b_p > 0:
            n_p, b_p = -n_p, -b_p
        u_plus = np.append(u, 0.0)
        while True:
            # Step 2: the primal step direction z (in the null space of the active normals) and the dual r.
            if active:
                N = np.column_stack(normals)
                n_star = np.linalg.solve(N.T @ g_inv @ N, N.T @ g_inv)
                z = (g_inv - g_inv @ N @ n_star) @ n_p
                r = n_star @ n_p
            else:
                z, r = g_inv @ n_p, np.zeros(0)
            # The partial step: the largest that keeps every active inequality's multiplier ≥ 0.
            t1, k = np.inf, -1
            for j, idx in enumerate(active):
                if idx >= meq and r[j] > 0:
                    ratio = u_plus[j] / r[j]
                    if ratio < t1:
                        t1, k = ratio, j
            # The full step: the one that satisfies constraint p. z ≈ 0: n_p depends on the active normals.
            zn = float(z @ n_p)
            t2 = np.inf if zn <= 1e-13 * float(n_p @ g_inv @ n_p) else -(n_p @ x - b_p) / zn
            t = min(t1, t2)
            if t == np.inf:
                raise Infeasible(f"constraint {p} cannot be met together with the active ones {active}")
            u_plus[:-1] -= t * r
            u_plus[-1] += t
            if t2 < np.inf:
                x = x + t * z
            if t2 <= t1:  # Full step: p joins the active set.
                active.append(p)
                normals.append(n_p)
                u = u_plus
                break
            # Partial (or dual only) step: constraint k leaves the active set; try p again.
            del active[k], normals[k]
            u_plus = np.delete(u_plus, k)
    raise ArithmeticError("the active-set iteration did not settle (cycling on a degenerate program)")
