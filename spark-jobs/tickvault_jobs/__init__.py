"""tickvault's Spark jobs: the Parquet lake, the batch views and the speed-layer windows."""
