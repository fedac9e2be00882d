"""A portfolio's daily risk by tickvault's fixed definitions (docs/risk.md; the embedded engine's
src/domain/portfolio/portfolioAssessment.ts), the same figures as a symbol's (risk.py) on the portfolio's
return series.

Rebalancing convention: constant weights restored at every close, so the portfolio's return on a day is
r_p,t = sum_i w_i * r_i,t, on the days every symbol of the portfolio has a return (its close and the
previous day's); a day some symbol lacks is left out. The `log_` columns are ln(1 + r_p), labelled.

    spark-submit -m tickvault_jobs.portfolio_risk --candles DIR --weights FILE --as-of 2021-06-30 --out DIR
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from tickvault_jobs.risk import DEFAULT_WINDOW, FIGURES_SCHEMA, figures_of, in_window, simple_returns
from tickvault_jobs.session import builder

WEIGHTS_SCHEMA = "portfolio_id string, symbol string, weight double"
PORTFOLIO_RISK_SCHEMA = "exchange string, portfolio_id string, " + FIGURES_SCHEMA
D = 86_400_000


def portfolio_returns(candles: DataFrame, weights: DataFrame, window: int, as_of: int) -> DataFrame:
    """One row per (exchange, portfolio_id, bucket_start) in the window of `window` days ending at `as_of`
    (epoch ms of the day) on which every symbol of the portfolio has a return: `ret` = sum(weight * ret)."""
    returns = in_window(simple_returns(candles.where(F.col("interval") == "1d")), window, as_of)
    holdings = weights.groupBy("portfolio_id").agg(F.count("symbol").alias("holdings"))
    return (
        returns.join(F.broadcast(weights), "symbol")
        .groupBy("exchange", "portfolio_id", "bucket_start", "as_of")
        .agg(F.sum(F.col("weight") * F.col("ret")).alias("ret"), F.count("symbol").alias("present"))
        .join(F.broadcast(holdings), "portfolio_id")
        .where(F.col("present") == F.col("holdings"))
        .select("exchange", "portfolio_id", "bucket_start", "as_of", "ret", F.log1p("ret").alias("log_ret"))
    )


def portfolio_risk(
    candles: DataFrame, weights: DataFrame, as_of: int, window: int = DEFAULT_WINDOW, risk_free: float = 0.0
) -> DataFrame:
    """One row of figures per (exchange, portfolio_id): risk.py's columns of the portfolio's daily returns."""
    return (
        portfolio_returns(candles, weights, window, as_of)
        .groupBy("exchange", "portfolio_id")
        .applyInPandas(figures_of("1d", window, risk_free, keys=("exchange", "portfolio_id")), PORTFOLIO_RISK_SCHEMA)
    )


def weights_frame(spark, portfolios: dict[str, dict[str, float]]) -> DataFrame:
    """`{"core": {"BTC-USDT": 0.6, "ETH-USDT": 0.4}}` as a weights DataFrame."""
    rows = [(pid, sym, float(w)) for pid, ws in portfolios.items() for sym, w in ws.items()]
    return spark.createDataFrame(rows, WEIGHTS_SCHEMA)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="portfolio_risk", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--candles", required=True, help="Parquet of candles: exchange, symbol, interval, bucket_start, close"
    )
    p.add_argument("--weights", required=True, help='JSON file {"portfolio id": {"SYMBOL": weight}}')
    p.add_argument("--as-of", required=True, help="the UTC day yyyy-mm-dd the window ends with")
    p.add_argument("--window", type=int, default=DEFAULT_WINDOW)
    p.add_argument("--risk-free", type=float, default=0.0)
    p.add_argument("--out", required=True, help="output folder (Parquet)")
    p.add_argument("--master")
    args = p.parse_args(argv)
    spark = builder("tickvault portfolio risk", args.master).getOrCreate()
    with open(args.weights, encoding="utf-8") as fh:
        weights = weights_frame(spark, json.load(fh))
    as_of = (date.fromisoformat(args.as_of).toordinal() - date(1970, 1, 1).toordinal()) * D
    portfolio_risk(spark.read.parquet(args.candles), weights, as_of, args.window, args.risk_free).write.mode(
        "overwrite"
    ).parquet(args.out)
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
