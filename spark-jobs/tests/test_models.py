"""Model training on MLlib (models.py): the embargo, tuning that never sees a test row, the same
model hash from the same rows and seed, trees exported as MLlib predicts them, and the metrics
against numpy. Kept small (a few hundred rows, one or two grid points): the suite shares 2 cores."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from pyspark.ml.classification import RandomForestClassifier
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import GBTRegressor

from tickvault_jobs import model_metrics as M
from tickvault_jobs import models
from tickvault_jobs.features import FEATURE_COLUMNS
from tickvault_jobs.model_export import canonical_json, forest_json, gbt_json, js_number, predict_forest, predict_gbt
from tickvault_jobs.walk_forward import WalkForwardError, inner_split, plan_folds

H = 3_600_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00Z
FEATURES = ["logReturn1", "rsi14", "macd"]


def random_times(rng: random.Random, n: int, gap: float) -> list[int]:
    """n bar starts, one hour apart but for missing bars (gaps of one to a few bars)."""
    times, t = [], T0
    while len(times) < n:
        times.append(t)
        t += H * (1 + (rng.randint(1, 4) if rng.random() < gap else 0))
    return times


def feature_rows(seed: int, n: int = 240) -> list[dict]:
    """A symbol's rows whose next return leans on log_return_1, with gaps and a few null features."""
    rng = random.Random(seed)
    rows, close = [], 100.0
    for t in random_times(rng, n, gap=0.05):
        a = rng.gauss(0, 1)
        macd = rng.gauss(0, 1) if rng.random() > 0.03 else None
        rows.append({"symbol": "ETH-USDT", "interval": "1h", "bucket_start": t, "close": close,
                     "log_return_1": a, "rsi_14": rng.uniform(0, 100), "macd": macd})  # fmt: skip
        close *= 1 + 0.002 * a + 0.001 * rng.gauss(0, 1)
    return rows


# ---- walk-forward folds -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_no_training_or_tuning_row_is_closer_than_the_horizon_to_the_rows_it_is_scored_on(seed):
    rng = random.Random(seed)
    times = random_times(rng, rng.randint(60, 400), gap=rng.choice([0, 0.1, 0.4]))
    h, k, fraction = rng.choice([1, 3, 24]), rng.randint(2, 6), rng.choice([0.3, 0.5, 0.7])
    embargo = (h + 1) * H
    try:
        plan = plan_folds(times, k, fraction, embargo)
    except WalkForwardError:
        return  # too few rows for this draw: the error says so (tested below)
    assert plan[0].test_start == int(len(times) * fraction) and plan[-1].test_end == len(times)
    for before, after in zip(plan, plan[1:], strict=False):
        assert before.test_end == after.test_start  # contiguous blocks
    for train_end, first_scored in [(f.train_end, f.test_start) for f in plan] + [(len(times), None)]:
        if first_scored is not None:
            assert all(times[r] + embargo <= times[first_scored] for r in range(train_end))
            # expanding: every allowed row before the block trains
            assert train_end == first_scored or times[train_end] + embargo > times[first_scored]
        try:
            inner = inner_split(times, train_end, embargo)
        except WalkForwardError:
            continue
        assert inner.validation_end == train_end and inner.validation_start == int(0.8 * train_end)
        assert all(times[r] + embargo <= times[inner.validation_start] for r in range(inner.inner_train_end))
        assert (
            inner.inner_train_end == inner.validation_start
            or times[inner.inner_train_end] + embargo > times[inner.validation_start]
        )


def test_too_few_rows_for_the_folds_is_a_clear_error():
    with pytest.raises(WalkForwardError, match="fewer than one test row for each of 5 folds"):
        plan_folds([T0 + i * H for i in range(6)], 5, 0.5, 2 * H)
    with pytest.raises(WalkForwardError, match="sorted by time"):
        plan_folds([T0 + H, T0], 2, 0.5, 2 * H)
    with pytest.raises(WalkForwardError, match="3 training rows leave 1 to fit and 1 to validate"):
        inner_split([T0 + i * H for i in range(3)], 3, 2 * H)


def test_the_fold_column_is_the_plan_row_for_row(spark):
    rows = feature_rows(5)
    spec = models.parse_spec(spec_of("return-regression", "gbt", {"maxIter": [2]}, folds=4))
    data = models.usable(models.with_target(spark.createDataFrame(rows, models.ROW_SCHEMA), spec), spec)
    times = [r.bucket_start for r in data.orderBy("row_index").collect()]
    plan = plan_folds(times, 4, 0.5, 2 * H)
    got = [r.fold for r in models.with_folds(data, plan).orderBy("row_index").collect()]
    expected = [next((f.number for f in plan if f.test_start <= i < f.test_end), 0) for i in range(len(times))]
    assert got == expected


# ---- targets ------------------------------------------------------------------------------------


def test_targets_need_the_bar_exactly_h_intervals_later_and_labels_follow_the_threshold(spark):
    closes = {0: 100.0, 1: 100.1, 2: 99.0, 4: 99.5, 5: 99.5}  # bar 3 is missing
    rows = [{"symbol": "S", "interval": "1h", "bucket_start": T0 + i * H, "close": c} for i, c in closes.items()]
    spec = models.parse_spec(
        {**spec_of("trend-classification", "random-forest", {"numTrees": [2]}), "trendThreshold": 0.002}
    )
    got = {
        (r.bucket_start - T0) // H: (r.target, r.label)
        for r in models.with_target(spark.createDataFrame(rows, models.ROW_SCHEMA), spec).collect()
    }
    assert got[0] == (math.log(100.1 / 100.0), 1.0)  # +0.1 % is sideways at 0.2 %
    assert got[1] == (math.log(99.0 / 100.1), 0.0)
    assert got[2] == (None, None) and got[5] == (None, None)  # no bar 3, no bar 6
    assert got[4] == (0.0, 1.0)


def test_feature_names_map_to_the_views_columns():
    default = ["logReturn1", "logReturn3", "logReturn6", "logReturn12", "logReturn24", "logReturn1Lag1",
               "logReturn1Lag2", "logReturn1Lag3", "realisedVol24", "rsi14", "macd", "macdSignal", "macdHist",
               "bollingerPctB", "volumeZ20", "flowImbalance", "marketLogReturn1"]  # fmt: skip
    assert all(models.feature_column(f) in FEATURE_COLUMNS for f in default)
    assert models.feature_column("logReturn1Lag2") == "log_return_1_lag_2"


# ---- training -----------------------------------------------------------------------------------


def spec_of(kind: str, algorithm: str, grid: dict, folds: int = 2) -> dict:
    return {"kind": kind, "algorithm": algorithm, "interval": "1h", "horizonBars": 1, "features": FEATURES,
            "grid": grid, "folds": folds, "initialTrainFraction": 0.5, "seed": 7}  # fmt: skip


class Spy:
    """Records the row indices every fit trained on and every prediction scored, in call order."""

    def __init__(self, monkeypatch):
        self.calls: list[tuple[str, list[int]]] = []
        fit, predict = models.Trainer.fit, models.Trainer.predict

        def spy_fit(trainer, train, point):
            self.calls.append(("fit", [r.row_index for r in train.select("row_index").collect()]))
            return fit(trainer, train, point)

        def spy_predict(trainer, model, rows):
            got = predict(trainer, model, rows)
            self.calls.append(("predict", got.index))
            return got

        monkeypatch.setattr(models.Trainer, "fit", spy_fit)
        monkeypatch.setattr(models.Trainer, "predict", spy_predict)


def test_tuning_never_sees_a_test_row_and_the_same_rows_and_seed_give_the_same_model(spark, monkeypatch):
    raw = spec_of("return-regression", "gbt", {"maxDepth": [1, 2], "maxIter": [2]})
    spec = models.parse_spec(raw)
    df = spark.createDataFrame(feature_rows(11), models.ROW_SCHEMA)
    spy = Spy(monkeypatch)
    first = models.train(spark, df, raw)

    times = [r.bucket_start for r in models.usable(models.with_target(df, spec), spec).orderBy("row_index").collect()]
    plan = plan_folds(times, 2, 0.5, 2 * H)
    per_fold = 2 * 2 + 2  # per grid point a fit and its validation; then the refit and its test block
    for i, fold in enumerate(plan):
        calls = spy.calls[i * per_fold : (i + 1) * per_fold]
        assert [kind for kind, _ in calls] == ["fit", "predict"] * 3
        test_rows = set(range(fold.test_start, fold.test_end))
        for kind, rows in calls[:-1]:
            assert not test_rows & set(rows), f"fold {fold.number}: a {kind} while tuning or refitting saw a test row"
            assert max(rows) < fold.train_end
        inner = inner_split(times, fold.train_end, 2 * H)
        for (_, fitted), (_, scored) in zip(calls[0:4:2], calls[1:4:2], strict=True):
            assert fitted == list(range(inner.inner_train_end))
            assert scored == list(range(inner.validation_start, fold.train_end))
        assert calls[4][1] == list(range(fold.train_end))
        assert calls[5][1] == list(range(fold.test_start, fold.test_end))
    assert [r["fold"] for r in first["outOfFold"]] == [f.number for f in plan for _ in range(f.test_start, f.test_end)]

    second = models.train(spark, df, raw)
    assert second["modelHash"] == first["modelHash"]
    assert second["report"] == first["report"]


def test_the_report_follows_the_spec_definitions(spark):
    df = spark.createDataFrame(feature_rows(3), models.ROW_SCHEMA)
    trained = models.train(
        spark, df, spec_of("trend-classification", "random-forest", {"numTrees": [3], "maxDepth": [3]})
    )
    report, oof = trained["report"], trained["outOfFold"]
    y = [int(r["y"]) for r in oof]
    p = [int(r["prediction"]) for r in oof]
    assert report["metrics"] == M.classification_metrics(y, p)
    assert report["naiveMetrics"] == min(
        (c["metrics"] for c in report["naiveComparisons"]), key=lambda m: 1 - m["accuracy"]
    )  # the better naive, majority first on a tie
    assert report["skill"] == M.skill(1 - report["metrics"]["accuracy"], 1 - report["naiveMetrics"]["accuracy"])
    assert report["beatsNaive"] == (report["skill"] > 0)
    assert sum(f["testRows"] for f in report["folds"]) == len(oof)
    assert math.isclose(sum(report["importances"].values()), 1.0)
    assert trained["model"]["type"] == "random-forest" and len(trained["model"]["trees"]) == 3
    assert report["spec"]["trendThreshold"] == 0.002  # the default for one bar, recorded


# ---- exported trees -----------------------------------------------------------------------------


def random_training_set(spark, seed: int, n: int = 300):
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        x = [rng.gauss(0, 1) for _ in range(4)]
        y = math.sin(x[0]) + 0.5 * x[1] * x[2] + 0.1 * rng.gauss(0, 1)
        rows.append((x, y, float(0 if y < -0.3 else 2 if y > 0.3 else 1)))
    df = spark.createDataFrame(
        [(*x, y, c) for x, y, c in rows], "a double, b double, c double, d double, y double, cls double"
    )
    return VectorAssembler(inputCols=["a", "b", "c", "d"], outputCol="features").transform(df)


def test_exported_gbt_trees_predict_exactly_what_mllib_predicts(spark):
    data = random_training_set(spark, 1)
    model = GBTRegressor(labelCol="y", maxDepth=4, maxIter=8, stepSize=0.3, seed=3).fit(data)
    exported = gbt_json(model, 0.3)
    for r in model.transform(data).select("features", "prediction").collect():
        assert predict_gbt(exported, r.features.toArray().tolist()) == pytest.approx(r.prediction, rel=1e-15, abs=1e-15)


def test_exported_forest_trees_predict_exactly_what_mllib_predicts(spark):
    data = random_training_set(spark, 2)
    model = RandomForestClassifier(labelCol="cls", numTrees=7, maxDepth=5, featureSubsetStrategy="sqrt", seed=3).fit(
        data
    )
    exported = forest_json(model)
    for r in model.transform(data).select("features", "prediction", "probability").collect():
        label, probabilities = predict_forest(exported, r.features.toArray().tolist())
        assert label == r.prediction
        assert probabilities == pytest.approx(r.probability.toArray().tolist(), rel=1e-15, abs=1e-15)


# ---- metrics ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_metrics_agree_with_numpy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 300))
    y = np.round(rng.normal(0, 0.01, n), int(rng.integers(2, 6)))  # rounding makes exact zeros too
    p = np.where(rng.random(n) < 0.1, 0.0, rng.normal(0, 0.01, n))
    got = M.regression_metrics(y.tolist(), p.tolist())
    assert got["mae"] == pytest.approx(np.mean(np.abs(y - p)), rel=1e-12)
    assert got["rmse"] == pytest.approx(np.sqrt(np.mean((y - p) ** 2)), rel=1e-12)
    assert got["directionalAccuracy"] == np.mean(np.sign(y) == np.sign(p))
    assert M.regression_metrics(y.tolist(), [0.0] * n)["directionalAccuracy"] == np.mean(y == 0)

    labels, predicted = rng.integers(0, 3, n), rng.integers(0, 3, n)
    f1 = [2 * np.sum((labels == c) & (predicted == c)) / (np.sum(labels == c) + np.sum(predicted == c))
          for c in range(3) if np.sum(labels == c) + np.sum(predicted == c) > 0]  # fmt: skip
    got = M.classification_metrics(labels.tolist(), predicted.tolist())
    assert got["accuracy"] == np.mean(labels == predicted)
    assert got["macroF1"] == pytest.approx(np.mean(f1), rel=1e-12)

    residuals = np.abs(y - p)
    for level in (0.8, 0.95):
        rank = min(math.ceil((n + 1) * level), n)
        assert M.conformal_half_width((y - p).tolist(), level) == np.sort(residuals)[rank - 1]
        q = M.conformal_half_width((y - p).tolist(), level)
        assert M.coverage(y.tolist(), p.tolist(), q) == np.mean(residuals <= q)


def test_majority_breaks_ties_to_the_lowest_class_and_skill_compares_errors():
    assert M.majority_class([2, 0, 2, 0, 1]) == 0
    assert M.skill(1 - 0.75, 1 - 0.5) == 0.5
    assert M.skill(1.0, 2.0) == 0.5
    assert M.skill(0.0, 0.0) == 0.0 and M.skill(0.1, 0.0) == -math.inf


# ---- canonical JSON -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "js"),
    [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-2.5, "-2.5"), (0.1, "0.1"), (1e21, "1e+21"),
        (1e20, "100000000000000000000"), (1.5e-7, "1.5e-7"), (1e-6, "0.000001"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.30000000000000004, "0.30000000000000004"),
        (123456789012345.67, "123456789012345.67"), (2**53, "9007199254740992"),
        (math.inf, "null"), (math.nan, "null"),
    ],
)  # fmt: skip
def test_numbers_print_as_javascript_prints_them(value, js):
    assert js_number(value) == js


def test_canonical_json_sorts_keys_and_drops_white_space():
    assert (
        canonical_json({"b": [1.0, None, True], "a": {"y": "é\n", "x": 0.5}})
        == '{"a":{"x":0.5,"y":"é\\n"},"b":[1,null,true]}'
    )
