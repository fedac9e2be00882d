"""The portfolio definitions written directly in numpy, and the optimiser's answers from PyPortfolioOpt.

Reads one JSON document on stdin and writes the answers on stdout:
  {"portfolios": [{"series": [{"days": [int], "closes": [float]}], "weights": [float], "from": int, "to": int,
                   "riskFree": float}],
   "optimisations": [{"returns": [[float]] (days x assets), "covariance": "sample"|"ledoit-wolf",
                      "bounds": [[lo, hi]], "objective": str, "target": float|null, "riskFree": float}]}
A portfolio's returns: each symbol's simple returns between consecutive days (day numbers in [from, to]),
the days every symbol has one, r_p = returns @ weights (constant weights, rebalanced daily); its figures
are risk_reference.figures of r_p. An optimisation: mu = mean * 365, S = np.cov(ddof=1) * 365 or
PyPortfolioOpt's CovarianceShrinkage(...).ledoit_wolf(), and EfficientFrontier(mu, S, weight_bounds)'s
weights for the objective (or why it has none: its ValueError, or the solver's infeasibility).
"""

import json
import os
import sys

import numpy as np
import pandas as pd
from pypfopt import EfficientFrontier
from pypfopt.exceptions import OptimizationError
from pypfopt.risk_models import CovarianceShrinkage

sys.path.insert(0, os.path.dirname(__file__))
from risk_reference import figures


def portfolio(case):
    by_symbol = []
    for s in case["series"]:
        d = np.asarray(s["days"], dtype=np.int64)
        c = np.asarray(s["closes"], dtype=np.float64)
        keep = (d >= case["from"]) & (d <= case["to"])
        d, c = d[keep], c[keep]
        consecutive = np.diff(d) == 1
        by_symbol.append(dict(zip(d[1:][consecutive].tolist(), (c[1:] / c[:-1] - 1)[consecutive].tolist())))
    days = sorted(set.intersection(*(set(m) for m in by_symbol)))
    returns = np.array([[m[day] for m in by_symbol] for day in days]).reshape(len(days), len(by_symbol))
    r = returns @ np.asarray(case["weights"], dtype=np.float64)
    return {"days": days, "returns": r.tolist(), "figures": figures(r, 365, case["riskFree"])}


def optimisation(case):
    returns = np.asarray(case["returns"], dtype=np.float64)
    mu = returns.mean(axis=0) * 365
    if case["covariance"] == "ledoit-wolf":
        shrinkage = CovarianceShrinkage(pd.DataFrame(returns), returns_data=True, frequency=365)
        S = np.asarray(shrinkage.ledoit_wolf())
        delta = float(shrinkage.delta)
    else:
        S = np.cov(returns, rowvar=False, ddof=1) * 365
        delta = None
    ef = EfficientFrontier(mu, S, weight_bounds=[tuple(b) for b in case["bounds"]])
    out = {"mu": mu.tolist(), "S": np.atleast_2d(S).tolist(), "shrinkage": delta}
    try:
        objective = case["objective"]
        if objective == "min_volatility":
            ef.min_volatility()
        elif objective == "max_sharpe":
            ef.max_sharpe(risk_free_rate=case["riskFree"])
        elif objective == "efficient_return":
            ef.efficient_return(case["target"])
        else:
            ef.efficient_risk(case["target"])
        out["weights"] = np.asarray(ef.weights, dtype=np.float64).tolist()
    except (ValueError, OptimizationError) as e:
        out["error"] = str(e)
    return out


def main():
    doc = json.load(sys.stdin)
    json.dump(
        {
            "portfolios": [portfolio(c) for c in doc.get("portfolios", [])],
            "optimisations": [optimisation(c) for c in doc.get("optimisations", [])],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
