"""Trend classification of a candle from its indicators (a vectorised pandas UDF).

overbought / oversold when RSI 14 is at or beyond 70 / 30; otherwise uptrend when close > MA7 >
MA30, downtrend when close < MA7 < MA30, else sideways; unknown until MA30 and RSI exist.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyspark.sql.functions import pandas_udf
from pyspark.sql.types import StringType


def classify(close: pd.Series, ma_7: pd.Series, ma_30: pd.Series, rsi: pd.Series) -> pd.Series:
    conditions = [
        ma_30.isna() | rsi.isna(),
        rsi >= 70,
        rsi <= 30,
        (close > ma_7) & (ma_7 > ma_30),
        (close < ma_7) & (ma_7 < ma_30),
    ]
    labels = ["unknown", "overbought", "oversold", "uptrend", "downtrend"]
    return pd.Series(np.select(conditions, labels, default="sideways"), index=close.index)


trend_udf = pandas_udf(classify, StringType())
