"""Mean-variance optimisation on Spark, the twin of the embedded engine's src/domain/portfolio/optimiser.ts
and estimates.ts (docs/risk.md, "Optimisation"), with its definitions:

    returns   simple daily returns of the days every symbol has one, in the window ending at as_of
    mu        mean(r) * 365
    S         sample covariance (ddof 1) * 365, or Ledoit-Wolf: ((1 - delta) C + delta tr(C)/n I) * 365,
              C the covariance with ddof 0, delta as sklearn's ledoit_wolf (constant-variance target)
    objectives  min_volatility, max_sharpe (min_volatility, flagged, when no expected return exceeds rf),
              efficient_return, efficient_risk, and the frontier; long-only, sum w = 1, per-asset bounds.

The inputs are aggregates over the batch views' candles, computed by Spark (one pass over the aligned
returns, one column per symbol); the program itself has one variable per asset and is solved on the
driver by qp.py, as the embedded engine solves it with quadprog.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from tickvault_jobs.qp import Infeasible, solve_qp
from tickvault_jobs.risk import in_window, simple_returns

ANNUAL_DAYS = 365
# Below the highest return by this much (relative), a target counts as the highest (optimiser.ts says why).
TOP_TOLERANCE = 1e-10
BISECTION_STEPS = 200


class OptimisationError(ValueError):
    """The request cannot be met with these data (a target out of reach, a singular covariance)."""


def aligned_returns(candles: DataFrame, symbols: list[str], window: int, as_of: int) -> DataFrame:
    """One row per day in the window ending at `as_of` (epoch ms) on which every symbol has a daily return:
    `bucket_start` and one column per symbol (its simple return), in `symbols`' order."""
    returns = in_window(simple_returns(candles.where(F.col("interval") == "1d")), window, as_of).where(
        F.col("symbol").isin(symbols)
    )
    return (
        returns.groupBy("bucket_start")
        .pivot("symbol", symbols)
        .agg(F.first("ret"))
        .dropna()
        .select("bucket_start", *[F.col(f"`{s}`").alias(f"r{i}") for i, s in enumerate(symbols)])
    )


@dataclass(frozen=True)
class Moments:
    """Aggregates of aligned_returns' columns: the day count, the column means, the centred cross products
    X'X and, when asked for, the cross products of the centred squares (X^2)'(X^2) (Ledoit-Wolf's)."""

    days: int
    means: np.ndarray
    scatter: np.ndarray
    fourth: np.ndarray | None

    def daily_covariance(self) -> np.ndarray:
        """The sample covariance (ddof 1), not annualised: what a stress test conditions on."""
        return self.scatter / (self.days - 1)


def moments(wide: DataFrame, n: int, fourth: bool = False) -> Moments:
    """Computed by Spark: the means first, then every centred cross product in one aggregation."""
    cols = [f"r{i}" for i in range(n)]
    first = wide.agg(F.count("*").alias("days"), *[F.avg(c).alias(c) for c in cols]).first()
    days = int(first["days"])
    if days < 2:
        raise OptimisationError(f"the window holds {days} days with a return of every symbol; estimates need 2")
    means = np.array([first[c] for c in cols])
    centred = wide.select(*[(F.col(c) - F.lit(float(m))).alias(c) for c, m in zip(cols, means, strict=True)])
    pairs = [(i, j) for i in range(n) for j in range(i, n)]
    sums = [F.sum(F.col(cols[i]) * F.col(cols[j])).alias(f"x{i}_{j}") for i, j in pairs]
    if fourth:
        sums += [F.sum((F.col(cols[i]) ** 2) * (F.col(cols[j]) ** 2)).alias(f"q{i}_{j}") for i, j in pairs]
    row = centred.agg(*sums).first()

    def symmetric(prefix: str) -> np.ndarray:
        m = np.zeros((n, n))
        for i, j in pairs:
            m[i, j] = m[j, i] = row[f"{prefix}{i}_{j}"]
        return m

    return Moments(days, means, symmetric("x"), symmetric("q") if fourth else None)


@dataclass(frozen=True)
class Estimates:
    mu: np.ndarray
    S: np.ndarray
    # The Ledoit-Wolf intensity delta, None for the sample covariance.
    shrinkage: float | None


def estimates(m: Moments, covariance: str = "sample") -> Estimates:
    """mu and S (annual) from the moments; Ledoit-Wolf needs moments(..., fourth=True)."""
    mu = m.means * ANNUAL_DAYS
    if covariance == "sample":
        return Estimates(mu, m.daily_covariance() * ANNUAL_DAYS, None)
    if covariance != "ledoit-wolf":
        raise ValueError(f"covariance: expected sample or ledoit-wolf, got {covariance!r}")
    n = len(m.means)
    c = m.scatter / m.days
    target = np.trace(c) / n
    frobenius = float((c**2).sum())
    delta_bar = (frobenius - 2 * target * np.trace(c) + n * target**2) / n
    beta = min((m.fourth.sum() / m.days - frobenius) / (m.days * n), delta_bar)
    # One asset has nothing to shrink towards (sklearn answers 0 too).
    delta = 0.0 if n == 1 or beta == 0 else beta / delta_bar
    return Estimates(mu, ((1 - delta) * c + delta * target * np.eye(n)) * ANNUAL_DAYS, delta)


@dataclass(frozen=True)
class Problem:
    mu: np.ndarray
    S: np.ndarray
    bounds: np.ndarray  # one [lower, upper] row per asset
    risk_free: float = 0.0


def performance(w: np.ndarray, p: Problem) -> dict:
    expected = float(w @ p.mu)
    vol = float(np.sqrt(max(0.0, w @ p.S @ w)))
    return {
        "expected_return": expected,
        "volatility": vol,
        "sharpe": (expected - p.risk_free) / vol if vol > 0 else None,
    }


def _box(bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(bounds)
    return np.vstack([np.eye(n), -np.eye(n)]), np.concatenate([bounds[:, 0], -bounds[:, 1]])


def _solve(p: Problem, C: np.ndarray, b: np.ndarray, meq: int, what: str) -> np.ndarray:
    try:
        return solve_qp(2 * p.S, np.zeros(len(p.mu)), C, b, meq)
    except (Infeasible, np.linalg.LinAlgError) as e:
        raise OptimisationError(
            f"{what}: the quadratic program has no solution ({e}); a singular covariance "
            "(fewer days than assets, or assets that move as one) needs covariance=ledoit-wolf"
        ) from e


def min_volatility(p: Problem) -> np.ndarray:
    box_c, box_b = _box(p.bounds)
    return _solve(p, np.vstack([np.ones(len(p.mu)), box_c]), np.concatenate([[1.0], box_b]), 1, "min_volatility")


def max_return(p: Problem) -> tuple[float, np.ndarray]:
    """The highest mu'w within the bounds: the lower bounds, then what is left to the best assets first."""
    w = p.bounds[:, 0].copy()
    left = 1 - w.sum()
    for i in sorted(range(len(p.mu)), key=lambda i: -p.mu[i]):
        add = min(left, p.bounds[i, 1] - w[i])
        w[i] += add
        left -= add
    return float(w @ p.mu), w


def efficient_return(p: Problem, target: float) -> np.ndarray:
    top, top_w = max_return(p)
    slack = TOP_TOLERANCE * max(1.0, abs(top))
    if target > top + slack:
        raise OptimisationError(
            f"efficient_return: target {target} is above the highest return the bounds allow, {top}"
        )
    box_c, box_b = _box(p.bounds)
    C = np.vstack([np.ones(len(p.mu)), p.mu, box_c])
    b = np.concatenate([[1.0, min(target, top - slack)], box_b])
    if target < top - slack:
        return _solve(p, C, b, 1, "efficient_return")
    # At the top: the least-variance portfolio of the highest return, or the greedy one.
    try:
        return solve_qp(2 * p.S, np.zeros(len(p.mu)), C, b, 1)
    except Infeasible:
        return top_w


def max_sharpe(p: Problem) -> tuple[np.ndarray | None, str | None]:
    """Weights of max Sharpe by y = w/k: min y'Sy, (mu - rf)'y = 1, lo sum(y) <= y <= hi sum(y); or why none."""
    best = float(p.mu.max())
    if not best > p.risk_free:
        return None, (
            f"every expected return is at or below the risk-free rate {p.risk_free} (the highest is {best}): "
            "no portfolio has a positive Sharpe ratio, so none maximises it"
        )
    n = len(p.mu)
    eye, ones = np.eye(n), np.ones(n)
    lower = eye - p.bounds[:, [0]] * ones
    upper = p.bounds[:, [1]] * ones - eye
    C = np.vstack([p.mu - p.risk_free, lower, upper, ones])
    try:
        y = solve_qp(2 * p.S, np.zeros(n), C, np.concatenate([[1.0], np.zeros(2 * n + 1)]), 1)
    except Infeasible as e:
        return (
            None,
            f"no portfolio within the bounds has an expected return above the risk-free rate {p.risk_free} ({e})",
        )
    return y / y.sum(), None


def efficient_risk(p: Problem, target_volatility: float) -> np.ndarray:
    """max mu'w with volatility <= target: efficient_return at the return whose volatility is the target,
    found by bisection (the frontier's volatility rises with its return)."""

    def vol(w):
        return float(np.sqrt(max(0.0, w @ p.S @ w)))

    minimum = min_volatility(p)
    if vol(minimum) > target_volatility:
        raise OptimisationError(
            f"efficient_risk: target {target_volatility} is below the minimum volatility within the bounds, "
            f"{vol(minimum)}"
        )
    lo, hi = float(minimum @ p.mu), max_return(p)[0]
    highest = efficient_return(p, hi)
    if vol(highest) <= target_volatility:
        return highest
    best = minimum
    for _ in range(BISECTION_STEPS):
        if hi - lo <= 1e-15 * max(1.0, abs(hi)):
            break
        mid = (lo + hi) / 2
        w = efficient_return(p, mid)
        if vol(w) <= target_volatility:
            lo, best = mid, w
        else:
            hi = mid
    return best


def optimise(p: Problem, objective: str, target: float | None = None) -> dict:
    """{objective, solved, fallback, weights, performance}: max_sharpe without a solution answers
    min_volatility with `fallback.reason`, never an error."""

    def answer(solved, w, fallback=None):
        return {"objective": objective, "solved": solved, "fallback": fallback, "weights": w, **performance(w, p)}

    if objective == "min_volatility":
        return answer(objective, min_volatility(p))
    if objective == "efficient_return":
        return answer(objective, efficient_return(p, target))
    if objective == "efficient_risk":
        return answer(objective, efficient_risk(p, target))
    if objective == "max_sharpe":
        w, reason = max_sharpe(p)
        if w is not None:
            return answer(objective, w)
        return answer(
            "min_volatility", min_volatility(p), {"reason": f"{reason}; answered with min_volatility instead"}
        )
    raise ValueError(
        f"objective: expected min_volatility, max_sharpe, efficient_return or efficient_risk, got {objective!r}"
    )


def frontier(p: Problem, points: int = 20) -> list[dict]:
    """`points` efficient_return portfolios from the minimum-volatility return to the highest (both ends)."""
    minimum = min_volatility(p)
    start, end = float(minimum @ p.mu), max_return(p)[0]
    out = []
    for k in range(points):
        target = start if points == 1 else start + (end - start) * k / (points - 1)
        w = minimum if k == 0 else efficient_return(p, target)
        out.append({"target_return": target, "weights": w, **performance(w, p)})
    return out
