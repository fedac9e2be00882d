"""models: the cluster profile's model training on Spark MLlib, the twin of src/domain/models/.

From the feature store's rows of one symbol and interval (the `features` view's snake_case
columns) and a ModelSpec (the embedded engine's JSON, camelCase):

    rows → targets (y_t = ln(close_{t+h} / close_t)) and trend labels → usable rows (no null
    feature, a target) → walk-forward folds with the embargo (walk_forward.py) → per fold, the
    grid tuned on the inner split, the winner refitted and scored on the test block → metrics
    beside the naive forecasts, split-conformal intervals → the deployed model tuned and fitted
    on all usable rows → its trees in the shared tree JSON (model_export.py) and its hash.

GBTRegressor for return regression, RandomForestClassifier for the trend classes. The output is
one JSON document, the embedded engine's TrainedModel: {"report", "model", "modelHash"}.

    spark-submit run_job.py models --rows ROWS.jsonl --spec SPEC.json --symbol S --out OUT.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyspark.ml.classification import RandomForestClassifier
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.regression import GBTRegressor
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window

from . import model_metrics as M
from .candles import INTERVAL_MS
from .model_export import canonical_json, forest_json, gbt_json, model_hash
from .session import builder
from .walk_forward import Fold, embargo_ms, fold_column, inner_split, plan_folds, rows_between

REGRESSION = "return-regression"
CLASSIFICATION = "trend-classification"
ALGORITHMS = {REGRESSION: "gbt", CLASSIFICATION: "random-forest"}
DEFAULT_TREND_THRESHOLD = {1: 0.002, 24: 0.01}
CONFORMAL_LEVELS = (0.8, 0.95)
# What the spec does not put in the grid (MODELS spec, default grids).
FIXED_PARAMS = {
    "gbt": {"stepSize": 0.1, "maxBins": 32, "subsamplingRate": 1.0, "minInstancesPerNode": 20},
    "random-forest": {"maxBins": 32},
}
GRID_PARAMS = {
    "gbt": {"maxDepth", "maxIter", "stepSize", "maxBins", "subsamplingRate", "minInstancesPerNode"},
    "random-forest": {"numTrees", "maxDepth", "maxBins", "minInstancesPerNode", "subsamplingRate"},
}
INTEGER_PARAMS = {"maxDepth", "maxIter", "maxBins", "minInstancesPerNode", "numTrees"}
NOMINAL_LABEL = {"ml_attr": {"type": "nominal", "num_vals": 3, "name": "label"}}


class ModelSpecError(ValueError):
    pass


def feature_column(name: str) -> str:
    """The features view's column of a FeatureRow field: logReturn1Lag1 → log_return_1_lag_1."""
    return re.sub(r"(?<=[a-zA-Z])(?=\d)", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)).lower()


@dataclass(frozen=True)
class ModelSpec:
    raw: dict
    kind: str
    algorithm: str
    interval: str
    horizon_bars: int
    features: list[str]
    grid: dict[str, list[float]]
    folds: int
    initial_train_fraction: float
    seed: int
    trend_threshold: float | None

    @property
    def interval_ms(self) -> int:
        return INTERVAL_MS[self.interval]


def parse_spec(raw: dict) -> ModelSpec:
    kind = raw.get("kind")
    if kind not in ALGORITHMS:
        raise ModelSpecError(
            f"kind {kind!r}: Spark trains {sorted(ALGORITHMS)}; the anomaly model is the embedded engine's"
        )
    algorithm = raw.get("algorithm")
    if algorithm != ALGORITHMS[kind]:
        raise ModelSpecError(f"algorithm {algorithm!r}: a {kind} model is trained with {ALGORITHMS[kind]!r}")
    if raw.get("interval") not in ("1h", "1d"):
        raise ModelSpecError(f"interval {raw.get('interval')!r}: give 1h or 1d")
    grid = raw.get("grid") or {}
    unknown = sorted(set(grid) - GRID_PARAMS[algorithm])
    if unknown or any(not values for values in grid.values()):
        raise ModelSpecError(
            f"grid {grid}: each of {sorted(GRID_PARAMS[algorithm])} takes a non-empty list (unknown: {unknown})"
        )
    horizon = int(raw["horizonBars"])
    threshold = raw.get("trendThreshold")
    if kind == CLASSIFICATION and threshold is None:
        if horizon not in DEFAULT_TREND_THRESHOLD:
            raise ModelSpecError(f"trendThreshold: no default for a {horizon}-bar horizon; give one")
        threshold = DEFAULT_TREND_THRESHOLD[horizon]
    return ModelSpec(
        raw=raw,
        kind=kind,
        algorithm=algorithm,
        interval=raw["interval"],
        horizon_bars=horizon,
        features=list(raw["features"]),
        grid={k: list(v) for k, v in grid.items()},
        folds=int(raw["folds"]),
        initial_train_fraction=float(raw["initialTrainFraction"]),
        seed=int(raw["seed"]),
        trend_threshold=threshold,
    )


def grid_points(grid: dict[str, list[float]]) -> list[dict[str, float]]:
    """Every combination, keys in sorted order, the first key outermost (ties go to the earliest)."""
    keys = sorted(grid)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*(grid[k] for k in keys))]


# ---- DataFrame steps ----------------------------------------------------------------------------


def with_target(rows: DataFrame, spec: ModelSpec) -> DataFrame:
    """`target` = ln(close_{t+h} / close_t) when bar t+h exists exactly h intervals later; the trend `label`."""
    ahead = rows.select(F.col("bucket_start").alias("_ahead_start"), F.col("close").alias("_ahead_close"))
    joined = rows.join(
        ahead, F.col("_ahead_start") == F.col("bucket_start") + spec.horizon_bars * spec.interval_ms, "left"
    )
    df = joined.withColumn("target", F.log(F.col("_ahead_close") / F.col("close"))).drop("_ahead_start", "_ahead_close")
    if spec.kind == CLASSIFICATION:
        theta = spec.trend_threshold
        label = F.when(F.col("target") > theta, 2.0).when(F.col("target") < -theta, 0.0).otherwise(1.0)
        # Three classes whatever the rows hold: MLlib reads the count from the label's metadata.
        df = df.withColumn("label", F.when(F.col("target").isNotNull(), label)).withMetadata("label", NOMINAL_LABEL)
    else:
        df = df.withColumn("label", F.col("target"))
    return df


def usable(df: DataFrame, spec: ModelSpec) -> DataFrame:
    """Rows with a target and every feature of the spec, numbered in time order (`row_index`)."""
    columns = [feature_column(f) for f in spec.features]
    complete = F.col("target").isNotNull()
    for c in columns:
        complete = complete & F.col(c).isNotNull()
    kept = df.where(complete).withColumn("row_index", F.row_number().over(Window.orderBy("bucket_start")) - 1)
    return VectorAssembler(inputCols=columns, outputCol="features").transform(kept)


def with_folds(df: DataFrame, plan: list[Fold]) -> DataFrame:
    return df.withColumn("fold", fold_column(plan, F.col("row_index")))


# ---- the training loop --------------------------------------------------------------------------


@dataclass(frozen=True)
class Predictions:
    index: list[int]
    time: list[int]
    y: list[float]
    predicted: list[float]


class Trainer:
    """Fits the spec's algorithm with given parameters and scores predictions (lower is better)."""

    def __init__(self, spec: ModelSpec, on_fit: Callable[[], None]):
        self.spec = spec
        self.on_fit = on_fit

    def params(self, point: dict[str, float]) -> dict[str, Any]:
        merged = {**FIXED_PARAMS[self.spec.algorithm], **point}
        return {k: int(v) if k in INTEGER_PARAMS else float(v) for k, v in merged.items()}

    def fit(self, train: DataFrame, point: dict[str, float]) -> Any:
        params = self.params(point)
        if self.spec.algorithm == "gbt":
            estimator = GBTRegressor(seed=self.spec.seed, **params)
        else:
            estimator = RandomForestClassifier(
                seed=self.spec.seed, featureSubsetStrategy="sqrt", bootstrap=True, **params
            )
        model = estimator.fit(train)
        self.on_fit()
        return model

    def predict(self, model: Any, rows: DataFrame) -> Predictions:
        got = (
            model.transform(rows)
            .select("row_index", "bucket_start", "label", "prediction")
            .orderBy("row_index")
            .collect()
        )
        return Predictions(
            [r.row_index for r in got],
            [r.bucket_start for r in got],
            [r.label for r in got],
            [r.prediction for r in got],
        )

    def loss(self, p: Predictions) -> float:
        """Lower is better: MAE, or −accuracy."""
        if self.spec.kind == REGRESSION:
            return M.regression_metrics(p.y, p.predicted)["mae"]
        return -M.classification_metrics(_labels(p.y), _labels(p.predicted))["accuracy"]

    def tune(self, data: DataFrame, times: list[int], train_end: int) -> dict[str, float]:
        """For training rows [0, train_end): the grid point with the lowest validation loss, the first
        in grid order on a tie (one point needs no fit)."""
        points = grid_points(self.spec.grid)
        if len(points) == 1:
            return points[0]
        split = inner_split(times, train_end, embargo_ms(self.spec.horizon_bars, self.spec.interval_ms))
        inner = rows_between(data, 0, split.inner_train_end)
        validation = rows_between(data, split.validation_start, split.validation_end)
        best, best_loss = None, None
        for point in points:
            loss = self.loss(self.predict(self.fit(inner, point), validation))
            if best_loss is None or loss < best_loss:
                best, best_loss = point, loss
        return best


def _labels(values: list[float]) -> list[int]:
    return [int(v) for v in values]


def _metrics(spec: ModelSpec, y: list[float], predicted: list[float]) -> dict:
    if spec.kind == REGRESSION:
        return M.regression_metrics(y, predicted)
    return M.classification_metrics(_labels(y), _labels(predicted))


def persistence(times: list[int], labels_by_time: dict[int, int], spec: ModelSpec, fallback: int) -> list[int]:
    """Per test row, the label of the bar (h + 1) intervals earlier: the newest target fully realised
    when the forecast is made (`fallback`, the fold's majority class, when that bar has no target)."""
    lag = embargo_ms(spec.horizon_bars, spec.interval_ms)
    return [labels_by_time.get(t - lag, fallback) for t in times]


def naive_forecasts(
    spec: ModelSpec, results: list[tuple[Fold, Predictions]], labels: list[int], labels_by_time: dict[int, int]
) -> dict:
    """Per naive forecast (in the order the better one is chosen on a tie), its predictions pooled over the folds."""
    if spec.kind == REGRESSION:
        return {"zero-return": [0.0 for _, p in results for _ in p.y]}
    majority, persist = [], []
    for fold, p in results:
        fold_majority = M.majority_class(labels[: fold.train_end])
        majority += [fold_majority] * len(p.y)
        persist += persistence(p.time, labels_by_time, spec, fold_majority)
    return {"majority": majority, "persistence": persist}


def train(
    spark: SparkSession, rows: DataFrame, raw_spec: dict, on_progress: Callable[[int, int], None] | None = None
) -> dict:
    """The TrainedModel JSON of `rows` (one symbol's features view rows of the spec's interval), and
    under "outOfFold" the rows each fold tested with their predictions (not part of the model)."""
    spec = parse_spec(raw_spec)
    labelled = with_target(rows, spec).cache()
    counts = labelled.agg(F.count(F.lit(1)).alias("all"), F.count("target").alias("with_target")).first()
    data = usable(labelled, spec)
    times = [r.bucket_start for r in data.select("bucket_start").orderBy("bucket_start").collect()]
    plan = plan_folds(times, spec.folds, spec.initial_train_fraction, embargo_ms(spec.horizon_bars, spec.interval_ms))
    # One partition in time order (the window above sorted it there): MLlib's bootstrap draws and
    # its sums follow the rows' order, so the same rows give the same model.
    data = with_folds(data, plan).coalesce(1).cache()

    points = len(grid_points(spec.grid))
    total = (len(plan) + 1) * ((points if points > 1 else 0) + 1)
    done = [0]

    def fitted() -> None:
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0], total)

    trainer = Trainer(spec, fitted)
    results: list[tuple[Fold, dict, Predictions]] = []
    for fold in plan:
        chosen = trainer.tune(data, times, fold.train_end)
        model = trainer.fit(rows_between(data, 0, fold.train_end), chosen)
        results.append((fold, chosen, trainer.predict(model, rows_between(data, fold.test_start, fold.test_end))))

    chosen = trainer.tune(data, times, len(times))
    deployed = trainer.fit(data, chosen)
    params = trainer.params(chosen)
    model = gbt_json(deployed, params["stepSize"]) if spec.algorithm == "gbt" else forest_json(deployed)

    labels = (
        _labels([r.label for r in data.select("label").orderBy("row_index").collect()])
        if spec.kind == CLASSIFICATION
        else []
    )
    labels_by_time = (
        {
            r.bucket_start: int(r.label)
            for r in labelled.where(F.col("label").isNotNull()).select("bucket_start", "label").collect()
        }
        if spec.kind == CLASSIFICATION
        else {}
    )
    fold_results = [(fold, p) for fold, _, p in results]
    naive = naive_forecasts(spec, fold_results, labels, labels_by_time)
    report = _report(spec, results, naive)
    report.update(
        chosenParams=chosen,
        usableRows=len(times),
        droppedRows=counts["with_target"] - len(times),
        rowsWithoutTarget=counts["all"] - counts["with_target"],
        trainingRange={"from": times[0], "to": times[-1]},
        importances=dict(zip(spec.features, deployed.featureImportances.toArray().tolist(), strict=True)),
    )
    data.unpersist()
    labelled.unpersist()
    return {"report": report, "model": model, "modelHash": model_hash(model), "outOfFold": out_of_fold(fold_results)}


def _report(spec: ModelSpec, results: list[tuple[Fold, dict, Predictions]], naive: dict[str, list[float]]) -> dict:
    """Pooled and per-fold metrics beside the better naive forecast (the first on a tie), skill, intervals."""
    y = [v for _, _, p in results for v in p.y]
    predicted = [v for _, _, p in results for v in p.predicted]
    metrics = _metrics(spec, y, predicted)
    comparisons = [{"name": name, "metrics": _metrics(spec, y, forecast)} for name, forecast in naive.items()]
    better = 0
    for i, c in enumerate(comparisons):
        if _error(c["metrics"]) < _error(comparisons[better]["metrics"]):
            better = i
    better_forecast = naive[comparisons[better]["name"]]
    skill = M.skill(_error(metrics), _error(comparisons[better]["metrics"]))
    folds, at = [], 0
    for fold, chosen, p in results:
        folds.append(
            {
                "trainRows": fold.train_end,
                "testRows": len(p.y),
                "testFrom": p.time[0],
                "testTo": p.time[-1],
                "chosenParams": chosen,
                "metrics": _metrics(spec, p.y, p.predicted),
                "naiveMetrics": _metrics(spec, p.y, better_forecast[at : at + len(p.y)]),
            }
        )
        at += len(p.y)
    report = {
        # A classifier's spec records the threshold it used, defaulted or not: predictions name it.
        "spec": {**spec.raw, "trendThreshold": spec.trend_threshold} if spec.kind == CLASSIFICATION else spec.raw,
        "metrics": metrics,
        "naiveMetrics": comparisons[better]["metrics"],
        "naiveForecast": comparisons[better]["name"],
        "naiveComparisons": comparisons,
        "skill": skill,
        "beatsNaive": skill > 0,
        "folds": folds,
    }
    if spec.kind == REGRESSION:
        report["intervals"] = _intervals([(fold, p) for fold, _, p in results])
    return report


def _error(metrics: dict) -> float:
    """What skill compares: MAE, or 1 − accuracy."""
    return metrics["mae"] if metrics["kind"] == "regression" else 1 - metrics["accuracy"]


def _intervals(fold_results: list[tuple[Fold, Predictions]]) -> list[dict]:
    """Half-widths from all folds' residuals (deployed); coverage: folds 1..K−1 calibrate, fold K measures."""
    residuals = [[t - p for t, p in zip(r.y, r.predicted, strict=True)] for _, r in fold_results]
    calibration = [e for rs in residuals[:-1] for e in rs]
    last = fold_results[-1][1]
    return [
        {
            "level": level,
            "halfWidth": M.conformal_half_width([e for rs in residuals for e in rs], level),
            "coverage": M.coverage(last.y, last.predicted, M.conformal_half_width(calibration, level)),
        }
        for level in CONFORMAL_LEVELS
    ]


def out_of_fold(fold_results: list[tuple[Fold, Predictions]]) -> list[dict]:
    """The rows each fold tested, with their fold and prediction (for the parity test)."""
    return [
        {"rowIndex": i, "time": t, "fold": fold.number, "y": y, "prediction": p}
        for fold, r in fold_results
        for i, t, y, p in zip(r.index, r.time, r.y, r.predicted, strict=True)
    ]


# ---- entry point --------------------------------------------------------------------------------

ROW_SCHEMA = T.StructType(
    [
        T.StructField("symbol", T.StringType()),
        T.StructField("interval", T.StringType()),
        T.StructField("bucket_start", T.LongType()),
    ]
    + [
        T.StructField(c, T.DoubleType())
        for c in [
            "close", "log_return_1", "log_return_3", "log_return_6", "log_return_12", "log_return_24",
            "log_return_1_lag_1", "log_return_1_lag_2", "log_return_1_lag_3", "realised_vol_24", "rsi_14", "macd",
            "macd_signal", "macd_hist", "bollinger_pct_b", "volume", "volume_z_20", "taker_buy_volume",
            "taker_sell_volume", "flow_imbalance", "cumulative_volume_delta", "trades", "market_log_return_1",
            "market_cap_usd", "market_cap_rank", "sentiment",
        ]
    ]
)  # fmt: skip


def write_text(spark: SparkSession, uri: str, text: str) -> None:
    """One file at `uri` (file:// or hdfs://, through Hadoop's FileSystem), replaced if it exists."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    out = fs.create(path, True)
    try:
        out.write(bytearray(text.encode("utf-8")))
    finally:
        out.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="models", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--rows", required=True, help="the features view's rows as JSON lines (snake_case; a file, folder or glob)"
    )
    p.add_argument("--spec", required=True, help="the ModelSpec as JSON text")
    p.add_argument("--symbol", required=True)
    p.add_argument("--out", required=True, help="where the TrainedModel JSON goes (file:// or hdfs:// URI, or a path)")
    p.add_argument("--out-of-fold", help="where the folds' test rows and predictions go as JSON (for the parity test)")
    p.add_argument("--master", help="Spark master URL")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    spec = json.loads(a.spec)
    spark = builder("tickvault models", a.master).getOrCreate()
    try:
        rows = (
            spark.read.schema(ROW_SCHEMA)
            .json(a.rows)
            .where((F.col("symbol") == a.symbol) & (F.col("interval") == spec.get("interval")))
        )
        trained = train(spark, rows, spec, lambda done, total: print(f"progress {done}/{total}", flush=True))
        out_of_fold_rows = trained.pop("outOfFold")
        write_text(spark, a.out, canonical_json(trained))
        if a.out_of_fold:
            write_text(spark, a.out_of_fold, canonical_json(out_of_fold_rows))
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
