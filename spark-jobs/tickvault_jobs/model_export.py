"""MLlib tree ensembles → the shared tree JSON, its predictor, and the model hash.

The embedded predictor serves Spark-trained models from this JSON, so it must say exactly what
MLlib's transform computes (tests/test_models.py holds them equal row for row):

    node = {"feature": i, "threshold": t, "left": node, "right": node}   (left when x[i] <= t)
         | {"value": v}              (regression)
         | {"value": [p0, p1, p2]}   (classification: the leaf's class distribution)
    GBT: {"type": "gbt", "init": 0, "stepSize": s, "trees": [{"weight": w, "root": node}]}
         ŷ = init + Σ weight·tree(x); Spark's weights are 1 for the first tree, then stepSize.
    RF:  {"type": "random-forest", "classes": 3, "trees": [node]}
         probabilities = mean of the leaves' distributions, label = argmax.

modelHash = SHA-256 of the model's canonical JSON, byte for byte the TypeScript canonicalJson
(src/domain/events/canonical.ts): sorted keys, no white space, numbers as JavaScript prints them.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from decimal import Decimal
from typing import Any


class UnsupportedTreeError(ValueError):
    pass


def _node(java_node: Any, classification: bool) -> dict:
    if java_node.subtreeDepth() == 0:
        if classification:
            stats = list(java_node.impurityStats().stats())
            total = sum(stats)
            return {"value": [s / total for s in stats]}
        return {"value": java_node.prediction()}
    split = java_node.split()
    if split.getClass().getSimpleName() != "ContinuousSplit":
        raise UnsupportedTreeError("categorical splits have no place in the tree JSON: give continuous features only")
    return {
        "feature": split.featureIndex(),
        "threshold": split.threshold(),
        "left": _node(java_node.leftChild(), classification),
        "right": _node(java_node.rightChild(), classification),
    }


def tree_json(tree_model: Any, classification: bool) -> dict:
    """One fitted MLlib decision tree (a pyspark model of `.trees`) as a JSON node."""
    return _node(tree_model._call_java("rootNode"), classification)


def gbt_json(model: Any, step_size: float) -> dict:
    weights = [float(w) for w in model.treeWeights]
    return {
        "type": "gbt",
        "init": 0,
        "stepSize": step_size,
        "trees": [{"weight": w, "root": tree_json(t, False)} for w, t in zip(weights, model.trees, strict=True)],
    }


def forest_json(model: Any) -> dict:
    return {"type": "random-forest", "classes": model.numClasses, "trees": [tree_json(t, True) for t in model.trees]}


def leaf(node: dict, x: list[float]) -> Any:
    while "value" not in node:
        node = node["left"] if x[node["feature"]] <= node["threshold"] else node["right"]
    return node["value"]


def predict_gbt(model: dict, x: list[float]) -> float:
    total = model["init"]
    for tree in model["trees"]:
        total += tree["weight"] * leaf(tree["root"], x)
    return total


def predict_forest(model: dict, x: list[float]) -> tuple[int, list[float]]:
    sums = [0.0] * model["classes"]
    for tree in model["trees"]:
        for c, p in enumerate(leaf(tree, x)):
            sums[c] += p
    probabilities = [s / len(model["trees"]) for s in sums]
    return probabilities.index(max(probabilities)), probabilities


def js_number(x: float | int) -> str:
    """String(x) in JavaScript: the shortest round-trip digits, in JS's notation (ECMA-262 Number::toString)."""
    if isinstance(x, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(x, int):
        x = float(x) if abs(x) > 2**53 else x
        if isinstance(x, int):
            return str(x)
    x = float(x)  # numpy's floats print as np.float64(…)
    if not math.isfinite(x):
        return "null"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr is the shortest round-trip form; as digits × 10^exponent, without trailing zeros
    _, digit_tuple, exponent = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = exponent + k  # value = 0.digits × 10^n (ECMA's n)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


def canonical_json(value: Any) -> str:
    """The TypeScript canonicalJson: sorted keys, no white space, JS numbers, None as null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | numbers.Real):
        return js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_json(value[k]) for k in sorted(value))
            + "}"
        )
    raise TypeError(f"{type(value).__name__} has no canonical JSON")


def model_hash(model: dict) -> str:
    return hashlib.sha256(canonical_json(model).encode("utf-8")).hexdigest()
