"""spark-submit entry point: `spark-submit run_job.py JOB [ARGS...]` runs tickvault_jobs.JOB.main(ARGS)."""

import importlib
import sys

JOBS = ("export", "batch_views", "archive", "stream_windows", "models", "analytics_views")

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in JOBS:
        print(f"usage: run_job.py {{{','.join(JOBS)}}} [ARGS...]", file=sys.stderr)
        sys.exit(2)
    sys.exit(importlib.import_module(f"tickvault_jobs.{sys.argv[1]}").main(sys.argv[2:]))
