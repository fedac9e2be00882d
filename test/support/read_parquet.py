"""Reads a Parquet file with pyarrow (an independent reader) for the export tests.

stdin: {"path": "..."}; stdout: {"columns": {name: [values]}, "types": {name: arrow type}, "metadata": {key: value}}.
Timestamps come out as epoch milliseconds, nulls as null.
"""

import json
import sys

import pyarrow.parquet as pq

request = json.load(sys.stdin)
table = pq.read_table(request["path"])
columns = {}
for name in table.column_names:
    column = table.column(name)
    if str(column.type).startswith("timestamp"):
        column = column.cast("int64")
    columns[name] = column.to_pylist()
metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
json.dump({"columns": columns, "types": {f.name: str(f.type) for f in table.schema}, "metadata": metadata}, sys.stdout)
