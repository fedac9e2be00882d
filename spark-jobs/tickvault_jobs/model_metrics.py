"""Model metrics beside the naive forecasts, and split-conformal intervals (MODELS spec, docs/models.md).

Plain loops summing left to right in time order, as the embedded engine's metrics do: the parity
test feeds one engine's predictions to the other's metric functions and expects the same numbers.
"""

from __future__ import annotations

import math

CLASSES = (0, 1, 2)  # down, sideways, up


def _mean(values: list[float]) -> float:
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def direction_hit(y: float, predicted: float) -> bool:
    """sign(ŷ) = sign(y); a zero on either side is a miss unless both are zero."""
    return (y > 0 and predicted > 0) or (y < 0 and predicted < 0) or (y == 0 and predicted == 0)


def regression_metrics(y: list[float], predicted: list[float]) -> dict:
    if not y:
        raise ValueError("regression metrics need at least one row")
    errors = [p - t for t, p in zip(y, predicted, strict=True)]
    return {
        "kind": "regression",
        "rows": len(y),
        "mae": _mean([abs(e) for e in errors]),
        "rmse": math.sqrt(_mean([e * e for e in errors])),
        "directionalAccuracy": sum(1 for t, p in zip(y, predicted, strict=True) if direction_hit(t, p)) / len(y),
    }


def skill(error: float, naive_error: float) -> float:
    """1 − error / naive error (MAE, or 1 − accuracy); 0 when both are 0, −∞ (written as null) when
    only the naive forecast is perfect."""
    if naive_error == 0:
        return 0.0 if error == 0 else -math.inf
    return 1 - error / naive_error


def trend_label(y: float, threshold: float) -> int:
    return 2 if y > threshold else 0 if y < -threshold else 1


def macro_f1(y: list[int], predicted: list[int]) -> float:
    """Mean F1 over the classes present in the truth or the predictions."""
    scores = []
    for c in CLASSES:
        tp = sum(1 for t, p in zip(y, predicted, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(y, predicted, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(y, predicted, strict=True) if t == c and p != c)
        if tp + fp + fn > 0:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return _mean(scores)


def classification_metrics(y: list[int], predicted: list[int]) -> dict:
    if not y:
        raise ValueError("classification metrics need at least one row")
    return {
        "kind": "classification",
        "rows": len(y),
        "accuracy": sum(1 for t, p in zip(y, predicted, strict=True) if t == p) / len(y),
        "macroF1": macro_f1(y, predicted),
    }


def majority_class(labels: list[int]) -> int:
    """The most frequent label; a tie goes to the lowest label."""
    counts = [labels.count(c) for c in CLASSES]
    return counts.index(max(counts))


def conformal_half_width(residuals: list[float], level: float) -> float:
    """The ⌈(n + 1)·level⌉-th smallest absolute residual (the largest when that rank passes n)."""
    if not residuals:
        raise ValueError("conformal intervals need at least one calibration residual")
    ordered = sorted(abs(r) for r in residuals)
    rank = min(math.ceil((len(ordered) + 1) * level), len(ordered))
    return ordered[rank - 1]


def coverage(y: list[float], predicted: list[float], half_width: float) -> float:
    """Share of rows with |y − ŷ| ≤ the half-width."""
    return sum(1 for t, p in zip(y, predicted, strict=True) if abs(t - p) <= half_width) / len(y)
