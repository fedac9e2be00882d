"""Walk-forward validation with an embargo: which usable rows train, tune and test each fold.

The layout is the embedded engine's (src/domain/models/), row for row (the parity test checks it):

- rows sorted by time; the first ⌊initialTrainFraction·n⌋ are only ever training; the rest are cut
  into K contiguous test blocks of ⌊rest / K⌋ rows, the last taking the remainder;
- embargo: row r may train for a block starting at row s only if
  time_r + (h + 1)·interval ≤ time_s (its target's window ends before the block's first features
  start). Rows are sorted, so a fold's training rows are a prefix of the rows;
- inner split (tuning) of a training prefix of m rows: validation is its last m − ⌊(1 − 0.2)·m⌋
  rows, inner-train the rows before them that pass the same embargo against the first validation
  row. A grid of one point needs no tuning, hence no inner split.

CrossValidator with a fold column cannot express this (it trains each fold on every other fold,
the future included), and TrainValidationSplit splits at random: the loop in models.py uses
these plans instead.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

# Share of a fold's training rows (the newest) that validates its grid points.
VALIDATION_FRACTION = 0.2


class WalkForwardError(ValueError):
    """The rows are too few for the folds asked (what was wrong, what to do)."""


@dataclass(frozen=True)
class InnerSplit:
    """Row index ranges [0, inner_train_end) and [validation_start, validation_end)."""

    inner_train_end: int
    validation_start: int
    validation_end: int


@dataclass(frozen=True)
class Fold:
    """Outer fold `number` (1..K): training rows [0, train_end), test rows [test_start, test_end)."""

    number: int
    train_end: int
    test_start: int
    test_end: int


def embargo_ms(horizon_bars: int, interval_ms: int) -> int:
    """The row's own bar and the h bars of its target."""
    return (horizon_bars + 1) * interval_ms


def allowed_before(times: list[int], start: int, embargo: int) -> int:
    """How many rows (a prefix) may train for a block whose first row is `start`."""
    return bisect.bisect_right(times, times[start] - embargo, 0, start)


def inner_split(times: list[int], train_end: int, embargo: int) -> InnerSplit:
    """The tuning split of training rows [0, train_end) (also the deployed model's, over every row)."""
    validation_start = int(train_end * (1 - VALIDATION_FRACTION))
    inner_train_end = allowed_before(times, validation_start, embargo) if validation_start < train_end else 0
    if inner_train_end < 2 or validation_start >= train_end:
        raise WalkForwardError(
            f"walk-forward tuning: {train_end} training rows leave {inner_train_end} to fit and "
            f"{train_end - validation_start} to validate after the embargo; train on a longer range"
        )
    return InnerSplit(inner_train_end, validation_start, train_end)


def plan_folds(times: list[int], folds: int, initial_train_fraction: float, embargo: int) -> list[Fold]:
    """The outer folds over usable rows sorted by time (`times`, epoch ms, strictly increasing)."""
    if any(b <= a for a, b in zip(times, times[1:], strict=False)):
        raise WalkForwardError("rows must be sorted by time with one row per bar")
    n = len(times)
    first_test = int(n * initial_train_fraction)
    block = (n - first_test) // folds
    if block < 1:
        raise WalkForwardError(
            f"walk-forward validation: {n} usable rows leave fewer than one test row for each of {folds} folds; "
            "train on a longer range or ask for fewer folds"
        )
    plan = []
    for k in range(folds):
        start = first_test + k * block
        end = n if k == folds - 1 else start + block
        train_end = allowed_before(times, start, embargo)
        if train_end < 2:
            raise WalkForwardError(
                f"walk-forward validation: fold {k + 1} has {train_end} training rows after the embargo; "
                "train on a longer range"
            )
        plan.append(Fold(k + 1, train_end, start, end))
    return plan


def fold_column(plan: list[Fold], index: Column) -> Column:
    """The outer fold whose test block holds the row (0: only ever training)."""
    column = F.lit(0)
    for fold in plan:
        column = F.when((index >= fold.test_start) & (index < fold.test_end), F.lit(fold.number)).otherwise(column)
    return column


def rows_between(df: DataFrame, start: int, end: int) -> DataFrame:
    return df.where((F.col("row_index") >= start) & (F.col("row_index") < end))
