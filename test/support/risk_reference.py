"""The issue's risk definitions written directly in numpy/scipy: the reference tickvault's figures are held to.

Reads one JSON document on stdin and writes the answers on stdout:
  {"assessments": [{"days": [int day numbers], "closes": [float], "annualisation": int, "riskFree": float}],
   "backtests": [{"days": [...], "closes": [...], "window": int, "level": float, "method": "historical"|"parametric"}]}
Returns are simple, between consecutive days only (a gap leaves its return out). Quantiles are numpy's
linear interpolation; the normal quantile is scipy.stats.norm.ppf; p-values are scipy.stats.chi2.sf and
the Basel zone's cumulative probability scipy.stats.binom.cdf.
"""

import json
import math
import sys

import numpy as np
from scipy import stats
from scipy.special import xlogy

LEVELS = (0.95, 0.99)


def returns_of(days, closes):
    d = np.asarray(days, dtype=np.int64)
    c = np.asarray(closes, dtype=np.float64)
    consecutive = np.diff(d) == 1
    return (c[1:] / c[:-1] - 1)[consecutive]


def finite(x):
    x = float(x)
    return x if math.isfinite(x) else None


def historical_var(r, level):
    return -np.quantile(r, 1 - level, method="linear")


def parametric_var(r, level):
    return -(r.mean() + r.std(ddof=1) * stats.norm.ppf(1 - level))


def assess(case):
    return figures(returns_of(case["days"], case["closes"]), case["annualisation"], case["riskFree"])


def figures(r, a, risk_free):
    excess = r.mean() - risk_free / a
    sd = r.std(ddof=1)
    downside = math.sqrt(np.mean(np.minimum(r, 0) ** 2))
    v = np.concatenate([[1.0], np.cumprod(1 + r)])
    out = {
        "observations": int(len(r)),
        "meanReturn": finite(r.mean()),
        "volatility": finite(sd * math.sqrt(a)),
        "sharpe": finite(excess / sd * math.sqrt(a)) if sd > 0 else None,
        "sortino": finite(excess / downside * math.sqrt(a)) if downside > 0 else None,
        "maxDrawdown": finite(np.min(v / np.maximum.accumulate(v) - 1)),
        "var": {},
    }
    for level in LEVELS:
        h = historical_var(r, level)
        out["var"][str(level)] = {
            "historicalVar": finite(h),
            "historicalCvar": finite(-r[r <= -h].mean()),
            "parametricVar": finite(parametric_var(r, level)),
        }
    return out


def lr(statistic, df):
    s = max(0.0, float(statistic))
    return {"statistic": s, "degreesOfFreedom": df, "pValue": float(stats.chi2.sf(s, df))}


def backtest(case):
    r = returns_of(case["days"], case["closes"])
    w, level = case["window"], case["level"]
    var = historical_var if case["method"] == "historical" else parametric_var
    vars_ = np.array([var(r[t - w + 1 : t + 1], level) for t in range(w - 1, len(r) - 1)])
    hits = r[w:] < -vars_
    n, x, p = len(hits), int(hits.sum()), 1 - level
    pof = -2 * (xlogy(n - x, 1 - p) + xlogy(x, p) - xlogy(n - x, 1 - x / n) - xlogy(x, x / n))
    prev, cur = hits[:-1], hits[1:]
    n00, n01 = int(np.sum(~prev & ~cur)), int(np.sum(~prev & cur))
    n10, n11 = int(np.sum(prev & ~cur)), int(np.sum(prev & cur))
    pi0 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi1 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pi = (n01 + n11) / (n00 + n01 + n10 + n11)
    ind = -2 * (
        xlogy(n00 + n10, 1 - pi)
        + xlogy(n01 + n11, pi)
        - xlogy(n00, 1 - pi0)
        - xlogy(n01, pi0)
        - xlogy(n10, 1 - pi1)
        - xlogy(n11, pi1)
    )
    recent = hits[-250:]
    out = {
        "vars": vars_.tolist(),
        "exceptions": x,
        "kupiec": lr(pof, 1),
        "christoffersenIndependence": lr(ind, 1),
        "conditionalCoverage": lr(max(0.0, pof) + max(0.0, ind), 2),
        "baselCumulativeProbability": float(stats.binom.cdf(int(recent.sum()), len(recent), 0.01)),
    }
    return out


def main():
    doc = json.load(sys.stdin)
    json.dump(
        {
            "assessments": [assess(c) for c in doc.get("assessments", [])],
            "backtests": [backtest(c) for c in doc.get("backtests", [])],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
