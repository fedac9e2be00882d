"""The numpy/scipy reference of tickvault's risk definitions (test/support/risk_reference.py, shared with the
embedded engine's tests) and the tolerance both engines are held to."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path


def load_reference():
    """The numpy/scipy reference of the definitions the embedded engine is held to (test/support/risk_reference.py)."""
    path = Path(__file__).resolve().parents[2] / "test" / "support" / "risk_reference.py"
    spec = importlib.util.spec_from_file_location("risk_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def close_relative(a, b):
    """Within 1e-9 relative (1e-12 absolute where the true value is 0); None and NaN equal each other."""
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and (abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or abs(a - b) <= 1e-12)
