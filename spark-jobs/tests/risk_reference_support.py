"""The numpy/scipy reference of tickvault's risk definitions (test/support/risk_reference.py, shared with the
embedded engine's tests) and the tolerance both engines are held to."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path


def load_reference(script: str = "risk_reference.py"):
    """A numpy/scipy reference of the definitions the embedded engine is held to (test/support/{script}:
    risk_reference.py for a symbol's figures, portfolio_reference.py for a portfolio's)."""
    path = Path(__file__).resolve().parents[2] / "test" / "support" / script
    spec = importlib.util.spec_from_file_location(Path(script).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def close_relative(a, b):
    """Within 1e-9 relative (1e-12 absolute where the true value is 0); None and NaN equal each other."""
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and (abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or abs(a - b) <= 1e-12)


FIGURE_COLUMNS = [
    ("mean_return", "meanReturn"),
    ("volatility", "volatility"),
    ("sharpe", "sharpe"),
    ("sortino", "sortino"),
    ("max_drawdown", "maxDrawdown"),
]


def assert_figures_match(symbol, row, want):
    """Every figure of one Spark risk row equals the reference's answer for the same closes."""
    for col, key in FIGURE_COLUMNS:
        assert close_relative(getattr(row, col), want[key]), f"{symbol} {col}: {getattr(row, col)} vs {want[key]}"
    for level, k in [(0.95, 95), (0.99, 99)]:
        figures = want["var"][str(level)]
        for col, key in [
            (f"var_{k}", "historicalVar"),
            (f"cvar_{k}", "historicalCvar"),
            (f"pvar_{k}", "parametricVar"),
        ]:
            assert close_relative(getattr(row, col), figures[key]), (
                f"{symbol} {col}: {getattr(row, col)} vs {figures[key]}"
            )
