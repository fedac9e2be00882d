"""The model layer's reference (docs/models.md), written with numpy and scikit-learn: what tickvault's
embedded engine is held to.

Reads one JSON document on stdin and writes the answers on stdout:
  {"metrics": [{"task": "regression"|"classification", "y": [...], "predicted": [...]}],
   "conformal": [{"residuals": [...], "level": float}],
   "quality": [{"task": ..., "x": [[...]], "y": [...], "seed": int,
                "folds": [{"trainEnd": int, "testStart": int, "testEnd": int, "params": {...}}]}]}
Metrics come from sklearn.metrics (directional accuracy from numpy signs); the conformal half-width
is the smallest residual r with #{r_i <= r} >= (n + 1) * level (the largest when none is); quality
fits scikit-learn's HistGradientBoostingRegressor and GradientBoostingRegressor (regression) or
RandomForestClassifier (classification) on each fold's training rows with the fold's parameters
and answers the pooled out-of-fold metrics.
"""

import json
import math
import sys

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor, HistGradientBoostingRegressor, RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error


def metrics(task, y, predicted):
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(predicted, dtype=np.float64)
    if task == "regression":
        return {
            "mae": float(mean_absolute_error(y, p)),
            "rmse": float(math.sqrt(mean_squared_error(y, p))),
            "directionalAccuracy": float(np.mean(np.sign(y) == np.sign(p))),
        }
    yi, pi = y.astype(np.int64), p.astype(np.int64)
    return {"accuracy": float(accuracy_score(yi, pi)), "macroF1": float(f1_score(yi, pi, average="macro"))}


def conformal(residuals, level):
    r = np.sort(np.asarray(residuals, dtype=np.float64))
    counts = np.arange(1, len(r) + 1)
    enough = np.nonzero(counts >= (len(r) + 1) * level)[0]
    return float(r[enough[0]] if len(enough) else r[-1])


def regressors(params, seed):
    depth, iters, step = int(params["maxDepth"]), int(params["maxIter"]), float(params["stepSize"])
    return {
        "hist": HistGradientBoostingRegressor(
            max_iter=iters, max_depth=depth, learning_rate=step, max_bins=min(255, int(params["maxBins"])),
            min_samples_leaf=1, max_leaf_nodes=None, l2_regularization=0.0, early_stopping=False, random_state=seed,
        ),
        "exact": GradientBoostingRegressor(n_estimators=iters, max_depth=depth, learning_rate=step, random_state=seed),
    }


def quality(case):
    x = np.asarray(case["x"], dtype=np.float64)
    y = np.asarray(case["y"], dtype=np.float64)
    regression = case["task"] == "regression"
    predictions = {}
    truth = []
    for fold in case["folds"]:
        train, test = slice(0, fold["trainEnd"]), slice(fold["testStart"], fold["testEnd"])
        params = fold["params"]
        if regression:
            models = regressors(params, case["seed"])
        else:
            models = {
                "forest": RandomForestClassifier(
                    n_estimators=int(params["numTrees"]), max_depth=int(params["maxDepth"]), criterion="gini",
                    max_features=math.ceil(math.sqrt(x.shape[1])), bootstrap=True, random_state=case["seed"],
                )
            }
        for name, model in models.items():
            model.fit(x[train], y[train] if regression else y[train].astype(np.int64))
            predictions.setdefault(name, []).extend(model.predict(x[test]).tolist())
        truth.extend(y[test].tolist())
    return {name: metrics(case["task"], truth, p) for name, p in predictions.items()}


def main():
    request = json.load(sys.stdin)
    json.dump(
        {
            "metrics": [metrics(c["task"], c["y"], c["predicted"]) for c in request.get("metrics", [])],
            "conformal": [conformal(c["residuals"], c["level"]) for c in request.get("conformal", [])],
            "quality": [quality(c) for c in request.get("quality", [])],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
