"""The Spark job's metric functions (spark-jobs/tickvault_jobs/model_metrics.py) on predictions made elsewhere.

Reads {"regression": [{"y": [...], "predicted": [...]}], "classification": [...],
"conformal": [{"residuals": [...], "level": x}]} on stdin; writes the figures, in the same order, on stdout.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "spark-jobs"))

from tickvault_jobs import model_metrics as M  # noqa: E402

task = json.load(sys.stdin)
json.dump(
    {
        "regression": [M.regression_metrics(c["y"], c["predicted"]) for c in task["regression"]],
        "classification": [
            M.classification_metrics([int(v) for v in c["y"]], [int(v) for v in c["predicted"]])
            for c in task["classification"]
        ],
        "conformal": [M.conformal_half_width(c["residuals"], c["level"]) for c in task["conformal"]],
    },
    sys.stdout,
)
