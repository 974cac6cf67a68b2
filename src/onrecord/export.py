"""Exports for researchers: JSON lines, CSV or Parquet, streamed in batches."""

from __future__ import annotations

import csv
import json
import sys
from itertools import islice

from sqlalchemy import Connection

from .safe_output import csv_cell
from .store.queries import export_rows

BATCH = 2000


def write_export(conn: Connection, table: str, fmt: str, out: str | None, keep_formulas: bool = False) -> int:
    """Write every row of ``table`` to ``out`` (standard output if None); returns the count.

    CSV cells that a spreadsheet would run as formulas get a leading ``'`` unless
    ``keep_formulas`` (OWASP's rule; see ``onrecord.safe_output``).
    """
    rows = export_rows(conn, table)
    if fmt == "parquet":
        return _parquet(rows, out)
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        return _jsonl(rows, handle) if fmt == "jsonl" else _csv(rows, handle, keep_formulas)
    finally:
        if out:
            handle.close()


def _jsonl(rows, handle) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _csv(rows, handle, keep_formulas: bool = False) -> int:
    count = 0
    writer = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(handle, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(row if keep_formulas else {k: csv_cell(v) for k, v in row.items()})
        count += 1
    return count


def _parquet(rows, out: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    count = 0
    writer = None
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        table = pa.Table.from_pylist(batch)
        if writer is None:
            # a column empty in the first batch has no type yet: text is the safe guess
            schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                                for f in table.schema])
            writer = pq.ParquetWriter(out, schema)
        writer.write_table(table.cast(writer.schema))
        count += len(batch)
    if writer is None:
        pq.write_table(pa.table({}), out)
    else:
        writer.close()
    return count
