"""The autocorrelation estimator statsmodels' acf(x, adjusted=False) computes, written in numpy.

stdin: {"series": [[float, ...], ...], "maxLag": int}; stdout: {"acf": [[value or null per lag 1..maxLag], ...]}.
rho_k = sum_{t<n-k} (x_t - mean)(x_{t+k} - mean) / sum_t (x_t - mean)^2, via numpy.correlate of the
demeaned series with itself (full mode): a different summation than tickvault's loop.
"""

import json
import sys

import numpy as np

request = json.load(sys.stdin)
out = []
for xs in request["series"]:
    x = np.asarray(xs, dtype=np.float64)
    d = x - x.mean() if len(x) else x
    full = np.correlate(d, d, mode="full")[len(x) - 1 :] if len(x) else np.array([])
    denominator = full[0] if len(full) else 0.0
    out.append(
        [
            None if lag >= len(x) or denominator == 0 else float(full[lag] / denominator)
            for lag in range(1, request["maxLag"] + 1)
        ]
    )
json.dump({"acf": out}, sys.stdout)
