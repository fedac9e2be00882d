"""Spark's optimiser (estimates aggregated by Spark, the program solved on the driver by qp.py) against
PyPortfolioOpt's EfficientFrontier(mu, S, weight_bounds), as the embedded engine is
(test/support/portfolio_reference.py): mu, S and the Ledoit-Wolf intensity within 1e-9 relative, the weights
within 1e-4 for every objective and the frontier's interior points, on coins of the shared daily OHLCV data
in a bull, a bear (max_sharpe falls back, flagged) and a quiet year. The QP solver itself against cvxpy
(PyPortfolioOpt's own solver) on generated programs. Missing shared data skips the shared-data case, except
under CI=true, where it fails."""

from __future__ import annotations

from datetime import date

import cvxpy as cp
import numpy as np
import pytest
from risk_reference_support import close_relative, load_reference
from test_portfolio_risk import _candles
from test_risk_shared_data import _coins

from tickvault_jobs.portfolio_optimiser import (
    Problem,
    aligned_returns,
    estimates,
    frontier,
    max_return,
    min_volatility,
    moments,
    optimise,
    performance,
)
from tickvault_jobs.qp import Infeasible, solve_qp

D = 86_400_000
WEIGHT_TOLERANCE = 1e-4
COINS = ["BTC-USD", "DOGE-USD", "ETH-USD", "LTC-USD", "XLM-USD", "XMR-USD", "XRP-USD"]


def _matrix(coins, symbols, first_day, last_day):
    """The reference's aligned returns: each symbol's returns between consecutive days in (first, last], on
    the days every symbol has one (as portfolio_reference.portfolio reads them)."""
    by_symbol = []
    for s in symbols:
        d, c = np.asarray(coins[s][0]), np.asarray(coins[s][1])
        keep = (d >= first_day) & (d <= last_day)
        d, c = d[keep], c[keep]
        step = np.diff(d) == 1
        by_symbol.append(dict(zip(d[1:][step].tolist(), (c[1:] / c[:-1] - 1)[step].tolist(), strict=True)))
    days = sorted(set.intersection(*(set(m) for m in by_symbol)))
    return days, np.array([[m[t] for m in by_symbol] for t in days])


def _cases(p):
    """Every objective, with targets halfway along the frontier, and the frontier's interior points."""
    low = performance(min_volatility(p), p)
    top = optimise(p, "efficient_return", max_return(p)[0])
    cases = [
        ("min_volatility", None),
        ("max_sharpe", None),
        ("efficient_return", (low["expected_return"] + top["expected_return"]) / 2),
        ("efficient_risk", (low["volatility"] + top["volatility"]) / 2),
    ]
    return cases + [("efficient_return", pt["target_return"]) for pt in frontier(p, 6)[1:-1]]


def test_spark_optimiser_equals_pypfopt_on_the_shared_daily_data(spark):
    ref = load_reference("portfolio_reference.py")
    coins = _coins()
    candles = _candles(spark, {s: coins[s] for s in COINS}).cache()
    problems, fallbacks = [], 0
    for day in ("2021-06-30", "2018-12-31", "2019-09-30"):
        as_of = date.fromisoformat(day).toordinal() - date(1970, 1, 1).toordinal()
        for n, window in ((7, 365), (4, 180), (3, 90)):
            symbols = COINS[:n]
            # Cached: read three times (here, and by moments' two aggregations).
            wide = aligned_returns(candles, symbols, window, as_of * D).cache()
            got = sorted((r.bucket_start // D, [r[f"r{i}"] for i in range(n)]) for r in wide.collect())
            days, rows = _matrix(coins, symbols, as_of - window, as_of)
            assert [d for d, _ in got] == days, f"{day} {n} coins: the aligned days differ"
            assert all(
                close_relative(g, w) for (_, gs), ws in zip(got, rows, strict=True) for g, w in zip(gs, ws, strict=True)
            )
            m = moments(wide, n, fourth=True)
            wide.unpersist()
            unbounded = np.array([[0.0, 1.0]] * n)
            bounded = np.array([[0.05 if i == 0 else 0.0, min(1.0, 2 / n)] for i in range(n)])
            for covariance, bounds in (("sample", unbounded), ("ledoit-wolf", unbounded), ("sample", bounded)):
                est = estimates(m, covariance)
                p = Problem(est.mu, est.S, bounds)
                label = f"{day} {n} coins {window}d {covariance} {bounds[:, 1].tolist()}"
                for objective, target in _cases(p):
                    want = ref.optimisation(
                        {
                            "returns": rows.tolist(),
                            "covariance": covariance,
                            "bounds": bounds.tolist(),
                            "objective": objective,
                            "target": target,
                            "riskFree": 0.0,
                        }
                    )
                    problems += [
                        f"{label} mu" for g, w in zip(est.mu, want["mu"], strict=True) if not close_relative(g, w)
                    ]
                    problems += [
                        f"{label} S"
                        for g, w in zip(est.S.ravel(), np.asarray(want["S"]).ravel(), strict=True)
                        if not close_relative(g, w)
                    ]
                    if covariance == "ledoit-wolf" and not close_relative(est.shrinkage, want["shrinkage"]):
                        problems.append(f"{label} shrinkage {est.shrinkage} vs {want['shrinkage']}")
                    answer = optimise(p, objective, target)
                    if "weights" not in want:
                        # PyPortfolioOpt refuses max_sharpe when no expected return exceeds rf: min_volatility, flagged.
                        if not (
                            objective == "max_sharpe" and answer["solved"] == "min_volatility" and answer["fallback"]
                        ):
                            problems.append(f"{label} {objective}: reference refused ({want['error']}), spark {answer}")
                        fallbacks += 1
                        continue
                    if answer["fallback"] is not None:
                        problems.append(f"{label} {objective}: spark fell back, the reference solved it")
                    diff = np.abs(answer["weights"] - np.asarray(want["weights"])).max()
                    if diff > WEIGHT_TOLERANCE:
                        problems.append(
                            f"{label} {objective} {target}: weights {answer['weights']} vs {want['weights']}"
                        )
    assert problems == []
    # 2018 is a bear year: every expected return is below 0 there, so max_sharpe must have fallen back.
    assert fallbacks >= 3


def test_the_fallback_names_why_and_answers_min_volatility():
    p = Problem(np.array([-0.2, -0.1]), np.array([[0.04, 0.01], [0.01, 0.09]]), np.array([[0.0, 1.0]] * 2))
    answer = optimise(p, "max_sharpe")
    assert answer["solved"] == "min_volatility"
    assert "every expected return is at or below the risk-free rate" in answer["fallback"]["reason"]
    assert np.allclose(answer["weights"], min_volatility(p))


def _cvxpy(G, a, C, b, meq):
    x = cp.Variable(len(a))
    constraints = ([C[:meq] @ x == b[:meq]] if meq else []) + [C[meq:] @ x >= b[meq:]]
    cp.Problem(cp.Minimize(0.5 * cp.quad_form(x, cp.psd_wrap(G)) + a @ x), constraints).solve(
        solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12
    )
    return x.value


def test_qp_solver_equals_cvxpy_on_generated_programs():
    rng = np.random.default_rng(19)
    worst = 0.0
    for _ in range(200):
        n = int(rng.integers(1, 9))
        f = rng.normal(size=(n + 3, n))
        G = f.T @ f + 1e-3 * np.eye(n)
        a = rng.normal(size=n)
        # A simplex with random boxes (feasible: the bounds hold 1/n), one random equality, random cuts.
        lo = rng.uniform(0, 1 / n, size=n) * (rng.random(n) < 0.5)
        hi = np.maximum(lo, rng.uniform(1 / n, 1, size=n))
        x0 = np.full(n, 1 / n)
        cuts = rng.normal(size=(int(rng.integers(0, 4)), n))
        C = np.vstack([np.ones(n), np.eye(n), -np.eye(n), cuts])
        b = np.concatenate([[1.0], lo, -hi, cuts @ x0 - rng.uniform(0, 0.5, size=len(cuts))])
        x = solve_qp(G, a, C, b, 1)
        want = _cvxpy(G, a, C, b, 1)
        assert np.all(C[1:] @ x - b[1:] >= -1e-10) and abs(x.sum() - 1) < 1e-12
        worst = max(worst, float(np.abs(x - want).max()))
    assert worst < 1e-6


def test_qp_solver_reports_an_infeasible_program():
    # x1 + x2 = 1 with x1 <= 0 and x2 <= 0 has no point.
    with pytest.raises(Infeasible):
        solve_qp(np.eye(2), np.zeros(2), np.array([[1.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]), np.array([1.0, 0.0, 0.0]), 1)
